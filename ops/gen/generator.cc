// The generator works in three phases, all driven by one seeded std::mt19937_64:
//   1. catalogue: sellers with Zipf-like volume, 3..30 products each, listed (and reseller
//      rates set) on a working day in the two weeks before start_date;
//   2. catalogue changes: a few ProductUpdated / ProductProfileUpdated per seller, spread
//      over the period;
//   3. orders: `orders` placements apportioned to days (weekday and festival weights) and
//      hours (a +08:00 daily curve), each hour sorted by time; every placement schedules its
//      whole lifecycle (price changes, payment or void) at once.
// Scheduled events wait in a min-heap keyed by (at, creation sequence) and are written once
// no later placement can precede them, so the output is globally sorted while memory stays
// bounded by about two days of pending lifecycle events.
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
constexpr int kProductsPerSellerMin = 3;
constexpr int kProductsPerSellerMax = 30;
constexpr int64_t kBuyersMin = 100;
constexpr int64_t kBuyersMax = 10'000'000;
constexpr int64_t kBuyerZipfOffset = 100;  // flattens the head: the top buyer has ~0.1%
constexpr int kResellers = 20;

// Base prices: log-normal per category, clamped to [9.90, 200000.00].
constexpr int64_t kPriceMinFen = 990;
constexpr int64_t kPriceMaxFen = 20'000'000;
constexpr int64_t kPriceSigmaLog2Milli = 1'730;  // sigma 1.2 in ln units, as log2

// Lifecycle delays. Everything an order does happens well before its unpaid expiry, so the
// ledger's timer can never void an order this stream still pays or voids.
constexpr int kPriceChangesMax = 2;
constexpr int64_t kPriceChangeDelayMaxSeconds = 30 * kSecondsPerMinute;
constexpr int64_t kPayDelayMaxSeconds = 2 * kSecondsPerDay;
constexpr int64_t kVoidDelayMaxSeconds = 3 * kSecondsPerDay;
static_assert(kPriceChangesMax * kPriceChangeDelayMaxSeconds + kPayDelayMaxSeconds <
              kUnpaidExpirySeconds);
static_assert(kPriceChangesMax * kPriceChangeDelayMaxSeconds + kVoidDelayMaxSeconds <
              kUnpaidExpirySeconds);

