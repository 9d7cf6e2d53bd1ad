// SettlementClosed (LEDGER.md section 5). The settlement job (`ledger settle`)
// computes the statement from the settlement read model and appends this event;
// the ledger checks what it can know itself: the period has ended at `at`, and
// the seller's periods close once and in order. Whether an earlier period still
// has open lines is a read-model fact, checked by the job before it sends.
#include "ledger/rules.h"

namespace mkt {
namespace {

Check SettlementClosed(const fb::SettlementClosed& e, RuleContext& ctx) {
  const int32_t period = e.period();
  const Micros period_end = StartOfPeriod(NextPeriod(period), ctx.policy.timezone);
  if (ctx.at < period_end) {
    return Rejection{Code::kPeriodNotEnded,
                     "field period: " + FormatPeriod(period) + " ends at " +
                         FormatRfc3339(period_end, ctx.policy.timezone)};
  }
  const fb::SellerStateT* seller = ctx.state.sellers.Find(ctx.seller_id, "");
  if (seller != nullptr && period <= seller->closed_through) {
    return Rejection{Code::kPeriodClosed, "field period: " + FormatPeriod(period) +
                                              " is closed for this seller (closed through " +
                                              FormatPeriod(seller->closed_through) + ")"};
  }
  ctx.state.sellers.Mutable(ctx.seller_id, "")->closed_through = period;
  return std::nullopt;
}

}  // namespace

Check ApplySettlementEvent(const fb::InputEvent& event, RuleContext& ctx) {
  MKT_ASSERT(event.event_type() == fb::Event::SettlementClosed, "not a settlement event");
  return SettlementClosed(*event.event_as_SettlementClosed(), ctx);
}

}  // namespace mkt
