// Delivery steps (LEDGER.md section 4.4): the ledger opens a delivery instance at node 0 when
// an order of a product with a template is paid; the stream then walks the template: each
// node completed by its actor (the logistics feed reports hardware's `signed` as the system),
// sometimes rejected back one node, now and then appealed and resolved by the platform.
//
// Some buyers never confirm a node that has a timeout: the stream stops there and the ledger's
// timer completes the node at its deadline, which becomes the order's horizon. Nodes without a
// timeout are always acted on, so no delivery waits forever for the stream.
#include <algorithm>
#include <cstdint>

#include "ops/gen/delivery_shapes.h"
#include "ops/gen/flow_words.h"
#include "ops/gen/gen_internal.h"

namespace mkt::gen::detail {

namespace {

constexpr uint64_t kAppealPerMille = 30;  // deliveries with an appeal somewhere
constexpr uint64_t kAppealByBuyerPerMille = 600;
constexpr uint64_t kTerminatePerMille = 150;     // appeals the platform ends the delivery on
constexpr uint64_t kLeaveToTimerPerMille = 120;  // timed buyer nodes nobody confirms
constexpr uint64_t kRejectPerMille = 80;         // rejectable nodes sent back
constexpr int kRejectsMax = 2;
constexpr uint64_t kActualStartPerMille = 300;
constexpr int64_t kResolveDelayMinSeconds = 4 * kSecondsPerHour;
constexpr int64_t kResolveDelayMaxSeconds = 4 * kSecondsPerDay;

// Codes of a DeliveryStep (Event::detail): action, actor, outcome, note + 1. The values are
// the schema's enum orders: action complete|reject|appeal|resolve_appeal, actor
// buyer|seller|platform|system, outcome continue|terminate.
enum StepAction { kComplete, kReject, kAppeal, kResolveAppeal };
enum StepActor { kBuyer, kSeller, kPlatform, kSystem };

int StepActorOf(NodeActor actor) {
  switch (actor) {
    case NodeActor::kBuyer:
      return kBuyer;
    case NodeActor::kSeller:
      return kSeller;
    default:
      return kSystem;
  }
}

int64_t LocalDayOf(int64_t at_s) { return (at_s + kTzOffsetSeconds) / kSecondsPerDay; }

}  // namespace

void Generator::StartDelivery(AfterSales* run) {
  const Product& product = ProductOf(run->order);
  if (product.shape == 0) return;
  DeliveryRun& d = run->delivery;
  d.shape = &kDeliveryShapes[product.shape - 1u];
  if (rng_.PerMille(kAppealPerMille)) {
    d.appeal_node = static_cast<int32_t>(rng_.Below(d.shape->nodes.size()));
  }
  PlanDeliveryStep(run, run->paid_at);
}

// Plans the step on the current node, entered (or un-frozen by a resolved appeal) at
// entered_at: an appeal where one is due, the buyer's silence on a timed node (the timer
// takes over), a reject on a rejectable node, or else the actor's completion.
void Generator::PlanDeliveryStep(AfterSales* run, int64_t entered_at) {
  DeliveryRun& d = run->delivery;
  const NodeShape& node = d.shape->nodes[static_cast<size_t>(d.node)];
  d.next_actual_start = 0;
  d.next_at = entered_at + rng_.Between(node.min_delay_s, node.max_delay_s);
  if (d.node == d.appeal_node) {
    d.appeal_node = -1;  // one appeal per delivery
    const int by = rng_.PerMille(kAppealByBuyerPerMille) ? kBuyer : kSeller;
    d.next_codes =
        PackCodes({kAppeal, by, 0, static_cast<int>(rng_.Below(kAppealNotes.size())) + 1});
    return;
  }
  if (node.timeout_tenths != 0 && node.actor == NodeActor::kBuyer &&
      rng_.PerMille(kLeaveToTimerPerMille)) {
    run->horizon = std::min(run->horizon, entered_at + node.timeout_tenths * kSecondsPerDay / 10);
    d.next_at = kNever;
    return;
  }
  const int actor = StepActorOf(node.actor);
  if (node.rejectable && d.rejects < kRejectsMax && rng_.PerMille(kRejectPerMille)) {
    d.next_codes =
        PackCodes({kReject, actor, 0, static_cast<int>(rng_.Below(kRejectNotes.size())) + 1});
    return;
  }
  d.next_codes = PackCodes({kComplete, actor});
  // The service period starts on a day the seller names, from the next day to three later.
  if (node.starts_service && rng_.PerMille(kActualStartPerMille)) {
    d.next_actual_start = LocalDayStart(LocalDayOf(d.next_at) + rng_.Between(1, 3));
  }
}

// Writes the planned step and moves the instance as the ledger will: complete advances (or
// ends the delivery on the last node), reject goes back one node, appeal freezes the node until
// the platform resolves it, and resolve_appeal either ends it or restarts the node.
void Generator::TakeDeliveryStep(AfterSales* run) {
  DeliveryRun& d = run->delivery;
  const int64_t at = d.next_at;
  Event step = AfterSalesEvent(Type::kDeliveryStep, *run, at);
  step.ref = d.node;
  step.detail = d.next_codes;
  step.voucher_fen = d.next_actual_start;
  Push(step);
  d.next_at = kNever;
  switch (CodeAt(d.next_codes, 0)) {
    case kComplete:
      if (static_cast<size_t>(d.node) + 1 == d.shape->nodes.size()) {
        d.ended = true;
        if (run->review_after_delivery) {
          run->review_at = at + rng_.Between(10 * kSecondsPerMinute, 3 * kSecondsPerDay);
        }
        return;
      }
      d.node += 1;
      return PlanDeliveryStep(run, at);
    case kReject:
      d.node -= 1;
      d.rejects += 1;
      return PlanDeliveryStep(run, at);
    case kAppeal: {
      const int terminate = rng_.PerMille(kTerminatePerMille) ? 1 : 0;
      d.next_at = at + rng_.Between(kResolveDelayMinSeconds, kResolveDelayMaxSeconds);
      d.next_codes = PackCodes({kResolveAppeal, kPlatform, terminate, terminate + 1});
      return;
    }
    default:  // kResolveAppeal
      if (CodeAt(d.next_codes, 2) == 1) {
        d.ended = true;
        return;
      }
      return PlanDeliveryStep(run, at);
  }
}

}  // namespace mkt::gen::detail