// The catalogue is listed on one working morning per seller: products start 09:00..12:00 and
// follow each other by at most 10 minutes, so the last rate is set before the day ends.
constexpr int64_t kListingStartMaxSeconds = 12 * kSecondsPerHour;
constexpr int64_t kListingGapMaxSeconds = 10 * kSecondsPerMinute;
constexpr int64_t kRateDelayMaxSeconds = 5 * kSecondsPerMinute;
static_assert(kListingStartMaxSeconds + kProductsPerSellerMax * kListingGapMaxSeconds +
                  kRateDelayMaxSeconds <
              kSecondsPerDay);

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
      formatter_(sellers_),
      output_(out) {
  start_day_ = ParseStartDate(options.start_date);
  end_day_ = MonthsLater(start_day_, options.months);
  start_s_ = LocalDayStart(start_day_);
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

// ---- Catalogue.

void Generator::BuildSellers() {
  const auto count = static_cast<size_t>(options_.sellers);
  // Volume is Zipf over a random ranking, so the biggest sellers are not always s0001.
  std::vector<uint64_t> ranks(count);
  for (size_t i = 0; i < count; ++i) ranks[i] = i;
  for (size_t i = count; i > 1; --i) std::swap(ranks[i - 1], ranks[rng_.Below(i)]);
  sellers_.resize(count);
  uint64_t cumulative = 0;
  int product_index = 0;
  for (size_t s = 0; s < count; ++s) {
    cumulative += 1'000'000'000 / (ranks[s] + 1);
    seller_cumulative_.push_back(cumulative);
    const bool big = ranks[s] * 10 < count;
    const int products = ProductCount(big);
    for (int j = 0; j < products; ++j) {
      sellers_[s].products.push_back(MakeProduct(product_index++));
      sellers_[s].product_cumulative.push_back(
          (j == 0 ? 0 : sellers_[s].product_cumulative.back()) +
          1'000'000 / static_cast<uint64_t>(j + 1));
    }
  }
}

// 3..30, long-tailed (a cubed uniform); the top tenth of sellers by volume list more.
int Generator::ProductCount(bool big) {
  const uint64_t u = rng_.Below(1000);
  int count = kProductsPerSellerMin +
              static_cast<int>(std::min<uint64_t>(27, 28 * u * u * u / 1'000'000'000));
  if (big) count += static_cast<int>(rng_.Between(3, 12));
  return std::min(count, kProductsPerSellerMax);
}

Product Generator::MakeProduct(int global_index) {
  Product product;
  // The first six products cover every category once; the rest follow the weights.
  product.category = global_index < static_cast<int>(kCategories.size())
                         ? global_index
                         : static_cast<int>(rng_.Weighted(kCategoryWeights));
  const Category& category = kCategories[static_cast<size_t>(product.category)];
  product.name = std::string(category.heads[rng_.Below(category.heads.size())]) +
                 std::string(category.tails[rng_.Below(category.tails.size())]);
  if (rng_.PerMille(150)) product.fee_bp = static_cast<int32_t>(rng_.Between(5, 20) * 100);
  if (rng_.PerMille(300)) product.rate_bp = static_cast<int32_t>(rng_.Between(20, 60) * 100);
  product.base_fen = NicePrice(rng_.LogNormal(category.median_fen, kPriceSigmaLog2Milli));
  return product;
}

// Shop prices end in .90 under 100 yuan, in whole tens under 10000, in hundreds above.
int64_t Generator::NicePrice(int64_t fen) {
  fen = std::clamp(fen, kPriceMinFen, kPriceMaxFen);
  if (fen < 10'000) return fen / 100 * 100 + 90;
  if (fen < 1'000'000) return (fen + 500) / 1000 * 1000;
  return std::min((fen + 5000) / 10'000 * 10'000, kPriceMaxFen);
}

// Each seller lists everything on one working morning within the two weeks before
// start_date; a reseller rate follows its product's listing by a few minutes.
void Generator::ScheduleListings() {
  for (size_t s = 0; s < sellers_.size(); ++s) {
    int64_t at = LocalDayStart(start_day_ - rng_.Between(1, 14)) +
                 rng_.Between(9 * kSecondsPerHour, kListingStartMaxSeconds);
    for (size_t j = 0; j < sellers_[s].products.size(); ++j) {
      Product& product = sellers_[s].products[j];
      at += rng_.Between(kSecondsPerMinute, kListingGapMaxSeconds);
      product.listed_at_s = at;
      Event listed = ProductEvent(Type::kProductListed, s, j, at);
      Push(listed);
      if (product.rate_bp == 0) continue;
      Push(ProductEvent(Type::kResellerRateSet, s, j, at + rng_.Between(30, kRateDelayMaxSeconds)));
    }
  }
}

// A few renames, fee changes and content-flag changes per seller over the period, in
// office hours; all after the listings, which precede start_date.
void Generator::ScheduleCatalogueChanges() {
  const int64_t days = end_day_ - start_day_;
  const auto changes = static_cast<uint64_t>(options_.months) + 2;
  for (size_t s = 0; s < sellers_.size(); ++s) {
    const uint64_t updates = rng_.Below(changes);
    const uint64_t profiles = rng_.Below(changes);
    for (uint64_t i = 0; i < updates + profiles; ++i) {
      const size_t j = rng_.Below(sellers_[s].products.size());
      const int64_t at = LocalDayStart(start_day_ + rng_.Between(0, days - 1)) +
                         rng_.Between(9 * kSecondsPerHour, 19 * kSecondsPerHour);
      Event e = ProductEvent(i < updates ? Type::kProductUpdated : Type::kProductProfileUpdated, s,
                             j, at);
      if (i < updates) {
        FillProductUpdate(&e);
      } else {
        FillProfileUpdate(&e);
      }
      Push(e);
    }
  }
}

void Generator::FillProductUpdate(Event* e) {
  if (rng_.PerMille(600)) e->rename = static_cast<uint8_t>(rng_.Between(1, kRenameSuffixes.size()));
  if (rng_.PerMille(500)) e->detail = static_cast<int32_t>(rng_.Between(5, 20) * 100);
  if (e->rename == 0 && e->detail == 0) e->rename = 1;  // never an empty update
}

void Generator::FillProfileUpdate(Event* e) {
  for (size_t f = 0; f < kProfileFields.size(); ++f) {
    if (!rng_.PerMille(600)) continue;
    e->detail |= 1 << (2 * f);
    if (rng_.PerMille(800)) e->detail |= 1 << (2 * f + 1);
  }
  if (e->detail == 0) e->detail = 0b11;  // never an empty update: has_case_study true
}

Event Generator::ProductEvent(Type type, size_t seller, size_t product, int64_t at_s) {
  Event e;
  e.type = type;
  e.seller = static_cast<int32_t>(seller);
  e.product = static_cast<int32_t>(product);
  e.at_s = at_s;
  return e;
}

// ---- Orders.

// Days weighted by weekday, +-10% noise and the big shopping festivals; hours by the daily
// curve with +-15% noise; within an hour, seconds are uniform.
void Generator::PlaceAllOrders() {
  std::vector<int64_t> day_weights;
  for (int64_t day = start_day_; day < end_day_; ++day) day_weights.push_back(DayWeight(day));
  const std::vector<int64_t> per_day = Apportion(options_.orders, day_weights);
  for (int64_t d = 0; d < end_day_ - start_day_; ++d) {
    std::vector<int64_t> hour_weights;
    for (uint32_t w : kHourWeights) hour_weights.push_back(w * rng_.Between(85, 115));
    const std::vector<int64_t> per_hour = Apportion(per_day[static_cast<size_t>(d)], hour_weights);
    for (int64_t h = 0; h < 24; ++h) {
      PlaceHour(LocalDayStart(start_day_ + d) + h * kSecondsPerHour,
                per_hour[static_cast<size_t>(h)]);
    }
  }
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
// apart; then 85% are paid, 5% voided by the buyer and 10% left unpaid (the ledger's timer
// expires those). Each step is strictly later than the previous one.
void Generator::PlanLifecycle(const Event& placed) {
  int64_t at = placed.at_s;
  int64_t price = placed.amount_fen;
  if (price > 0 && rng_.PerMille(50)) {
    const int changes = rng_.PerMille(800) ? 1 : kPriceChangesMax;
    for (int i = 0; i < changes; ++i) {
      at += rng_.Between(kSecondsPerMinute, kPriceChangeDelayMaxSeconds);
      price = DiscountedPrice(price);
      Event changed = OrderEvent(Type::kOrderPriceChanged, placed, at);
      changed.amount_fen = price;
      changed.detail = static_cast<int32_t>(rng_.Below(kPriceChangeReasons.size()));
      Push(changed);
    }
  }
  const uint64_t outcome = rng_.Below(1000);
  if (outcome < 850) {
    Event paid = OrderEvent(Type::kOrderPaid, placed, at + PaymentDelay());
    if (price > 0 && rng_.PerMille(100)) paid.voucher_fen = price * rng_.Between(5, 60) / 100;
    paid.amount_fen = price - paid.voucher_fen;
    MKT_ASSERT(paid.at_s < placed.at_s + kUnpaidExpirySeconds);
    Push(paid);
  } else if (outcome < 900) {
    Push(OrderEvent(Type::kOrderVoided, placed,
                    at + rng_.Between(5 * kSecondsPerMinute, kVoidDelayMaxSeconds)));
  }
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
  e.seq = next_seq_++;
  pending_.push(e);
}

void Generator::FlushThrough(int64_t at_s) {
  while (!pending_.empty() && pending_.top().at_s <= at_s) {
    const Event e = pending_.top();
    pending_.pop();
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
