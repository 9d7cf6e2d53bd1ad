// Inside projections/settlement: the bookkeeping behind SettlementProjection.
// A Book reads and changes the `settlement` families through per-batch caches;
// the projection owns one for Apply, and `settle` builds a throwaway one over
// committed state to plan a close with exactly the code Apply will run.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ledger/state.h"
#include "projections/settlement.h"

namespace mkt {

// Pending puts and deletes of one family during a batch, readable by prefix
// scans merged with the store (an index changed earlier in the same batch must
// be seen by a close later in it).
class Overlay {
 public:
  void Put(std::string key, std::string value) { pending_[std::move(key)] = std::move(value); }
  void Delete(std::string key) { pending_[std::move(key)] = std::nullopt; }
  // Calls fn(key, value) for every live key with `prefix`, in key order.
  void Scan(const Store& store, rocksdb::ColumnFamilyHandle* family, std::string_view prefix,
            const std::function<void(std::string_view, std::string_view)>& fn) const;
  void Flush(rocksdb::WriteBatch* batch, rocksdb::ColumnFamilyHandle* family);
  void Reset() { pending_.clear(); }

 private:
  std::map<std::string, std::optional<std::string>, std::less<>> pending_;
};

// Key pieces of the families (see settlement.h).
std::string PeriodBytes(int32_t period);
std::string LineKey(std::string_view seller_id, const fb::SettlementLineT& line);
std::string LinePrefix(std::string_view seller_id, int32_t period);

class SettlementProjection::Book {
 public:
  Book(Store* store, TzOffset tz);

  void OnRecord(const AcceptedRecord& record);
  void Flush(rocksdb::WriteBatch* batch);
  void Reset();

  // What closing `period` would freeze, after holding blocked orders' lines.
  struct CloseWork {
    fb::StatementT closing;
    std::vector<std::pair<std::string, size_t>> held;  // (order_id, line index)
  };
  CloseWork PlanClose(std::string_view seller_id, int32_t period);
  // period_closed / earlier_period_open, if closing `period` is not allowed.
  std::optional<Rejection> RefuseClose(std::string_view seller_id, int32_t period);
  int32_t ClosedThrough(std::string_view seller_id);
  Fen CarriedOut(std::string_view seller_id);
  Fen InvoicesReceived(std::string_view seller_id, int32_t period);
  const fb::StatementT* FindStatement(std::string_view seller_id, int32_t period) {
    return statements_.Find(seller_id, PeriodBytes(period));
  }

 private:
  void Placed(const AcceptedRecord& r);
  void RefundEvent(const AcceptedRecord& r);
  void DeliveryEvent(const AcceptedRecord& r);
  void Eligible(std::string_view seller_id, std::string_view order_id, Micros eligible_at);
  void Recount(std::string_view seller_id, std::string_view order_id, std::string_view refund_id,
               Micros at);
  void AddLine(std::string_view seller_id, fb::SettlementOrderT* order, fb::SettlementLineT line);
  void AddToStatement(std::string_view seller_id, int32_t period,
                      const fb::SettlementFigures& figures, int64_t lines);
  void UpdateBlocked(std::string_view seller_id, std::string_view order_id,
                     const fb::SettlementOrderT& order);
  void Close(const AcceptedRecord& r);
  void CreditResellers(std::string_view seller_id, int32_t period);
  int32_t FirstOpen(std::string_view seller_id, int32_t period);

  Store* store_;
  TzOffset tz_;
  rocksdb::ColumnFamilyHandle* family_;
  rocksdb::ColumnFamilyHandle* reseller_family_;
  AggregateCache<fb::SettlementOrderT> orders_;
  AggregateCache<fb::StatementT> statements_;
  AggregateCache<fb::SellerSettlementT> sellers_;
  AggregateCache<fb::PlatformInvoicesT> invoices_;
  AggregateCache<fb::ResellerStatementT> reseller_statements_;
  Overlay index_;           // 'L', 'B' and 'P' keys of `settlement`
  Overlay reseller_lines_;  // 'L' keys of `reseller_settlement`
};

}  // namespace mkt
