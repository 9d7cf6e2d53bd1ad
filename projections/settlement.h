// The settlement read model (LEDGER.md section 5, INTERFACE.md `settlement`,
// `settle`, `reseller-statement`).
//
// Lines. A paid order with money becomes eligible (delivery completed or
// terminated; paid_at + no_reason_refund_days without a template) and gets a
// sale line in the first open period at or after its eligibility month. Until
// that line's period closes, refunds change the line itself (it is counted at
// close). After it closed, each approved refund adds an adjustment line in the
// first open period at or after the refund: the difference between the
// formulas on the new net and the sum of the order's lines so far. So an
// order's lines always sum to the formulas on its net, to the fen.
//
// Close. A SettlementClosed event closes a seller's period: lines of orders
// that are blocked (a pending refund or an open appeal) move to the next period
// with held_from; the rest is frozen with its totals, carry-forward and payout
// split; reseller statements get the closed lines' commissions. Every period up
// to the closed one is closed for the seller from then on ("closed through").
//
// Family `settlement` (tag byte, then the key):
//   'O' seller \0 order_id                           -> SettlementOrder
//   'L' seller \0 period(u32) order_id \0 line(u32)   -> SettlementLine (listing)
//   'S' seller \0 period(u32)                         -> Statement (running totals)
//   'M' seller \0                                     -> SellerSettlement
//   'B' seller \0 order_id                            -> "" (blocked orders)
//   'P' period(u32) seller                            -> "" (sellers with a statement)
//   'I' seller \0 period(u32)                         -> PlatformInvoices
// Family `reseller_settlement`:
//   'S' reseller \0 period(u32)                       -> ResellerStatement
//   'L' reseller \0 period(u32) seller \0 order_id \0 line(u32) -> ResellerLine
//
// Threading: Apply/Reset from the ledger's writer thread; queries from any
// thread.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "ledger/ledger.h"
#include "ledger/money.h"
#include "schemas/settlement_generated.h"

namespace mkt {

inline constexpr const char* kCfSettlement = "settlement";
inline constexpr const char* kCfResellerSettlement = "reseller_settlement";

// The formulas of LEDGER.md section 5 on an order's net; pure.
fb::SettlementFigures LineFormulas(Fen net, Fen voucher, int32_t platform_fee_bp,
                                   std::optional<int32_t> reseller_rate_bp);
fb::SettlementFigures Add(const fb::SettlementFigures& a, const fb::SettlementFigures& b);
fb::SettlementFigures Subtract(const fb::SettlementFigures& a, const fb::SettlementFigures& b);
bool IsZero(const fb::SettlementFigures& f);

// A statement's closing figures from its totals, the deficit carried in and the
// voucher invoices received for the period; pure.
struct ClosingFigures {
  Fen carried_in, payable, carried_out, voucher_invoice_due, payout_held, payout_releasable;
};
ClosingFigures Closing(const fb::SettlementFigures& totals, Fen carried_in, Fen invoices_received);
// Copies the closing figures into a statement record.
void SetClosing(const ClosingFigures& c, fb::StatementT* statement);

struct StatementView {
  std::string seller_id;
  int32_t period = 0;
  fb::StatementT statement;            // for an open one: figures as if closed now
  std::vector<fb::SettlementLineT> lines;
  std::optional<std::string> next_cursor;
};

struct ResellerLineView {
  int32_t period = 0;
  fb::ResellerLineT line;
};
struct ResellerStatementView {
  std::string reseller_id;
  int32_t period = 0;
  fb::ResellerStatementT statement;
  Fen net, carried_in, payable, carried_out;
  std::vector<fb::ResellerLineT> lines;
};

// What `settle` would close for one seller, and whether it may.
struct ClosePlan {
  std::string seller_id;
  std::optional<Rejection> refusal;   // period_closed or earlier_period_open
  fb::StatementT closing;             // the figures SettlementClosed carries
};

// An order's settlement as the order list shows it.
struct OrderSettlement {
  std::optional<Micros> eligible_at;
  std::optional<int32_t> period;       // of the sale line
  std::optional<int32_t> held_from;
  bool settled = false;                // the sale line's period is closed
};

class SettlementProjection final : public BatchObserver {
 public:
  static std::vector<std::string> Families();

  SettlementProjection(Store* store, TzOffset tz);
  ~SettlementProjection() override;

  void Apply(std::span<const AcceptedRecord> records, rocksdb::WriteBatch* batch) override;
  void Reset() override;

  // The statement with up to `limit` lines after `cursor`; an error message for
  // a bad cursor.
  std::variant<StatementView, std::string> Statement(std::string_view seller_id, int32_t period,
                                                     size_t limit, std::string_view cursor) const;
  ResellerStatementView ResellerStatement(std::string_view reseller_id, int32_t period) const;
  // Sellers with a statement (open or closed) for `period`, in id order.
  std::vector<std::string> SellersWithStatement(int32_t period) const;
  // What closing `period` for the seller would record, from committed state.
  ClosePlan PlanClose(std::string_view seller_id, int32_t period) const;
  OrderSettlement OfOrder(std::string_view seller_id, std::string_view order_id) const;

 private:
  class Book;
  Store* store_;
  TzOffset tz_;
  std::unique_ptr<Book> book_;
};

}  // namespace mkt
