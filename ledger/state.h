// Aggregate state the rules read and change, cached in memory over the
// `ledger_state` and `idempotency` column families.
//
// Rules call Find() to check, then Mutable() to change, only after every check
// passed (a rejected event changes nothing). Flush() writes each dirty aggregate
// once into the batch being committed, so an order touched by three events in a
// batch is one put. Single-threaded: owned by the ledger's writer.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "flatbuffers/flatbuffers.h"
#include "ledger/assert.h"
#include "ledger/keys.h"
#include "ledger/store.h"
#include "ledger/time.h"
#include "rocksdb/write_batch.h"
#include "schemas/state_generated.h"

namespace mkt {

template <typename NativeT>
class AggregateCache {
 public:
  using TableT = typename NativeT::TableType;

  AggregateCache(const Store* store, const char* family, std::string tag)
      : store_(store), family_(store->cf(family)), tag_(std::move(tag)) {}

  // The aggregate, or nullptr when it does not exist.
  const NativeT* Find(std::string_view seller_id, std::string_view id) {
    return Load(Key(seller_id, id)).value.get();
  }
  // Marks the aggregate dirty and returns it for change; creates it when absent.
  NativeT* Mutable(std::string_view seller_id, std::string_view id) {
    std::string key = Key(seller_id, id);
    Slot& slot = Load(key);
    if (!slot.value) slot.value = std::make_unique<NativeT>();
    if (!slot.dirty) {
      slot.dirty = true;
      dirty_.emplace_back(std::move(key), &slot);  // map nodes never move: &slot stays valid
    }
    return slot.value.get();
  }

  // Writes each aggregate changed since the last Flush, once.
  void Flush(rocksdb::WriteBatch* batch) {
    for (auto& [key, slot] : dirty_) {
      builder_.Clear();
      builder_.Finish(TableT::Pack(builder_, slot->value.get()));
      batch->Put(family_, key,
                 rocksdb::Slice(reinterpret_cast<const char*>(builder_.GetBufferPointer()),
                                builder_.GetSize()));
      slot->dirty = false;
    }
    dirty_.clear();
  }

  // Drops the cache when it has grown past `max_entries` (after a Flush).
  void Trim(size_t max_entries) {
    MKT_ASSERT(dirty_.empty(), "trim with unflushed aggregates");
    if (slots_.size() > max_entries) slots_.clear();
  }
  // Forgets everything (after a failed commit the cache may be ahead of disk).
  void Reset() {
    dirty_.clear();
    slots_.clear();
  }

 private:
  struct Slot {
    std::unique_ptr<NativeT> value;  // null: absent
    bool dirty = false;
  };

  std::string Key(std::string_view seller_id, std::string_view id) const {
    return tag_ + keys::Scoped(seller_id, id);
  }

  Slot& Load(const std::string& key) {
    auto [it, inserted] = slots_.try_emplace(key);
    if (!inserted) return it->second;
    std::string value;
    if (store_->Get(family_, key, &value)) {
      flatbuffers::Verifier verifier(reinterpret_cast<const uint8_t*>(value.data()), value.size());
      MKT_ASSERT(verifier.VerifyBuffer<TableT>(nullptr), "corrupt aggregate record ", key);
      it->second.value.reset(flatbuffers::GetRoot<TableT>(value.data())->UnPack());
    }
    return it->second;
  }

