// The order-list read model (INTERFACE.md `orders` and `order`).
//
// Families:
//   orders          seller \0 order_id                    -> OrderRow (the full ROW)
//   orders_by_time  seller \0 ~placed_at \0 ~order_id \xff -> OrderIndexEntry
//                   (newest first, then order_id descending, by plain key order)
//   order_ids       order_id \0 seller                    -> "" (find an order by id)
//   order_history   seller \0 order_id \0 seq             -> HistoryEntry
//   refunds         seller \0 order_id \0 refund_id       -> RefundRow
// An approved refund is also an orders_by_time entry at its approval time (a
// reverse order row); its id part is refund_id + "/", which no order id can be.
// Rows change in an in-memory cache during a batch and are written once per batch.
//
// Threading: Apply/Reset from the ledger's writer thread; queries from any
// thread (each reads one RocksDB snapshot).
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "ledger/ledger.h"
#include "ledger/state.h"
#include "projections/settlement.h"
#include "schemas/records_generated.h"

namespace mkt {

inline constexpr const char* kCfOrders = "orders";
inline constexpr const char* kCfOrdersByTime = "orders_by_time";
inline constexpr const char* kCfOrderIds = "order_ids";
inline constexpr const char* kCfOrderHistory = "order_history";
inline constexpr const char* kCfRefunds = "refunds";

struct OrderListQuery {
  std::string seller_id;
  std::optional<fb::OrderStatus> status;
  std::optional<fb::OrderKind> kind;
  bool refunds_only = false;   // --kind refund: only reverse-order rows
  std::optional<std::string> product_id;
  std::optional<std::string> buyer_id;
  std::optional<fb::Channel> channel;
  std::optional<Micros> from;  // placed_at >= from
  std::optional<Micros> to;    // placed_at < to
  size_t limit = 50;
  std::string cursor;          // opaque, from a previous page's next_cursor
};

// One list entry: an order, or an approved refund of `order` (a reverse row).
struct OrderListEntry {
  fb::OrderRowT order;
  std::optional<fb::RefundRowT> refund;
  OrderSettlement settlement;  // of an order row
};

struct OrderListPage {
  std::vector<OrderListEntry> rows;
  std::optional<std::string> next_cursor;
};

struct OrderDetail {
  fb::OrderRowT row;
  std::vector<fb::HistoryEntryT> history;
  std::vector<fb::RefundRowT> refunds;
  OrderSettlement settlement;
};

class OrderListProjection final : public BatchObserver {
 public:
  static std::vector<std::string> Families();

  explicit OrderListProjection(Store* store);

  void Apply(std::span<const AcceptedRecord> records, rocksdb::WriteBatch* batch) override;
  // Where rows' settlement state comes from (set by Projections).
  void set_settlement(const SettlementProjection* settlement) { settlement_ = settlement; }

  void Reset() override {
    rows_.Reset();
    refunds_.Reset();
  }

  // A page of the seller's list, or an error message for a bad cursor.
  std::variant<OrderListPage, std::string> List(const OrderListQuery& query) const;
  // The sellers that have an order with this id (normally one).
  std::vector<std::string> SellersOf(std::string_view order_id) const;
  std::optional<OrderDetail> Get(std::string_view seller_id, std::string_view order_id) const;

 private:
  void ApplyOne(const AcceptedRecord& record, rocksdb::WriteBatch* batch);
  void ApplyToOrder(const AcceptedRecord& record, std::string_view order_id, rocksdb::WriteBatch* batch);
  void PlaceOrder(const AcceptedRecord& record, rocksdb::WriteBatch* batch);
  void ApplyRefund(const AcceptedRecord& record, fb::OrderRowT* row, rocksdb::WriteBatch* batch);

  Store* store_;
  const SettlementProjection* settlement_ = nullptr;
  AggregateCache<fb::OrderRowT> rows_;
  AggregateCache<fb::RefundRowT> refunds_;  // keyed (seller, order_id \0 refund_id)
};

// Index keys, exposed for tests.
std::string OrderTimeKey(std::string_view seller_id, Micros placed_at, std::string_view order_id);
std::string RefundTimeKey(std::string_view seller_id, Micros approved_at, std::string_view refund_id);

}  // namespace mkt
