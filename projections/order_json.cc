#include "projections/order_json.h"

#include <algorithm>

#include "ledger/assert.h"
#include "ledger/enum_names.h"
#include "ledger/money.h"

namespace mkt {
namespace {

Json OrNull(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }
Json Money(int64_t fen) { return FormatMoney(Fen(fen)); }
Json Time(std::optional<Micros> at, TzOffset tz) {
  return at ? Json(FormatRfc3339(*at, tz)) : Json(nullptr);
}

Json DeliveryJson(const fb::OrderRowT& row, TzOffset tz) {
  if (row.delivery_state == fb::DeliveryState::none) return nullptr;
  return Json{{"template", row.delivery_template},
              {"state", SpecName(fb::EnumNameDeliveryState(row.delivery_state))},
              {"node", OrNull(row.delivery_node)},
              {"service_start", row.service_start_us ? Json(FormatRfc3339(*row.service_start_us, tz))
                                                     : Json(nullptr)}};
}

Json SettlementJson(const fb::OrderRowT& row, const OrderSettlement& s, TzOffset tz, Micros now) {
  const bool paid = row.status != fb::OrderStatus::unpaid && row.status != fb::OrderStatus::voided;
  const std::optional<Micros> eligible_at = s.eligible_at ? s.eligible_at : row.eligible_at_us;
  std::string_view state = paid && eligible_at && now >= *eligible_at ? "eligible" : "not_eligible";
  if (s.held_from) state = "held";
  if (s.settled) state = "settled";
  std::optional<int32_t> period = s.period;
  if (!period && eligible_at) period = LocalPeriod(*eligible_at, tz);
  return Json{{"state", state},
              {"eligible_at", Time(eligible_at, tz)},
              {"period", period ? Json(FormatPeriod(*period)) : Json(nullptr)},
              {"held_from", s.held_from ? Json(FormatPeriod(*s.held_from)) : Json(nullptr)}};
}

}  // namespace

Json OrderRowJson(const fb::OrderRowT& row, const OrderSettlement& settlement, TzOffset tz,
                  Micros now) {
  const int64_t payable = row.price - row.discount;
  // Below zero only when a refund came after invoicing (the invoice then needs a
  // credit note); nothing more can be invoiced.
  const int64_t invoiceable = std::max<int64_t>(0, row.paid_cash - row.refunded_cash - row.invoiced);
  return Json{
      {"order_id", row.order_id},
      {"seller_id", row.seller_id},
      {"product_id", row.product_id},
      {"product_name", row.product_name},
      {"buyer_id", row.buyer_id},
      {"kind", SpecName(fb::EnumNameOrderKind(row.kind))},
      {"spec", OrNull(row.spec)},
      {"period", OrNull(row.period)},
      {"quantity", row.quantity},
      {"channel", SpecName(fb::EnumNameChannel(row.channel))},
      {"reseller_id", OrNull(row.reseller_id)},
      {"reseller_rate_bp", row.reseller_rate_bp ? Json(*row.reseller_rate_bp) : Json(nullptr)},
      {"status", SpecName(fb::EnumNameOrderStatus(row.status))},
      {"list_price", Money(row.list_price)},
      {"price", Money(row.price)},
      {"discount", Money(row.discount)},
      {"payable", Money(payable)},
      {"paid_cash", Money(row.paid_cash)},
      {"paid_voucher", Money(row.paid_voucher)},
      {"refunded", Money(row.refunded)},
      {"invoiced", Money(row.invoiced)},
      {"invoiceable", Money(invoiceable)},
      {"placed_at", FormatRfc3339(row.placed_at_us, tz)},
      {"paid_at", Time(row.paid_at_us, tz)},
      {"expires_at", FormatRfc3339(row.expires_at_us, tz)},
      {"coupon_id", OrNull(row.coupon_id)},
      {"delivery", DeliveryJson(row, tz)},
      {"settlement", SettlementJson(row, settlement, tz, now)},
  };
}

Json RefundJson(const fb::RefundRowT& r, TzOffset tz) {
  const bool approved = r.status == fb::RefundStatus::approved;
  return Json{{"refund_id", r.refund_id},
              {"order_id", r.order_id},
              {"amount", Money(r.amount)},
              {"initiator", SpecName(fb::EnumNameInitiator(r.initiator))},
              {"status", SpecName(fb::EnumNameRefundStatus(r.status))},
              {"requested_at", FormatRfc3339(r.requested_at_us, tz)},
              {"decided_at", Time(r.decided_at_us, tz)},
              {"by", OrNull(r.by)},
              {"cash", approved ? Money(r.cash) : Json(nullptr)},
              {"voucher", approved ? Money(r.voucher) : Json(nullptr)},
              {"release", SpecName(fb::EnumNameRelease(r.release))},
              {"reason", r.reason}};
}

Json RefundListRowJson(const fb::OrderRowT& order, const fb::RefundRowT& refund, TzOffset tz) {
  MKT_ASSERT(refund.decided_at_us.has_value(), "refund row before approval");
  const std::string approved_at = FormatRfc3339(*refund.decided_at_us, tz);
  const Json zero = Money(0);
  return Json{
      {"order_id", order.order_id},
      {"refund_id", refund.refund_id},
      {"amount", Money(-refund.amount)},
      {"seller_id", order.seller_id},
      {"product_id", order.product_id},
      {"product_name", order.product_name},
      {"buyer_id", order.buyer_id},
      {"kind", "refund"},
      {"spec", OrNull(order.spec)},
      {"period", OrNull(order.period)},
      {"quantity", order.quantity},
      {"channel", SpecName(fb::EnumNameChannel(order.channel))},
      {"reseller_id", OrNull(order.reseller_id)},
      {"reseller_rate_bp", order.reseller_rate_bp ? Json(*order.reseller_rate_bp) : Json(nullptr)},
      {"status", "approved"},
      {"list_price", zero},
      {"price", zero},
      {"discount", zero},
      {"payable", Money(-refund.amount)},
      {"paid_cash", Money(-refund.cash)},
      {"paid_voucher", Money(-refund.voucher)},
      {"refunded", zero},
      {"invoiced", zero},
      {"invoiceable", zero},
      {"placed_at", approved_at},
      {"paid_at", approved_at},
      {"expires_at", nullptr},
      {"coupon_id", nullptr},
      {"delivery", nullptr},
      {"settlement", nullptr},
  };
}

Json OrderDetailJson(const OrderDetail& detail, TzOffset tz, Micros now) {
  Json history = Json::array();
  for (const fb::HistoryEntryT& h : detail.history) {
    history.push_back(Json{{"seq", h.seq},
                           {"type", h.type},
                           {"at", FormatRfc3339(h.at_us, tz)},
                           {"event_id", h.event_id}});
  }
  Json refunds = Json::array();
  for (const fb::RefundRowT& r : detail.refunds) refunds.push_back(RefundJson(r, tz));
  return Json{{"order", OrderRowJson(detail.row, detail.settlement, tz, now)},
              {"history", std::move(history)},
              {"refunds", std::move(refunds)}};
}

Json OrderPageJson(const OrderListPage& page, TzOffset tz, Micros now) {
  Json rows = Json::array();
  for (const OrderListEntry& e : page.rows) {
    rows.push_back(e.refund ? RefundListRowJson(e.order, *e.refund, tz) : OrderRowJson(e.order, e.settlement, tz, now));
  }
  return Json{{"orders", std::move(rows)},
              {"next_cursor", page.next_cursor ? Json(*page.next_cursor) : Json(nullptr)}};
}

}  // namespace mkt
