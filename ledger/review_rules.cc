// LEDGER.md section 3.6: one review per paid order; the timer posts a default
// 5/5/5 review (not counted in scores) once review_default_days have passed
// since payment without one.
#include <string>

#include "ledger/rules.h"

namespace mkt {
namespace {

Check Stars(const char* field, int32_t value) {
  if (value < 1 || value > 5) {
    return Rejection{Code::kMalformed, std::string("field ") + field + ": " + std::to_string(value) +
                                           " must be 1..5"};
  }
  return std::nullopt;
}

Check ReviewPosted(const fb::ReviewPosted& e, RuleContext& ctx) {
  const std::string_view order_id = e.order_id()->string_view();
  const fb::OrderStateT* order = nullptr;
  if (auto r = FindOrder(ctx, order_id, &order)) return r;
  if (!order->paid_at_us) {
    return Rejection{Code::kOrderNotPaid, "field order_id: order " + Quoted(order_id) +
                                              " was never paid; only paid orders are reviewed"};
  }
  if (order->reviewed) {
    return Rejection{Code::kReviewExists, "field order_id: order " + Quoted(order_id) + " is already reviewed"};
  }
  if (auto r = Stars("quality", e.quality())) return r;
  if (auto r = Stars("attitude", e.attitude())) return r;
  if (auto r = Stars("speed", e.speed())) return r;
  if (e.default_().value_or(false)) {
    const Micros due = *order->paid_at_us + ctx.policy.review_default_days * kMicrosPerDay;
    if (ctx.at < due) {
      return Rejection{Code::kNotDue, "field default: the default review is due at " +
                                          FormatRfc3339(due, ctx.policy.timezone)};
    }
    if (e.quality() != 5 || e.attitude() != 5 || e.speed() != 5) {
      return Rejection{Code::kMalformed, "field default: a default review is 5/5/5"};
    }
  }
  fb::OrderStateT* mutable_order = ctx.state.orders.Mutable(ctx.seller_id, order_id);
  mutable_order->reviewed = true;
  mutable_order->last_at_us = ctx.at;
  return std::nullopt;
}

}  // namespace

Check ApplyReviewEvent(const fb::InputEvent& event, RuleContext& ctx) {
  MKT_ASSERT(event.event_type() == fb::Event::ReviewPosted, "not a review event");
  return ReviewPosted(*event.event_as_ReviewPosted(), ctx);
}

}  // namespace mkt
