// LEDGER.md sections 3.2 and 4.1: OrderPlaced, OrderPriceChanged, OrderPaid,
// OrderVoided. The order is an aggregate: none of its events may go back in time.
#include <string>

#include "ledger/delivery_templates.h"
#include "ledger/enum_names.h"
#include "ledger/rules.h"

namespace mkt {
namespace {

Rejection UnknownOrder(std::string_view order_id) {
  return Rejection{Code::kUnknownOrder,
                   "field order_id: " + Quoted(order_id) + " is not an order of this seller"};
}

}  // namespace

Check FindOrder(RuleContext& ctx, std::string_view order_id, const fb::OrderStateT** out) {
  *out = ctx.state.orders.Find(ctx.seller_id, order_id);
  if (*out == nullptr) return UnknownOrder(order_id);
  if (ctx.at < (*out)->last_at_us) {
    return Rejection{Code::kOutOfOrder, "field at: earlier than the latest accepted event of order " +
                                            Quoted(order_id)};
  }
  return std::nullopt;
}

Check MustBeUnpaid(const fb::OrderStateT& order, std::string_view order_id) {
  if (order.status != fb::OrderStatus::unpaid) {
    return Rejection{Code::kOrderNotUnpaid, "field order_id: order " + Quoted(order_id) + " is " +
                                                std::string(SpecName(fb::EnumNameOrderStatus(order.status))) +
                                                ", not unpaid"};
  }
  return std::nullopt;
}

Check NotExpired(const fb::OrderStateT& order, std::string_view order_id, RuleContext& ctx) {
  if (order.status == fb::OrderStatus::unpaid && ctx.at >= order.expires_at_us) {
    return Rejection{Code::kOrderExpired, "field at: order " + Quoted(order_id) +
                                              " expired at its unpaid deadline " +
                                              FormatRfc3339(order.expires_at_us, ctx.policy.timezone)};
  }
  return std::nullopt;
}

namespace {

Check CheckChannel(const fb::OrderPlaced& e, const fb::ProductStateT& product) {
  const bool via_reseller = e.channel() == fb::Channel::reseller;
  if (via_reseller && e.reseller_id() == nullptr) {
    return Rejection{Code::kMissingField, "field reseller_id: is required when channel is reseller"};
  }
  if (!via_reseller && e.reseller_id() != nullptr) {
    return Rejection{Code::kMalformed, "field reseller_id: only allowed when channel is reseller"};
  }
  if (via_reseller && !product.reseller_rate_bp) {
    return Rejection{Code::kResellerNotEnabled, "field product_id: " +
                                                    Quoted(e.product_id()->string_view()) +
                                                    " has no reseller rate"};
  }
  return std::nullopt;
}

Check OrderPlaced(const fb::OrderPlaced& e, RuleContext& ctx) {
  const std::string_view id = e.order_id()->string_view();
  if (ctx.state.orders.Find(ctx.seller_id, id) != nullptr) {
    return Rejection{Code::kOrderExists, "field order_id: " + Quoted(id) + " already exists"};
  }
  const fb::ProductStateT* product =
      ctx.state.products.Find(ctx.seller_id, e.product_id()->string_view());
  if (product == nullptr) return UnknownProduct(e.product_id()->string_view());
  if (e.quantity() < 1) {
    return Rejection{Code::kMalformed,
                     "field quantity: " + std::to_string(e.quantity()) + " must be at least 1"};
  }
  if (auto r = CheckChannel(e, *product)) return r;

  const int32_t expiry_days = ctx.policy.unpaid_expiry_days[static_cast<size_t>(e.kind())];
  const Micros expires_at = ctx.at + expiry_days * kMicrosPerDay;
  ctx.derived.product_name = product->name;
  ctx.derived.category = product->category;
  ctx.derived.platform_fee_bp = product->platform_fee_bp;
  if (e.channel() == fb::Channel::reseller) ctx.derived.reseller_rate_bp = product->reseller_rate_bp;
  ctx.derived.delivery_template = product->delivery_template;
  ctx.derived.expires_at_us = expires_at;

  fb::OrderStateT* order = ctx.state.orders.Mutable(ctx.seller_id, id);
  order->product_id = e.product_id()->str();
  order->buyer_id = e.buyer_id()->str();
  order->kind = e.kind();
  order->channel = e.channel();
  order->status = fb::OrderStatus::unpaid;
  order->list_price = e.list_price();
  order->price = e.list_price();
  order->placed_at_us = ctx.at;
  order->expires_at_us = expires_at;
  order->last_at_us = ctx.at;
  order->delivery_template = product->delivery_template;
  ctx.state.timers.Add(expires_at, TimerIndex::kExpireOrder, ctx.seller_id, id);
  return std::nullopt;
}

Check OrderPriceChanged(const fb::OrderPriceChanged& e, RuleContext& ctx) {
  const std::string_view id = e.order_id()->string_view();
  const fb::OrderStateT* order = nullptr;
  if (auto r = FindOrder(ctx, id, &order)) return r;
  if (auto r = MustBeUnpaid(*order, id)) return r;
  if (auto r = NotExpired(*order, id, ctx)) return r;
  if (!order->coupon_id.empty()) {
    return Rejection{Code::kCouponApplied, "field order_id: coupon " + Quoted(order->coupon_id) +
                                               " is applied; release it before changing the price"};
  }
  if (e.new_price() > order->list_price) {
    return Rejection{Code::kPriceIncreaseNotAllowed,
                     "field new_price: " + FormatMoney(Fen(e.new_price())) +
                         " is above the list price " + FormatMoney(Fen(order->list_price))};
  }
  fb::OrderStateT* mutable_order = ctx.state.orders.Mutable(ctx.seller_id, id);
  mutable_order->price = e.new_price();
  mutable_order->last_at_us = ctx.at;
  return std::nullopt;
}

Check OrderPaid(const fb::OrderPaid& e, RuleContext& ctx) {
  const std::string_view id = e.order_id()->string_view();
  const fb::OrderStateT* order = nullptr;
  if (auto r = FindOrder(ctx, id, &order)) return r;
  if (auto r = MustBeUnpaid(*order, id)) return r;
  if (auto r = NotExpired(*order, id, ctx)) return r;
  const Fen payable = Fen(order->price) - Fen(order->discount);
  const Fen paid = Fen(e.cash()) + Fen(e.voucher());
  if (paid != payable) {
    return Rejection{Code::kAmountMismatch, "field cash: cash " + FormatMoney(Fen(e.cash())) +
                                                " + voucher " + FormatMoney(Fen(e.voucher())) +
                                                " = " + FormatMoney(paid) + " but payable is " +
                                                FormatMoney(payable)};
  }
  if (order->delivery_template.empty()) {
    ctx.derived.eligible_at_us = ctx.at + ctx.policy.no_reason_refund_days * kMicrosPerDay;
  } else {
    const auto nodes = FindTemplate(ctx, order->delivery_template);
    MKT_ASSERT(!nodes.empty(), "order has unknown template ", order->delivery_template);
    ctx.derived.delivery_node = nodes.front().name;
    ctx.derived.delivery_state = fb::DeliveryState::in_progress;
  }
  fb::OrderStateT* mutable_order = ctx.state.orders.Mutable(ctx.seller_id, id);
  mutable_order->status = fb::OrderStatus::paid;
  mutable_order->paid_at_us = ctx.at;
  mutable_order->paid_cash = e.cash();
  mutable_order->paid_voucher = e.voucher();
  mutable_order->last_at_us = ctx.at;
  ctx.state.timers.Add(ctx.at + ctx.policy.review_default_days * kMicrosPerDay,
                       TimerIndex::kDefaultReview, ctx.seller_id, id);
  if (!order->delivery_template.empty()) {  // a delivery instance opens at node 0
    mutable_order->delivery_state = fb::DeliveryState::in_progress;
    mutable_order->delivery_node = 0;
    mutable_order->node_entered_at_us = ctx.at;
    AddDeliveryTimer(ctx, id, FindTemplate(ctx, order->delivery_template).front());
  }
  return std::nullopt;
}

Check OrderVoided(const fb::OrderVoided& e, RuleContext& ctx) {
  const std::string_view id = e.order_id()->string_view();
  const fb::OrderStateT* order = nullptr;
  if (auto r = FindOrder(ctx, id, &order)) return r;
  if (auto r = MustBeUnpaid(*order, id)) return r;
  if (e.reason() == fb::VoidReason::expired && ctx.at < order->expires_at_us) {
    return Rejection{Code::kNotDue, "field reason: order " + Quoted(id) + " does not expire before " +
                                        FormatRfc3339(order->expires_at_us, ctx.policy.timezone)};
  }
  fb::OrderStateT* mutable_order = ctx.state.orders.Mutable(ctx.seller_id, id);
  ReleaseCoupon(ctx, mutable_order);  // a coupon on a voided order is released
  mutable_order->status = fb::OrderStatus::voided;
  mutable_order->last_at_us = ctx.at;
  return std::nullopt;
}

}  // namespace

Check ApplyOrderEvent(const fb::InputEvent& event, RuleContext& ctx) {
  switch (event.event_type()) {
    case fb::Event::OrderPlaced: return OrderPlaced(*event.event_as_OrderPlaced(), ctx);
    case fb::Event::OrderPriceChanged:
      return OrderPriceChanged(*event.event_as_OrderPriceChanged(), ctx);
    case fb::Event::OrderPaid: return OrderPaid(*event.event_as_OrderPaid(), ctx);
    case fb::Event::OrderVoided: return OrderVoided(*event.event_as_OrderVoided(), ctx);
    default: MKT_ASSERT(false, "not an order event");
  }
  return std::nullopt;
}

}  // namespace mkt
