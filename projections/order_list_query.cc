// Read side of the order list: pages with filters and cursors, and one order.
#include <memory>

#include "ledger/hash.h"
#include "ledger/keys.h"
#include "ledger/limits.h"
#include "projections/order_list.h"
#include "projections/scan.h"

namespace mkt {
namespace {

// A snapshot for one query, released on scope exit.
class Snapshot {
 public:
  explicit Snapshot(rocksdb::DB* db) : db_(db), snapshot_(db->GetSnapshot()) {
    options_.snapshot = snapshot_;
  }
  ~Snapshot() { db_->ReleaseSnapshot(snapshot_); }
  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;
  const rocksdb::ReadOptions& options() const { return options_; }

 private:
  rocksdb::DB* db_;
  const rocksdb::Snapshot* snapshot_;
  rocksdb::ReadOptions options_;
};

template <typename T>
const T* VerifiedRoot(const rocksdb::Slice& value, const char* what) {
  flatbuffers::Verifier verifier(reinterpret_cast<const uint8_t*>(value.data()), value.size());
  MKT_ASSERT(verifier.VerifyBuffer<T>(nullptr), "corrupt ", what, " record");
  return flatbuffers::GetRoot<T>(value.data());
}

std::optional<std::string> HexDecode(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    const int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

bool IndexMatches(const fb::OrderIndexEntry& e, const OrderListQuery& q) {
  const bool refund = e.row_type() == fb::RowType::refund;
  if (q.refunds_only != refund) {
    if (q.refunds_only || q.kind || q.status) return false;  // order filters skip refund rows
  }
  if (q.kind && e.kind() != *q.kind) return false;
  if (q.channel && e.channel() != *q.channel) return false;
  if (q.product_id && e.product_id()->string_view() != *q.product_id) return false;
  if (q.buyer_id && e.buyer_id()->string_view() != *q.buyer_id) return false;
  return true;
}

Micros PlacedAtOfKey(std::string_view key_suffix) {
  return static_cast<Micros>(~keys::ReadU64(key_suffix));
}

}  // namespace

std::variant<OrderListPage, std::string> OrderListProjection::List(
    const OrderListQuery& q) const {
  const std::string prefix = keys::Scoped(q.seller_id, "");
  std::string start = prefix;
  if (q.to) keys::AppendU64(&start, ~static_cast<uint64_t>(*q.to - 1));  // first key at to-1us
  std::string after;  // the cursor key itself was returned last time
  if (!q.cursor.empty()) {
    const auto suffix = HexDecode(q.cursor);
    if (!suffix || suffix->size() < 10 || suffix->back() != '\xff') {
      return "invalid cursor \"" + q.cursor + "\": pass next_cursor from a previous page";
    }
    after = prefix + *suffix;
    if (after > start) start = after;
  }
  const size_t limit = std::min(q.limit, limits::kOrderListLimitMax);
  Snapshot snapshot(store_->db());
  rocksdb::ReadOptions options = snapshot.options();
  std::string upper = keys::Scoped(q.seller_id, "");
  upper.back() = '\x01';  // just past every key with prefix "seller\0"
  const rocksdb::Slice upper_slice(upper);
  options.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(store_->db()->NewIterator(options, store_->cf(kCfOrdersByTime)));

  OrderListPage page;
  size_t scanned = 0;
  std::string last_key;
  it->Seek(start);
  if (it->Valid() && !after.empty() && it->key() == after) it->Next();
  for (; it->Valid(); it->Next()) {
    const std::string_view key(it->key().data(), it->key().size());
    if (q.from && PlacedAtOfKey(key.substr(prefix.size())) < *q.from) break;
    if (page.rows.size() == limit || scanned == limits::kOrderListScanMax) {
      // More may follow: hand back where this page stopped.
      page.next_cursor = ToHex({reinterpret_cast<const uint8_t*>(last_key.data()) + prefix.size(),
                                last_key.size() - prefix.size()});
      break;
    }
    ++scanned;
    last_key.assign(key);
    const auto* entry = VerifiedRoot<fb::OrderIndexEntry>(it->value(), "order index");
    if (!IndexMatches(*entry, q)) continue;
    std::string value;
    const bool found = store_->db()->Get(snapshot.options(), store_->cf(kCfOrders),
                                         keys::Scoped(q.seller_id, entry->order_id()->string_view()),
                                         &value).ok();
    MKT_ASSERT(found, "index entry without row: ", entry->order_id()->string_view());
    const auto* row = VerifiedRoot<fb::OrderRow>(value, "order row");
    if (q.status && row->status() != *q.status) continue;
    OrderListEntry& out = page.rows.emplace_back();
    row->UnPackTo(&out.order);
    if (settlement_ != nullptr && entry->row_type() != fb::RowType::refund) {
      out.settlement = settlement_->OfOrder(q.seller_id, out.order.order_id);
    }
    if (entry->row_type() == fb::RowType::refund) {
      out.refund.emplace();
      const std::string refund_key = keys::Scoped(q.seller_id, entry->order_id()->string_view()) +
                                     '\0' + entry->refund_id()->str();
      MKT_ASSERT(store_->db()->Get(snapshot.options(), store_->cf(kCfRefunds), refund_key, &value).ok(),
                 "refund index entry without refund row");
      VerifiedRoot<fb::RefundRow>(value, "refund row")->UnPackTo(&*out.refund);
    }
  }
  MKT_ASSERT(it->status().ok(), "order index read failed: ", it->status().ToString());
  return page;
}

std::vector<std::string> OrderListProjection::SellersOf(std::string_view order_id) const {
  const std::string prefix = keys::Scoped(order_id, "");
  std::vector<std::string> sellers;
  std::unique_ptr<rocksdb::Iterator> it(
      store_->db()->NewIterator(rocksdb::ReadOptions(), store_->cf(kCfOrderIds)));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    sellers.emplace_back(it->key().data() + prefix.size(), it->key().size() - prefix.size());
  }
  return sellers;
}

std::optional<OrderDetail> OrderListProjection::Get(std::string_view seller_id,
                                                    std::string_view order_id) const {
  Snapshot snapshot(store_->db());
  std::string value;
  if (!store_->db()
           ->Get(snapshot.options(), store_->cf(kCfOrders), keys::Scoped(seller_id, order_id),
                 &value)
           .ok()) {
    return std::nullopt;
  }
  OrderDetail detail;
  VerifiedRoot<fb::OrderRow>(value, "order row")->UnPackTo(&detail.row);
  std::string prefix = keys::Scoped(seller_id, order_id);
  prefix.push_back('\0');
  std::unique_ptr<rocksdb::Iterator> it(
      store_->db()->NewIterator(snapshot.options(), store_->cf(kCfOrderHistory)));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix) &&
                         detail.history.size() < limits::kHistoryEntriesMax;
       it->Next()) {
    detail.history.emplace_back();
    VerifiedRoot<fb::HistoryEntry>(it->value(), "history")->UnPackTo(&detail.history.back());
  }
  detail.refunds = ReadPrefix<fb::RefundRow>(*store_, kCfRefunds, prefix, snapshot.options());
  if (settlement_ != nullptr) detail.settlement = settlement_->OfOrder(seller_id, order_id);
  return detail;
}

}  // namespace mkt
