// The after-sale life of a paid order: delivery steps along the product's template, refund
// requests and decisions, a review, an invoice request. Each concern is an activity with its
// next event time; the activities are merged in time order, so each one sees the others'
// effects (an approved release=immediate refund ends the delivery, a refund lowers what can
// be invoiced, the review follows the delivery).
//
// Every event of the order stays before the order's horizon: the first deadline the stream
// leaves to the ledger's timers (the default review 30 days after payment, a node the buyer
// never confirms, a refund request the seller never answers). A stream event after such a
// deadline would make the timer's event arrive out of order once the ledger ticks.
#include <algorithm>
#include <array>
#include <cstdint>

#include "ops/gen/flow_words.h"
#include "ops/gen/gen_internal.h"

namespace mkt::gen::detail {

namespace {

constexpr int64_t kReviewDefaultSeconds = 30 * kSecondsPerDay;  // review_default_days

// Reviews: ~40% of paid orders; buyers of delivered services review once delivery completes.
constexpr uint64_t kReviewPerMille = 400;
constexpr uint64_t kReviewAfterDeliveryPerMille = 550;
constexpr uint64_t kReviewTextPerMille = 600;

// Ratings lean to 4-5 stars; after a refund they spread lower.
constexpr std::array<uint32_t, 5> kStarWeights = {40, 30, 80, 250, 600};  // 1..5 stars
constexpr std::array<uint32_t, 5> kRefundedStarWeights = {150, 150, 250, 250, 200};

}  // namespace

// Runs the activities in time order until the horizon; then the order may still be included in
// a later invoice request of its buyer.
void Generator::PlanAfterSales(const OrderPlan& plan, const Event& paid) {
  AfterSales run;
  run.order = plan.placed;
  run.cash = paid.amount_fen;
  run.voucher = paid.voucher_fen;
  run.paid_at = paid.at_s;
  run.horizon = paid.at_s + kReviewDefaultSeconds;
  StartDelivery(&run);
  StartRefund(&run);
  PlanReview(&run);
  StartInvoice(&run);
  int64_t last_at = run.paid_at;
  for (;;) {
    int64_t* due = &run.invoice_at;
    for (int64_t* at : {&run.review_at, &run.refund.next_at, &run.delivery.next_at}) {
      if (*at <= *due) due = at;  // the earliest; on ties delivery, refund, review, invoice
    }
    if (*due >= run.horizon) break;  // also when nothing is left (kNever)
    if (*due <= last_at) {           // the order's events stay strictly increasing
      *due = last_at + 1;
      continue;
    }
    last_at = *due;
    if (due == &run.delivery.next_at) {
      TakeDeliveryStep(&run);
    } else if (due == &run.refund.next_at) {
      TakeRefundStep(&run);
    } else if (due == &run.review_at) {
      PostReview(&run);
    } else {
      RequestInvoice(&run);
    }
  }
  OfferForCombinedInvoice(run);
}

// Half the reviews come within two days, a sixth after ten; all before the default review.
void Generator::PlanReview(AfterSales* run) {
  if (run->delivery.shape != nullptr) {
    run->review_after_delivery = rng_.PerMille(kReviewAfterDeliveryPerMille);
    return;
  }
  if (!rng_.PerMille(kReviewPerMille)) return;
  const uint64_t r = rng_.Below(100);
  int64_t delay = rng_.Between(10 * kSecondsPerMinute, 2 * kSecondsPerDay);
  if (r >= 50) delay = rng_.Between(2 * kSecondsPerDay, 10 * kSecondsPerDay);
  if (r >= 85) delay = rng_.Between(10 * kSecondsPerDay, 29 * kSecondsPerDay);
  run->review_at = run->paid_at + delay;
}

// Quality sets the tone; attitude and speed stray by a star now and then.
void Generator::PostReview(AfterSales* run) {
  const auto& weights = run->refund.number > 0 ? kRefundedStarWeights : kStarWeights;
  const int quality = static_cast<int>(rng_.Weighted(weights)) + 1;
  const auto stray = [&] {
    const uint64_t r = rng_.Below(10);
    const int delta = r == 0 ? -1 : (r == 1 ? 1 : 0);
    return std::clamp(quality + delta, 1, 5);
  };
  const int attitude = stray();
  const int speed = stray();
  int text = 0;  // 1-based into the texts of the quality's tone, 0 = none
  if (rng_.PerMille(kReviewTextPerMille)) text = static_cast<int>(rng_.Below(3)) + 1;
  Event review = AfterSalesEvent(Type::kReviewPosted, *run, run->review_at);
  review.detail = PackCodes({quality, attitude, speed, text});
  Push(review);
  run->review_at = kNever;
}

Event Generator::AfterSalesEvent(Type type, const AfterSales& run, int64_t at_s) {
  Event e;
  e.type = type;
  e.at_s = at_s;
  e.seller = run.order.seller;
  e.product = run.order.product;
  e.order_no = run.order.order_no;
  e.buyer = run.order.buyer;
  return e;
}

}  // namespace mkt::gen::detail
