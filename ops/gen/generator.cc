// The generator works in phases, all driven by one seeded std::mt19937_64:
//   1. catalogue (catalogue.cc): sellers, products, listings and reseller rates before
//      start_date, then a few catalogue changes spread over the period;
//   2. orders: `orders` placements apportioned to days (weekday and festival weights) and
//      hours (a +08:00 daily curve), each hour sorted by time; every placement schedules its
//      whole lifecycle at once: price changes, coupon use, payment or void, and for paid
//      orders their after-sale life (delivery, refunds, review, invoice; after_sales.cc);
//   3. at each day's start the previous day's ProductDailyMetrics, and at each month's start
//      that month's coupon campaigns (coupons.cc).
// Scheduled events wait in a min-heap keyed by (at, creation sequence) and are written once
// no later placement can precede them, so the output is globally sorted while memory stays
// bounded by the events still ahead: a few weeks of after-sale life of recent orders.
#include "ops/gen/generator.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <ostream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "ledger/assert.h"
#include "ops/gen/gen_internal.h"
#include "ops/gen/word_lists.h"

namespace mkt::gen::detail {

namespace {

// ---------------------------------------------------------------------------------------------
// Bounds and shapes of the valid stream.

constexpr int64_t kUnpaidExpirySeconds = 7 * kSecondsPerDay;  // LEDGER.md section 2

constexpr int kSellersMax = 100'000;
constexpr int64_t kOrdersMax = 10'000'000'000;
constexpr int kMonthsMax = 120;
constexpr int64_t kBuyersMin = 100;
constexpr int64_t kBuyersMax = 10'000'000;
constexpr int64_t kBuyerZipfOffset = 100;  // flattens the head: the top buyer has ~0.1%
constexpr int kResellers = 20;

// Lifecycle delays. Everything an order does happens well before its unpaid expiry, so the
// ledger's timer can never void an order this stream still pays or voids.
constexpr int kPriceChangesMax = 2;
constexpr int64_t kPriceChangeDelayMaxSeconds = 30 * kSecondsPerMinute;
constexpr int64_t kPayDelayMaxSeconds = 2 * kSecondsPerDay;
constexpr int64_t kVoidDelayMaxSeconds = 3 * kSecondsPerDay;
static_assert(kPriceChangesMax * kPriceChangeDelayMaxSeconds + kCouponUseMaxSeconds +
                  kPayDelayMaxSeconds <
              kUnpaidExpirySeconds);
static_assert(kPriceChangesMax * kPriceChangeDelayMaxSeconds + kCouponUseMaxSeconds +
                  kVoidDelayMaxSeconds <
              kUnpaidExpirySeconds);

// Orders per hour of the day in +08:00: quiet 01:00-07:00, peaks late morning and evening.
constexpr std::array<uint32_t, 24> kHourWeights = {30,  15,  8,   5,   4,   5,   10,  25,
                                                   60,  110, 150, 160, 110, 100, 130, 140,
                                                   135, 110, 80,  100, 140, 150, 120, 70};
// Orders per day of the week, Sunday first: weekdays busier.
constexpr std::array<uint32_t, 7> kWeekdayWeights = {64, 100, 102, 100, 98, 95, 72};

}  // namespace

// ---------------------------------------------------------------------------------------------
// The generator proper; its bad events are in bad_events.cc.

Generator::Generator(const GenOptions& options, std::ostream& out)
    : options_(options),
      rng_(options.seed),
      bad_rng_(options.seed ^ 0x9E37'79B9'7F4A'7C15),  // a separate stream for bad events
      formatter_(sellers_, figures_),
      output_(out) {
  start_day_ = ParseStartDate(options.start_date);
  end_day_ = MonthsLater(start_day_, options.months);
  start_s_ = LocalDayStart(start_day_);
  end_s_ = LocalDayStart(end_day_);
  buyers_ = std::clamp(options.orders / 3, kBuyersMin, kBuyersMax);
  buyer_span_q32_ = Log2Q32(static_cast<uint64_t>(buyers_ + kBuyerZipfOffset)) -
                    Log2Q32(static_cast<uint64_t>(kBuyerZipfOffset));
  // R * 2^53 is exact, so the comparison below is the same on every machine.
  bad_threshold_ = static_cast<uint64_t>(options.invalid_rate * 9007199254740992.0);
  seed_text_ = std::to_string(options.seed);
}

GenStats Generator::Run() {
  BuildSellers();
  ScheduleListings();
  FlushThrough(start_s_ - 1);
  ScheduleCatalogueChanges();
  PlaceAllOrders();
  FlushThrough(std::numeric_limits<int64_t>::max());
  output_.Flush();
  return stats_;
}

// ---- Orders.

// Days weighted by weekday, +-10% noise and the big shopping festivals; hours by the daily
// curve with +-15% noise; within an hour, seconds are uniform.
void Generator::PlaceAllOrders() {
  std::vector<int64_t> day_weights;
  for (int64_t day = start_day_; day < end_day_; ++day) day_weights.push_back(DayWeight(day));
  const std::vector<int64_t> per_day = Apportion(options_.orders, day_weights);
  for (int64_t d = 0; d < end_day_ - start_day_; ++d) {
    StartDay(start_day_ + d, per_day);
    std::vector<int64_t> hour_weights;
    for (uint32_t w : kHourWeights) hour_weights.push_back(w * rng_.Between(85, 115));
    const std::vector<int64_t> per_hour = Apportion(per_day[static_cast<size_t>(d)], hour_weights);
    for (int64_t h = 0; h < 24; ++h) {
      PlaceHour(LocalDayStart(start_day_ + d) + h * kSecondsPerHour,
                per_hour[static_cast<size_t>(h)]);
    }
  }
  ReportDailyMetrics(end_day_ - 1);
}

// Before a day's first order everything earlier is written: nothing scheduled from here on
// can precede the day. That frees the previous day's figures for its ProductDailyMetrics and
// lets expired coupon campaigns go; a month's first day also schedules its campaigns, sized
// by the month's orders.
void Generator::StartDay(int64_t day, const std::vector<int64_t>& per_day) {
  const int64_t day_start = LocalDayStart(day);
  FlushThrough(day_start - 1);
  if (day > start_day_) ReportDailyMetrics(day - 1);
  PruneInvoicePool(day_start);
  if (day != start_day_ && CivilFromDays(day).day != 1) return;
  PruneCoupons(day_start);
  const int64_t month_end = std::min(MonthsLater(day, 1), end_day_);
  int64_t orders = 0;
  for (int64_t d = day; d < month_end; ++d) orders += per_day[static_cast<size_t>(d - start_day_)];
  ScheduleCampaigns(day, month_end, orders);
}

int64_t Generator::DayWeight(int64_t day) {
  const CivilDate date = CivilFromDays(day);
  int64_t weight = kWeekdayWeights[static_cast<size_t>((day % 7 + 11) % 7)] * rng_.Between(90, 110);
  if (date.month == 11 && date.day == 11) weight = weight * 5 / 2;  // Singles' Day
  if (date.month == 6 && date.day == 18) weight = weight * 9 / 5;   // 618 festival
  if (date.month == 12 && date.day == 12) weight = weight * 3 / 2;  // Double 12
  return weight;
}

// Placements of one hour are drawn, sorted by time and then played in order; before each,
// every scheduled event up to its second is written (their creation sequence is smaller).
void Generator::PlaceHour(int64_t hour_start_s, int64_t count) {
  placements_.clear();
  for (int64_t i = 0; i < count; ++i) {
    const int64_t at = hour_start_s + static_cast<int64_t>(rng_.Below(kSecondsPerHour));
    placements_.push_back({at, static_cast<int32_t>(rng_.Cumulative(seller_cumulative_))});
  }
  // Equal (at, seller) pairs are interchangeable, so an unstable sort is still deterministic.
  std::sort(placements_.begin(), placements_.end());
  for (const Placement& placement : placements_) {
    FlushThrough(placement.at_s);
    PlaceOrder(placement.seller, placement.at_s);
  }
}

void Generator::PlaceOrder(int32_t seller_index, int64_t at_s) {
  Seller& seller = sellers_[static_cast<size_t>(seller_index)];
  Event e;
  e.type = Type::kOrderPlaced;
  e.at_s = at_s;
  e.seller = seller_index;
  e.order_no = ++seller.orders_placed;
  e.product = static_cast<int32_t>(rng_.Cumulative(seller.product_cumulative));
  const Product& product = seller.products[static_cast<size_t>(e.product)];
  const Category& category = kCategories[static_cast<size_t>(product.category)];
  e.buyer = static_cast<int32_t>(DrawBuyer());
  e.kind = static_cast<uint8_t>(rng_.Weighted(kKindWeights));
  e.quantity = e.kind == kKindTrial ? 1 : static_cast<int32_t>(DrawQuantity());
  e.amount_fen = e.kind == kKindTrial ? 0 : product.base_fen * e.quantity;
  e.channel = static_cast<uint8_t>(
      rng_.Weighted(product.rate_bp != 0 ? kChannelWeightsWithRate : kChannelWeightsWithoutRate));
  if (e.channel == kChannelReseller) e.reseller = static_cast<uint8_t>(DrawReseller());
  if (!category.specs.empty() && rng_.PerMille(800)) {
    e.spec = static_cast<uint8_t>(rng_.Between(1, static_cast<int64_t>(category.specs.size())));
  }
  if (!category.periods.empty() && rng_.PerMille(850)) {
    e.period = static_cast<uint8_t>(rng_.Between(1, static_cast<int64_t>(category.periods.size())));
  }
  MKT_ASSERT(product.listed_at_s < at_s, "order before listing");
  Push(e);
  CountForMetrics(seller_index, e.product);
  PlanLifecycle(e);
}

// A third of orders come from anyone in the pool, the rest from a long tail of repeat
// buyers (log-uniform ranks), shared by all sellers.
int64_t Generator::DrawBuyer() {
  if (rng_.PerMille(350)) return static_cast<int64_t>(rng_.Below(static_cast<uint64_t>(buyers_)));
  return rng_.LogUniformRank(buyers_, kBuyerZipfOffset, buyer_span_q32_);
}

int64_t Generator::DrawQuantity() {
  const uint64_t r = rng_.Below(100);
  if (r < 85) return 1;
  if (r < 96) return rng_.Between(2, 5);
  return rng_.Between(6, 20);
}

// r001..r020 with Zipf weights: a few resellers carry most of the channel.
int64_t Generator::DrawReseller() {
  static constexpr std::array<uint32_t, kResellers> kWeights = [] {
    std::array<uint32_t, kResellers> weights{};
    for (size_t i = 0; i < weights.size(); ++i) weights[i] = 1000 / static_cast<uint32_t>(i + 1);
    return weights;
  }();
  return static_cast<int64_t>(rng_.Weighted(kWeights)) + 1;
}

// Schedules everything that will happen to the order: ~5% get one or two discounts minutes
// apart; some buyers claim or apply a coupon; then 85% are paid, 5% voided by the buyer and
// 10% left unpaid (the ledger's timer expires those). Each step is strictly later than the
// previous one.
void Generator::PlanLifecycle(const Event& placed) {
  OrderPlan plan;
  plan.placed = placed;
  plan.at = placed.at_s;
  plan.price = placed.amount_fen;
  PlanPriceChanges(&plan);
  MaybeIdleClaim(&plan);
  PlanCouponUse(&plan);
  const uint64_t outcome = rng_.Below(1000);
  if (outcome < 850) {
    PlanPayment(&plan);
  } else if (outcome < 900) {
    const int64_t at = plan.at + rng_.Between(5 * kSecondsPerMinute, kVoidDelayMaxSeconds);
    Push(OrderEvent(Type::kOrderVoided, placed, at));
    GiveClaimBack(plan, at);  // a coupon on a voided order is released (LEDGER.md 3.2)
  }
}

// Price changes come before any coupon: once one is applied the price is fixed.
void Generator::PlanPriceChanges(OrderPlan* plan) {
  if (plan->price == 0 || !rng_.PerMille(50)) return;
  const int changes = rng_.PerMille(800) ? 1 : kPriceChangesMax;
  for (int i = 0; i < changes; ++i) {
    plan->at += rng_.Between(kSecondsPerMinute, kPriceChangeDelayMaxSeconds);
    plan->price = DiscountedPrice(plan->price);
    Event changed = OrderEvent(Type::kOrderPriceChanged, plan->placed, plan->at);
    changed.amount_fen = plan->price;
    changed.detail = static_cast<int32_t>(rng_.Below(kPriceChangeReasons.size()));
    Push(changed);
  }
}

// The buyer pays price - coupon discount, 10% partly with platform vouchers.
void Generator::PlanPayment(OrderPlan* plan) {
  const int64_t payable = plan->price - plan->discount;
  Event paid = OrderEvent(Type::kOrderPaid, plan->placed, plan->at + PaymentDelay());
  if (payable > 0 && rng_.PerMille(100)) paid.voucher_fen = payable * rng_.Between(5, 60) / 100;
  paid.amount_fen = payable - paid.voucher_fen;
  MKT_ASSERT(paid.at_s < plan->placed.at_s + kUnpaidExpirySeconds);
  Push(paid);
  PlanAfterSales(*plan, paid);
}

// 3%..30% off, in whole yuan once the price reaches 100 yuan; never below zero.
int64_t Generator::DiscountedPrice(int64_t price) {
  int64_t off = price * rng_.Between(3, 30) / 100;
  if (price >= 10'000) off -= off % 100;
  return price - off;
}

// Most buyers pay within half an hour; a tail pays within two days.
int64_t Generator::PaymentDelay() {
  const uint64_t r = rng_.Below(1000);
  if (r < 700) return rng_.Between(kSecondsPerMinute, 30 * kSecondsPerMinute);
  if (r < 900) return rng_.Between(30 * kSecondsPerMinute, 6 * kSecondsPerHour);
  return rng_.Between(6 * kSecondsPerHour, kPayDelayMaxSeconds);
}

Event Generator::OrderEvent(Type type, const Event& placed, int64_t at_s) {
  Event e;
  e.type = type;
  e.at_s = at_s;
  e.seller = placed.seller;
  e.product = placed.product;
  e.order_no = placed.order_no;
  return e;
}

// ---- Writing.

void Generator::Push(Event e) {
  MKT_ASSERT(e.at_s >= flushed_through_, "event scheduled before what is already written");
  e.seq = next_seq_++;
  pending_.Push(e);
}

void Generator::FlushThrough(int64_t at_s) {
  flushed_through_ = std::max(flushed_through_, at_s);
  while (!pending_.Empty() && pending_.Top().at_s <= at_s) {
    const Event e = pending_.Top();
    pending_.Pop();
    WriteValid(e);
  }
}

void Generator::WriteValid(const Event& e) {
  event_id_.assign("e-").append(seed_text_).push_back('-');
  AppendUnsigned(&event_id_, ++valid_events_, 1);
  formatter_.Format(e, event_id_, &line_);
  output_.Line(line_);
  ++stats_.events;
  // The bad stream draws only when bad events are wanted, and from its own generator.
  if (bad_threshold_ == 0 || (bad_rng_.Next() >> 11) >= bad_threshold_) return;
  WriteBad(e);
}

namespace {

void ValidateOptions(const GenOptions& options) {
  if (options.sellers < 1 || options.sellers > kSellersMax) {
    throw std::invalid_argument("sellers: must be in 1.." + std::to_string(kSellersMax));
  }
  if (options.orders < 0 || options.orders > kOrdersMax) {
    throw std::invalid_argument("orders: must be in 0.." + std::to_string(kOrdersMax));
  }
  if (!(options.invalid_rate >= 0.0 && options.invalid_rate <= 1.0)) {  // also refuses NaN
    throw std::invalid_argument("invalid_rate: must be in [0, 1]");
  }
  if (options.months < 1 || options.months > kMonthsMax) {
    throw std::invalid_argument("months: must be in 1.." + std::to_string(kMonthsMax));
  }
  ParseStartDate(options.start_date);
}

}  // namespace
}  // namespace mkt::gen::detail

namespace mkt::gen {

GenStats Generate(const GenOptions& options, std::ostream& out) {
  detail::ValidateOptions(options);
  detail::Generator generator(options, out);
  return generator.Run();
}

}  // namespace mkt::gen
