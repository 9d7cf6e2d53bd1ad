// Refunds (LEDGER.md section 3.3) on a few percent of paid orders: most asked by the buyer
// (decided by the seller), some by the seller (decided by the platform). A few buyer requests
// are never answered: the ledger's timer approves them after refund_auto_approve_days, so the
// stream leaves the order to it from the request on. Requests follow each other: the next one
// only after the previous was decided, so `refundable` is simply paid - refunded.
#include <algorithm>
#include <cstdint>

#include "ops/gen/flow_words.h"
#include "ops/gen/gen_internal.h"

namespace mkt::gen::detail {

namespace {

constexpr uint64_t kRefundPerMille = 40;
constexpr uint64_t kSellerRequestPerMille = 150;
constexpr uint64_t kPartialPerMille = 350;
constexpr uint64_t kRemainingPerMille = 400;   // of seller requests: amount "remaining"
constexpr uint64_t kImmediatePerMille = 700;   // release=immediate, else keep
constexpr uint64_t kLeftPendingPerMille = 80;  // buyer requests the seller never answers
constexpr int kRequestsMax = 2;

constexpr int64_t kAutoApproveSeconds = 3 * kSecondsPerDay;  // refund_auto_approve_days
constexpr int64_t kDecisionDelayMaxSeconds = 2 * kSecondsPerDay;
static_assert(kDecisionDelayMaxSeconds < kAutoApproveSeconds,
              "the seller decides before the timer");

// A share of what is left, in whole yuan from 100 yuan up; never zero.
int64_t PartialAmount(Random& rng, int64_t refundable) {
  int64_t amount = refundable * rng.Between(10, 90) / 100;
  if (amount >= 10'000) amount -= amount % 100;
  return std::clamp<int64_t>(amount, 1, refundable);
}

}  // namespace

// Buyers mostly ask within the no-reason period (5 days); sellers within ten days.
void Generator::StartRefund(AfterSales* run) {
  if (run->cash + run->voucher == 0 || !rng_.PerMille(kRefundPerMille)) return;
  RefundRun& r = run->refund;
  r.buyer = !rng_.PerMille(kSellerRequestPerMille);
  int64_t delay = rng_.Between(kSecondsPerHour, 10 * kSecondsPerDay);
  if (r.buyer) {
    delay = rng_.PerMille(650) ? rng_.Between(10 * kSecondsPerMinute, 3 * kSecondsPerDay)
                               : rng_.Between(3 * kSecondsPerDay, 20 * kSecondsPerDay);
  }
  r.next_at = run->paid_at + delay;
}

void Generator::TakeRefundStep(AfterSales* run) {
  if (run->refund.awaiting_decision) {
    DecideRefund(run);
  } else {
    RequestRefund(run);
  }
}

// Codes: initiator buyer|seller, release immediate|keep, reason, keep_reason + 1, remaining.
void Generator::RequestRefund(AfterSales* run) {
  RefundRun& r = run->refund;
  const int64_t at = r.next_at;
  r.next_at = kNever;
  const int64_t refundable = run->cash + run->voucher - r.refunded;
  // No request without room for its decision before the order's horizon.
  if (refundable <= 0 || at + kDecisionDelayMaxSeconds >= run->horizon) return;
  r.number += 1;
  const bool remaining = !r.buyer && rng_.PerMille(kRemainingPerMille);
  r.amount =
      !remaining && rng_.PerMille(kPartialPerMille) ? PartialAmount(rng_, refundable) : refundable;
  // An unanswered request stops the stream's steps on the order, so with a delivery still
  // open it releases immediately: the timer's approval then ends the delivery, which would
  // otherwise wait forever on a node without a timeout.
  const bool left_pending = r.buyer && rng_.PerMille(kLeftPendingPerMille);
  const bool delivering = run->delivery.shape != nullptr && !run->delivery.ended;
  r.immediate = (left_pending && delivering) || rng_.PerMille(kImmediatePerMille);
  const auto reasons = r.buyer ? kBuyerRefundReasons.size() : kSellerRefundReasons.size();
  const int keep = r.immediate ? 0 : static_cast<int>(rng_.Below(kKeepReasons.size())) + 1;
  Event e = AfterSalesEvent(Type::kRefundRequested, *run, at);
  e.ref = r.number;
  e.amount_fen = r.amount;
  e.detail = PackCodes({r.buyer ? 0 : 1, r.immediate ? 0 : 1, static_cast<int>(rng_.Below(reasons)),
                        keep, remaining ? 1 : 0});
  Push(e);
  r.awaiting_decision = true;
  if (left_pending) {
    run->horizon = std::min(run->horizon, at + kAutoApproveSeconds);
    return;
  }
  r.next_at = at + rng_.Between(r.buyer ? 10 * kSecondsPerMinute : kSecondsPerHour,
                                kDecisionDelayMaxSeconds);
}

// Codes: by seller|platform, rejection reason. An approval returns cash and voucher in
// proportion to the payment, computed on the cumulative refunded amount (LEDGER.md 3.3), and
// with release=immediate ends the delivery. Rejected buyers sometimes ask again; after a
// partial refund someone sometimes asks for more.
void Generator::DecideRefund(AfterSales* run) {
  RefundRun& r = run->refund;
  const int64_t at = r.next_at;
  r.next_at = kNever;
  r.awaiting_decision = false;
  const bool approve = rng_.PerMille(r.buyer ? 850 : 900);
  Event e = AfterSalesEvent(approve ? Type::kRefundApproved : Type::kRefundRejected, *run, at);
  e.ref = r.number;
  e.detail =
      PackCodes({r.buyer ? 0 : 1, static_cast<int>(rng_.Below(kRefundRejectReasons.size()))});
  Push(e);
  const int64_t paid = run->cash + run->voucher;
  if (approve) {
    r.refunded += r.amount;
    r.refunded_cash = (2 * r.refunded * run->cash + paid) / (2 * paid);  // round half up
    DeliveryRun& d = run->delivery;
    if (r.immediate && d.shape != nullptr && !d.ended) {
      d.ended = true;
      d.next_at = kNever;
    }
  }
  if (r.number < kRequestsMax && r.refunded < paid && rng_.PerMille(approve ? 150 : 250)) {
    r.next_at = at + rng_.Between(kSecondsPerHour, 3 * kSecondsPerDay);
  }
}

}  // namespace mkt::gen::detail
