// LEDGER.md section 3.3: refund requests and their approval or rejection. A
// refund is an aggregate of its own and every refund event is also an event of
// its order (its `at` may not go back before either one's latest event).
#include <string>

#include "ledger/enum_names.h"
#include "ledger/rules.h"

namespace mkt {
namespace {

// paid - approved refunds - pending requests.
Fen Refundable(const fb::OrderStateT& order) {
  return Fen(order.paid_cash) + Fen(order.paid_voucher) - Fen(order.refunded) -
         Fen(order.refunds_pending);
}

// The refund, its order, and both aggregates' ordering in time.
Check FindRefund(RuleContext& ctx, std::string_view refund_id, const fb::RefundStateT** refund,
                 const fb::OrderStateT** order) {
  *refund = ctx.state.refunds.Find(ctx.seller_id, refund_id);
  if (*refund == nullptr) {
    return Rejection{Code::kUnknownRefund,
                     "field refund_id: " + Quoted(refund_id) + " is not a refund of this seller"};
  }
  if (ctx.at < (*refund)->last_at_us) {
    return Rejection{Code::kOutOfOrder, "field at: earlier than the latest accepted event of refund " +
                                            Quoted(refund_id)};
  }
  if (auto r = FindOrder(ctx, (*refund)->order_id, order)) return r;
  if ((*refund)->status != fb::RefundStatus::pending) {
    return Rejection{Code::kRefundNotPending,
                     "field refund_id: " + Quoted(refund_id) + " is already " +
                         std::string(SpecName(fb::EnumNameRefundStatus((*refund)->status)))};
  }
  return std::nullopt;
}

// A buyer's request is decided by the seller (or the timer); a seller's by the platform.
bool MayDecide(fb::Initiator initiator, std::string_view by) {
  return initiator == fb::Initiator::buyer ? (by == "seller" || by == "auto") : by == "platform";
}

Check CheckRequest(const fb::RefundRequested& e, const fb::OrderStateT& order, RuleContext& ctx,
                   Fen* amount) {
  if (order.status != fb::OrderStatus::paid &&
      order.status != fb::OrderStatus::partially_refunded &&
      order.status != fb::OrderStatus::refunded) {
    return Rejection{Code::kOrderNotPaid, "field order_id: order " + Quoted(e.order_id()->string_view()) +
                                              " is " + std::string(SpecName(fb::EnumNameOrderStatus(order.status))) +
                                              "; only paid orders are refunded"};
  }
  if (e.release() == fb::Release::keep && (e.keep_reason() == nullptr || e.keep_reason()->size() == 0)) {
    return Rejection{Code::kMissingField, "field keep_reason: is required when release is keep"};
  }
  if (e.amount_is_remaining() && e.initiator() != fb::Initiator::seller) {
    return Rejection{Code::kMalformed, "field amount: only a seller may ask for the \"remaining\" balance"};
  }
  const Fen refundable = Refundable(order);
  *amount = e.amount_is_remaining() ? refundable : Fen(e.amount());
  if (amount->value() <= 0 || *amount > refundable) {
    return Rejection{Code::kRefundExceedsBalance,
                     "field amount: " + FormatMoney(*amount) + " must be above 0 and at most the refundable " +
                         FormatMoney(refundable)};
  }
  return std::nullopt;
}

Check RefundRequested(const fb::RefundRequested& e, RuleContext& ctx) {
  const std::string_view refund_id = e.refund_id()->string_view();
  const std::string_view order_id = e.order_id()->string_view();
  if (ctx.state.refunds.Find(ctx.seller_id, refund_id) != nullptr) {
    return Rejection{Code::kRefundExists, "field refund_id: " + Quoted(refund_id) + " already exists"};
  }
  const fb::OrderStateT* order = nullptr;
  if (auto r = FindOrder(ctx, order_id, &order)) return r;
  Fen amount;
  if (auto r = CheckRequest(e, *order, ctx, &amount)) return r;

  ctx.derived.refund_amount = amount.value();
  fb::RefundStateT* refund = ctx.state.refunds.Mutable(ctx.seller_id, refund_id);
  refund->order_id = std::string(order_id);
  refund->amount = amount.value();
  refund->initiator = e.initiator();
  refund->release = e.release();
  refund->status = fb::RefundStatus::pending;
  refund->requested_at_us = ctx.at;
  refund->last_at_us = ctx.at;
  if (e.initiator() == fb::Initiator::buyer) {  // unhandled buyer requests are auto-approved
    ctx.state.timers.Add(ctx.at + ctx.policy.refund_auto_approve_days * kMicrosPerDay,
                         TimerIndex::kAutoApprove, ctx.seller_id, refund_id);
  }
  fb::OrderStateT* mutable_order = ctx.state.orders.Mutable(ctx.seller_id, order_id);
  mutable_order->refunds_pending = (Fen(mutable_order->refunds_pending) + amount).value();
  mutable_order->last_at_us = ctx.at;
  return std::nullopt;
}

// Splits an approved amount into cash and voucher in proportion to the payment,
// on the cumulative refunded amount, so refunding everything returns exactly
// the cash and the voucher paid.
void SplitRefund(const fb::OrderStateT& order, Fen amount, Fen* cash, Fen* voucher) {
  const Fen paid = Fen(order.paid_cash) + Fen(order.paid_voucher);
  const Fen cumulative = Fen(order.refunded) + amount;
  const Fen cash_so_far = MulDivRoundHalfUp(cumulative, order.paid_cash, paid.value());
  *cash = cash_so_far - Fen(order.refunded_cash);
  *voucher = amount - *cash;
  MKT_ASSERT(cash->value() >= 0 && voucher->value() >= 0, "refund split out of range");
}

Check RefundDecided(const fb::InputEvent& event, std::string_view refund_id, std::string_view by,
                    RuleContext& ctx) {
  const fb::RefundStateT* refund = nullptr;
  const fb::OrderStateT* order = nullptr;
  if (auto r = FindRefund(ctx, refund_id, &refund, &order)) return r;
  if (!MayDecide(refund->initiator, by)) {
    return Rejection{Code::kRefundWrongApprover,
                     "field by: a " + std::string(SpecName(fb::EnumNameInitiator(refund->initiator))) +
                         "'s refund request is decided by " +
                         (refund->initiator == fb::Initiator::buyer ? "the seller" : "the platform")};
  }
  const Micros auto_due = refund->requested_at_us + ctx.policy.refund_auto_approve_days * kMicrosPerDay;
  if (by == "auto" && ctx.at < auto_due) {
    return Rejection{Code::kNotDue, "field by: auto-approval is due at " +
                                        FormatRfc3339(auto_due, ctx.policy.timezone)};
  }
  const bool approved = event.event_type() == fb::Event::RefundApproved;
  const Fen amount(refund->amount);
  ctx.derived.order_id = refund->order_id;
  fb::OrderStateT* mutable_order = ctx.state.orders.Mutable(ctx.seller_id, refund->order_id);
  mutable_order->refunds_pending = (Fen(mutable_order->refunds_pending) - amount).value();
  mutable_order->last_at_us = ctx.at;
  if (approved) {
    Fen cash, voucher;
    SplitRefund(*mutable_order, amount, &cash, &voucher);
    ctx.derived.refund_cash = cash.value();
    ctx.derived.refund_voucher = voucher.value();
    mutable_order->refunded = (Fen(mutable_order->refunded) + amount).value();
    mutable_order->refunded_cash = (Fen(mutable_order->refunded_cash) + cash).value();
    const bool all = mutable_order->refunded == mutable_order->paid_cash + mutable_order->paid_voucher;
    mutable_order->status = all ? fb::OrderStatus::refunded : fb::OrderStatus::partially_refunded;
    if (refund->release == fb::Release::immediate) TerminateDelivery(ctx, mutable_order);
    FlagCreditNotes(ctx, mutable_order);
  }
  fb::RefundStateT* mutable_refund = ctx.state.refunds.Mutable(ctx.seller_id, refund_id);
  mutable_refund->status = approved ? fb::RefundStatus::approved : fb::RefundStatus::rejected;
  mutable_refund->last_at_us = ctx.at;
  return std::nullopt;
}

}  // namespace

Check ApplyRefundEvent(const fb::InputEvent& event, RuleContext& ctx) {
  switch (event.event_type()) {
    case fb::Event::RefundRequested: return RefundRequested(*event.event_as_RefundRequested(), ctx);
    case fb::Event::RefundApproved: {
      const auto* e = event.event_as_RefundApproved();
      return RefundDecided(event, e->refund_id()->string_view(), SpecName(fb::EnumNameApprover(e->by())), ctx);
    }
    case fb::Event::RefundRejected: {
      const auto* e = event.event_as_RefundRejected();
      return RefundDecided(event, e->refund_id()->string_view(), SpecName(fb::EnumNameDecider(e->by())), ctx);
    }
    default: MKT_ASSERT(false, "not a refund event");
  }
  return std::nullopt;
}

}  // namespace mkt
