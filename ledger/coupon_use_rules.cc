// LEDGER.md sections 3.2 and 4.3: applying a claimed coupon to an unpaid order
// (CouponRedeemed, with the discount computed here and recorded in the event)
// and taking it off again (CouponReleased; also when the order is voided).
#include <string>

#include "ledger/enum_names.h"
#include "ledger/rules.h"

namespace mkt {
namespace {

bool KindInScenarios(fb::OrderKind kind, const std::vector<fb::Scenario>& scenarios) {
  const std::string_view name = SpecName(fb::EnumNameOrderKind(kind));  // trial never matches
  for (fb::Scenario s : scenarios) {
    if (SpecName(fb::EnumNameScenario(s)) == name) return true;
  }
  return false;
}

bool ProductInScope(const fb::CouponStateT& coupon, const std::string& product_id) {
  if (coupon.scope == fb::CouponScope::shop) return true;
  return std::find(coupon.product_ids.begin(), coupon.product_ids.end(), product_id) !=
         coupon.product_ids.end();
}

// The coupon's conditions on this order, in the order LEDGER.md lists them.
Check CheckRedemption(const fb::CouponStateT& coupon, std::string_view coupon_id,
                      const fb::OrderStateT& order, RuleContext& ctx) {
  const fb::CouponClaimStateT* claims =
      ctx.state.coupon_claims.Find(ctx.seller_id, CouponClaimKey(coupon_id, order.buyer_id));
  if (claims == nullptr || claims->claimed - claims->in_use <= 0) {
    return Rejection{Code::kCouponNotClaimed, "field coupon_id: buyer " + Quoted(order.buyer_id) +
                                                  " holds no unused claim of " + Quoted(coupon_id)};
  }
  if (coupon.voided) {
    return Rejection{Code::kCouponVoided, "field coupon_id: " + Quoted(coupon_id) + " is voided"};
  }
  if (ctx.at < coupon.use_from_us || ctx.at > coupon.use_to_us) {
    return Rejection{Code::kCouponNotUsable, "field at: outside the use window of " +
                                                 Quoted(coupon_id) + " (" +
                                                 FormatRfc3339(coupon.use_from_us, ctx.policy.timezone) +
                                                 " .. " +
                                                 FormatRfc3339(coupon.use_to_us, ctx.policy.timezone) + ")"};
  }
  if (!ProductInScope(coupon, order.product_id)) {
    return Rejection{Code::kCouponScopeMismatch, "field coupon_id: " + Quoted(coupon_id) +
                                                     " does not cover product " +
                                                     Quoted(order.product_id)};
  }
  if (!KindInScenarios(order.kind, coupon.scenarios)) {
    return Rejection{Code::kCouponScenarioMismatch,
                     "field coupon_id: " + Quoted(coupon_id) + " does not apply to " +
                         std::string(SpecName(fb::EnumNameOrderKind(order.kind))) + " orders"};
  }
  if (coupon.kind == fb::CouponKind::threshold && order.price < coupon.threshold) {
    return Rejection{Code::kCouponThresholdNotMet,
                     "field coupon_id: price " + FormatMoney(Fen(order.price)) +
                         " is below the threshold " + FormatMoney(Fen(coupon.threshold))};
  }
  return std::nullopt;
}

// threshold: min(amount_off, price); discount: price - fee(price, pay rate).
Fen Discount(const fb::CouponStateT& coupon, Fen price) {
  if (coupon.kind == fb::CouponKind::threshold) return std::min(Fen(coupon.amount_off), price);
  return price - Fee(price, coupon.pay_rate_bp);
}

Check CouponRedeemed(const fb::CouponRedeemed& e, RuleContext& ctx) {
  const std::string_view order_id = e.order_id()->string_view();
  const std::string_view coupon_id = e.coupon_id()->string_view();
  const fb::OrderStateT* order = nullptr;
  if (auto r = FindOrder(ctx, order_id, &order)) return r;
  if (auto r = MustBeUnpaid(*order, order_id)) return r;
  if (auto r = NotExpired(*order, order_id, ctx)) return r;
  if (!order->coupon_id.empty()) {
    return Rejection{Code::kCouponApplied, "field order_id: coupon " + Quoted(order->coupon_id) +
                                               " is already applied"};
  }
  const fb::CouponStateT* coupon = ctx.state.coupons.Find(ctx.seller_id, coupon_id);
  if (coupon == nullptr) {
    return Rejection{Code::kUnknownCoupon,
                     "field coupon_id: " + Quoted(coupon_id) + " is not a coupon of this seller"};
  }
  if (auto r = CheckRedemption(*coupon, coupon_id, *order, ctx)) return r;

  const Fen discount = Discount(*coupon, Fen(order->price));
  ctx.derived.discount = discount.value();
  ctx.state.coupon_claims.Mutable(ctx.seller_id, CouponClaimKey(coupon_id, order->buyer_id))->in_use += 1;
  ctx.state.coupons.Mutable(ctx.seller_id, coupon_id)->redeemed += 1;
  fb::OrderStateT* mutable_order = ctx.state.orders.Mutable(ctx.seller_id, order_id);
  mutable_order->coupon_id = std::string(coupon_id);
  mutable_order->discount = discount.value();
  mutable_order->last_at_us = ctx.at;
  return std::nullopt;
}

Check CouponReleased(const fb::CouponReleased& e, RuleContext& ctx) {
  const std::string_view order_id = e.order_id()->string_view();
  const fb::OrderStateT* order = nullptr;
  if (auto r = FindOrder(ctx, order_id, &order)) return r;
  if (auto r = MustBeUnpaid(*order, order_id)) return r;
  if (auto r = NotExpired(*order, order_id, ctx)) return r;
  if (order->coupon_id.empty()) {
    return Rejection{Code::kCouponNotApplied,
                     "field order_id: order " + Quoted(order_id) + " has no coupon applied"};
  }
  fb::OrderStateT* mutable_order = ctx.state.orders.Mutable(ctx.seller_id, order_id);
  ReleaseCoupon(ctx, mutable_order);
  mutable_order->last_at_us = ctx.at;
  return std::nullopt;
}

}  // namespace

void ReleaseCoupon(RuleContext& ctx, fb::OrderStateT* order) {
  if (order->coupon_id.empty()) return;
  fb::CouponClaimStateT* claims =
      ctx.state.coupon_claims.Mutable(ctx.seller_id, CouponClaimKey(order->coupon_id, order->buyer_id));
  fb::CouponStateT* coupon = ctx.state.coupons.Mutable(ctx.seller_id, order->coupon_id);
  MKT_ASSERT(claims->in_use > 0 && coupon->redeemed > 0, "release of an unredeemed coupon ",
             order->coupon_id);
  claims->in_use -= 1;
  coupon->redeemed -= 1;
  ctx.derived.released_coupon_id = order->coupon_id;
  order->coupon_id.clear();
  order->discount = 0;
}

Check ApplyCouponUseEvent(const fb::InputEvent& event, RuleContext& ctx) {
  switch (event.event_type()) {
    case fb::Event::CouponRedeemed: return CouponRedeemed(*event.event_as_CouponRedeemed(), ctx);
    case fb::Event::CouponReleased: return CouponReleased(*event.event_as_CouponReleased(), ctx);
    default: MKT_ASSERT(false, "not a coupon use event");
  }
  return std::nullopt;
}

}  // namespace mkt
