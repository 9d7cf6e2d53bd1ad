#include "projections/settlement_json.h"

#include "ledger/enum_names.h"
#include "ledger/hash.h"
#include "ledger/money.h"

namespace mkt {
namespace {

Json Money(int64_t fen) { return FormatMoney(Fen(fen)); }
Json OrNull(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }

}  // namespace

Json SettlementLineJson(const fb::SettlementLineT& line, TzOffset tz) {
  const fb::SettlementFigures& f = *line.figures;
  return Json{{"order_id", line.order_id},
              {"type", SpecName(fb::EnumNameLineType(line.type))},
              {"refund_id", OrNull(line.refund_id)},
              {"eligible_at", FormatRfc3339(line.eligible_at_us, tz)},
              {"gross", Money(f.gross())},
              {"voucher", Money(f.voucher())},
              {"platform_fee", Money(f.platform_fee())},
              {"reseller_commission", Money(f.reseller_commission())},
              {"seller_net", Money(f.seller_net())},
              {"held_from", line.held_from ? Json(FormatPeriod(*line.held_from)) : Json(nullptr)},
              {"reseller_id", OrNull(line.reseller_id)}};
}

Json StatementJson(const StatementView& view, TzOffset tz) {
  const fb::StatementT& st = view.statement;
  const fb::SettlementFigures& t = *st.totals;
  Json lines = Json::array();
  for (const fb::SettlementLineT& line : view.lines) lines.push_back(SettlementLineJson(line, tz));
  const bool closed = st.status == fb::StatementStatus::closed;
  return Json{
      {"seller_id", view.seller_id},
      {"period", FormatPeriod(view.period)},
      {"status", SpecName(fb::EnumNameStatementStatus(st.status))},
      {"currency", "CNY"},
      {"gross", Money(t.gross())},
      {"voucher", Money(t.voucher())},
      {"platform_fee", Money(t.platform_fee())},
      {"reseller_commission", Money(t.reseller_commission())},
      {"net", Money(t.seller_net())},
      {"carried_in", Money(st.carried_in)},
      {"payable", Money(st.payable)},
      {"carried_out", Money(st.carried_out)},
      {"voucher_invoice_due", Money(st.voucher_invoice_due)},
      {"payout_held", Money(st.payout_held)},
      {"payout_releasable", Money(st.payout_releasable)},
      {"platform_commission_invoice", Money(t.platform_fee())},
      {"closed_at", closed && st.closed_at_us ? Json(FormatRfc3339(*st.closed_at_us, tz)) : Json(nullptr)},
      {"head_hash", st.head_hash.empty() ? Json(nullptr) : Json(ToHex(st.head_hash))},
      {"line_count", st.line_count},
      {"lines", std::move(lines)},
      {"next_cursor", view.next_cursor ? Json(*view.next_cursor) : Json(nullptr)},
  };
}

Json ResellerStatementJson(const ResellerStatementView& view) {
  Json lines = Json::array();
  for (const fb::ResellerLineT& line : view.lines) {
    lines.push_back(Json{{"seller_id", line.seller_id},
                         {"order_id", line.order_id},
                         {"type", SpecName(fb::EnumNameLineType(line.type))},
                         {"refund_id", OrNull(line.refund_id)},
                         {"commission", Money(line.commission)}});
  }
  return Json{{"reseller_id", view.reseller_id},
              {"period", FormatPeriod(view.period)},
              {"commission", Money(view.statement.commission)},
              {"clawback", Money(view.statement.clawback)},
              {"net", Money(view.net.value())},
              {"carried_in", Money(view.carried_in.value())},
              {"payable", Money(view.payable.value())},
              {"carried_out", Money(view.carried_out.value())},
              {"lines", std::move(lines)}};
}

}  // namespace mkt
