#include "projections/order_json.h"

#include "ledger/enum_names.h"
#include "ledger/money.h"

namespace mkt {
namespace {

Json OrNull(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }
Json Money(int64_t fen) { return FormatMoney(Fen(fen)); }
Json Time(std::optional<Micros> at, TzOffset tz) {
  return at ? Json(FormatRfc3339(*at, tz)) : Json(nullptr);
}

Json DeliveryJson(const fb::OrderRowT& row) {
  if (row.delivery_state == fb::DeliveryState::none) return nullptr;
  return Json{{"template", row.delivery_template},
              {"state", SpecName(fb::EnumNameDeliveryState(row.delivery_state))},
              {"node", OrNull(row.delivery_node)}};
}

Json SettlementJson(const fb::OrderRowT& row, TzOffset tz, Micros now) {
  const bool paid = row.status != fb::OrderStatus::unpaid && row.status != fb::OrderStatus::voided;
  const bool eligible = paid && row.eligible_at_us && now >= *row.eligible_at_us;
  return Json{{"state", eligible ? "eligible" : "not_eligible"},
              {"eligible_at", Time(row.eligible_at_us, tz)},
              {"period", row.eligible_at_us ? Json(FormatPeriod(LocalPeriod(*row.eligible_at_us, tz)))
                                            : Json(nullptr)}};
}

}  // namespace

Json OrderRowJson(const fb::OrderRowT& row, TzOffset tz, Micros now) {
  const int64_t payable = row.price - row.discount;
  const int64_t invoiceable = row.paid_cash - row.refunded_cash - row.invoiced;
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
      {"delivery", DeliveryJson(row)},
      {"settlement", SettlementJson(row, tz, now)},
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
  return Json{{"order", OrderRowJson(detail.row, tz, now)},
              {"history", std::move(history)},
              {"refunds", Json::array()}};
}

Json OrderPageJson(const OrderListPage& page, TzOffset tz, Micros now) {
  Json rows = Json::array();
  for (const fb::OrderRowT& row : page.rows) rows.push_back(OrderRowJson(row, tz, now));
  return Json{{"orders", std::move(rows)},
              {"next_cursor", page.next_cursor ? Json(*page.next_cursor) : Json(nullptr)}};
}

}  // namespace mkt