  const Store* store_;
  rocksdb::ColumnFamilyHandle* family_;
  std::string tag_;
  std::unordered_map<std::string, Slot> slots_;
  std::vector<std::pair<std::string, Slot*>> dirty_;
  flatbuffers::FlatBufferBuilder builder_{256};
};

// Deadlines the timer (`ledger tick`) will act on, LEDGER.md section 8. Key:
// due (u64 BE) | kind | seller '\0' id, so a scan in key order is deadline order.
// Rules only add timers; a timer that no longer applies (the order was paid, the
// node moved on) is refused by the rules when it fires and then dropped.
class TimerIndex {
 public:
  enum Kind : char {
    kExpireOrder = 'V',     // OrderVoided{expired}
    kAutoApprove = 'A',     // RefundApproved{auto}
    kDeliveryTimeout = 'D', // DeliveryStep{system, complete}
    kDefaultReview = 'W',   // ReviewPosted{default}
  };
  static std::string Key(Micros due, Kind kind, std::string_view seller_id, std::string_view id) {
    std::string key;
    keys::AppendU64(&key, static_cast<uint64_t>(due));
    key.push_back(kind);
    key += keys::Scoped(seller_id, id);
    return key;
  }
  void Add(Micros due, Kind kind, std::string_view seller_id, std::string_view id) {
    added_.push_back(Key(due, kind, seller_id, id));
  }
  void Drop(std::string key) { dropped_.push_back(std::move(key)); }
  bool empty() const { return added_.empty() && dropped_.empty(); }
  void Flush(rocksdb::WriteBatch* batch, rocksdb::ColumnFamilyHandle* family) {
    for (const std::string& key : dropped_) batch->Delete(family, key);
    for (const std::string& key : added_) batch->Put(family, key, "");
    Reset();
  }
  void Reset() {
    added_.clear();
    dropped_.clear();
  }

 private:
  std::vector<std::string> added_;
  std::vector<std::string> dropped_;
};

// Everything the rules can see of the ledger.
struct LedgerState {
  explicit LedgerState(const Store* store)
      : timers_family(store->cf(kCfTimers)),
        products(store, kCfLedgerState, "P"),
        orders(store, kCfLedgerState, "O"),
        coupons(store, kCfLedgerState, "C"),
        coupon_claims(store, kCfLedgerState, "K"),
        refunds(store, kCfLedgerState, "R"),
        templates(store, kCfLedgerState, "T"),
        invoices(store, kCfLedgerState, "I"),
        sellers(store, kCfLedgerState, "S"),
        idempotency(store, kCfIdempotency, "") {}

  bool HasWrites() const { return !timers.empty(); }
  void Flush(rocksdb::WriteBatch* batch) {
    timers.Flush(batch, timers_family);
    products.Flush(batch);
    orders.Flush(batch);
    coupons.Flush(batch);
    coupon_claims.Flush(batch);
    refunds.Flush(batch);
    templates.Flush(batch);
    invoices.Flush(batch);
    sellers.Flush(batch);
    idempotency.Flush(batch);
  }
  void Trim(size_t max_entries) {
    products.Trim(max_entries);
    orders.Trim(max_entries);
    coupons.Trim(max_entries);
    coupon_claims.Trim(max_entries);
    refunds.Trim(max_entries);
    templates.Trim(max_entries);
    invoices.Trim(max_entries);
    sellers.Trim(max_entries);
    idempotency.Trim(max_entries);
  }
  void Reset() {
    timers.Reset();
    products.Reset();
    orders.Reset();
    coupons.Reset();
    coupon_claims.Reset();
    refunds.Reset();
    templates.Reset();
    invoices.Reset();
    sellers.Reset();
    idempotency.Reset();
  }

  rocksdb::ColumnFamilyHandle* timers_family;
  TimerIndex timers;
  AggregateCache<fb::ProductStateT> products;
  AggregateCache<fb::OrderStateT> orders;
  AggregateCache<fb::CouponStateT> coupons;
  // Keyed by (seller, coupon_id '\0' buyer_id).
  AggregateCache<fb::CouponClaimStateT> coupon_claims;
  AggregateCache<fb::RefundStateT> refunds;
  AggregateCache<fb::TemplateStateT> templates;
  AggregateCache<fb::InvoiceStateT> invoices;
  AggregateCache<fb::SellerStateT> sellers;  // id ""
  AggregateCache<fb::IdempotencyEntryT> idempotency;
};

}  // namespace mkt
