// Internals of `ledger gen`, shared by the files of ops/gen and by nothing else:
//   generator.cc     option checks, orders and the valid stream;
//   catalogue.cc     sellers, products, listings, catalogue changes, delivery templates;
//   coupons.cc       coupon campaigns, claims and redemptions;
//   after_sales.cc   the life of a paid order after payment, and reviews;
//   delivery.cc      delivery steps along the product's template;
//   refunds.cc       refund requests and decisions;
//   invoices.cc      invoice requests and their issue or rejection;
//   metrics.cc       ProductDailyMetrics;
//   bad_events.cc    the invalid events mixed in at invalid_rate;
//   event_format.cc  Events as NDJSON lines (catalogue and orders); format_flows.cc the rest;
//   event_queue.cc   the scheduled events, in time order;
//   random.cc        integer-only shaping of mt19937_64 output;
//   calendar.cc      civil dates in the policy timezone;
//   gen_model.h      event types, Event, catalogue, coupons, lifecycle state;
//   word_lists.h, flow_words.h, delivery_shapes.h  names, texts and delivery templates.
// generator.h is the public contract; everything here lives in mkt::gen::detail.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <ostream>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ledger/assert.h"
#include "ops/gen/gen_model.h"
#include "ops/gen/generator.h"

namespace mkt::gen::detail {

inline constexpr int64_t kSecondsPerMinute = 60;
inline constexpr int64_t kSecondsPerHour = 3600;
inline constexpr int64_t kSecondsPerDay = 86'400;
inline constexpr int64_t kTzOffsetSeconds = 8 * kSecondsPerHour;  // policy timezone +08:00, no DST

inline constexpr size_t kOutputBufferBytes = size_t{1} << 20;

// ---------------------------------------------------------------------------------------------
// Randomness. std distributions are implementation-defined and libm's last bits vary between
// machines, so all shaping is integer arithmetic on mt19937_64's standard-fixed output.

inline constexpr uint64_t kOneQ32 = uint64_t{1} << 32;
inline constexpr int64_t kPriceMedianMaxFen = int64_t{1} << 21;  // median * 2^(33+10) < 2^64

// 2^(x / 2^32) as Q32, for x in [-31, 30] * 2^32. The fraction goes through a 12-term Taylor
// series of e^(f ln 2) in integers (error ~1e-9), the integer part through a shift.
uint64_t Exp2Q32(int64_t x);

// log2(x) as Q32 for 1 <= x < 2^32, by repeated squaring of the mantissa (30-bit precision).
int64_t Log2Q32(uint64_t x);

class Random {
 public:
  explicit Random(uint64_t seed) : engine_(seed) {}

  uint64_t Next() { return engine_(); }

  // Uniform in [0, n), n > 0: rejection keeps it free of modulo bias.
  uint64_t Below(uint64_t n) {
    MKT_ASSERT(n > 0);
    const uint64_t max = std::numeric_limits<uint64_t>::max();
    const uint64_t limit = max - max % n;  // a multiple of n
    uint64_t x = engine_();
    while (x >= limit) x = engine_();
    return x % n;
  }

  // Uniform in [lo, hi].
  int64_t Between(int64_t lo, int64_t hi) {
    MKT_ASSERT(lo <= hi, lo, " > ", hi);
    return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo) + 1));
  }

  bool PerMille(uint64_t chance) { return Below(1000) < chance; }

  // Index i with probability weights[i] / sum(weights).
  size_t Weighted(std::span<const uint32_t> weights) {
    uint64_t total = 0;
    for (uint32_t w : weights) total += w;
    uint64_t x = Below(total);
    size_t i = 0;
    while (x >= weights[i]) x -= weights[i++];
    return i;
  }

  // Index i with probability (cumulative[i] - cumulative[i-1]) / cumulative.back().
  size_t Cumulative(const std::vector<uint64_t>& cumulative) {
    const uint64_t x = Below(cumulative.back());
    return static_cast<size_t>(std::upper_bound(cumulative.begin(), cumulative.end(), x) -
                               cumulative.begin());
  }

  // median * 2^(sigma * z), z ~ N(0,1) approximated by the Irwin-Hall sum of 12 uniforms - 6;
  // the exponent is clamped to [-16, 10] so the product cannot overflow.
  int64_t LogNormal(int64_t median, int64_t sigma_log2_milli) {
    MKT_ASSERT(median > 0 && median < kPriceMedianMaxFen, "median=", median);
    int64_t z_q32 = -6 * static_cast<int64_t>(kOneQ32);
    for (int i = 0; i < 12; ++i) z_q32 += static_cast<int64_t>(engine_() >> 32);
    int64_t exponent_q32 = z_q32 * sigma_log2_milli / 1000;
    exponent_q32 = std::clamp(exponent_q32, -16 * static_cast<int64_t>(kOneQ32),
                              10 * static_cast<int64_t>(kOneQ32));
    return static_cast<int64_t>((static_cast<uint64_t>(median) * Exp2Q32(exponent_q32)) >> 32);
  }

  // A rank in [0, n) with density proportional to 1 / (rank + offset): log-uniform on
  // [offset, n + offset). `span_q32` = log2((n + offset) / offset), computed once by the caller.
  int64_t LogUniformRank(int64_t n, int64_t offset, int64_t span_q32) {
    const uint64_t u_q24 = engine_() >> 40;
    const int64_t exponent_q32 =
        static_cast<int64_t>((u_q24 * static_cast<uint64_t>(span_q32)) >> 24);
    const uint64_t x = (static_cast<uint64_t>(offset) * Exp2Q32(exponent_q32)) >> 32;
    return std::clamp(static_cast<int64_t>(x) - offset, int64_t{0}, n - 1);
  }

 private:
  std::mt19937_64 engine_;
};

// Splits `total` in proportion to `weights` by largest remainder (ties to the earlier index),
// so the parts sum to `total` exactly.
std::vector<int64_t> Apportion(int64_t total, const std::vector<int64_t>& weights);

// ---------------------------------------------------------------------------------------------
// Calendar (proleptic Gregorian, Howard Hinnant's algorithms).

struct CivilDate {
  int64_t year;
  unsigned month;
  unsigned day;
};

CivilDate CivilFromDays(int64_t days);

// Strict "YYYY-MM-DD" naming a real date in 1971..9989, as days since the epoch; throws
// std::invalid_argument otherwise.
int64_t ParseStartDate(const std::string& text);

// The first day of the month `months` after the month of `day`.
int64_t MonthsLater(int64_t day, int months);

inline int64_t LocalDayStart(int64_t day) { return day * kSecondsPerDay - kTzOffsetSeconds; }

// ---------------------------------------------------------------------------------------------
// Events and their JSON form. The model (Type, Event, Product, Seller, Coupon, ...) is in
// gen_model.h.

// Fixed-width zero-padded decimal; money as yuan with two decimals; seller ids as s0001; the
// other ids carry the seller id so they are unique across sellers too.
void AppendUnsigned(std::string* out, uint64_t value, int width);
void AppendFen(std::string* out, int64_t fen);
void AppendSellerId(std::string* out, int32_t seller);
void AppendProductId(std::string* out, int32_t seller, int32_t product);  // p-s0001-01
void AppendOrderId(std::string* out, int32_t seller, int64_t order_no);   // o-s0001-000001
void AppendBuyerId(std::string* out, int32_t buyer);                      // b000001
void AppendCouponId(std::string* out, int32_t seller, int32_t coupon);    // c-s0001-0001

// RFC 3339 in +08:00, second precision; the date part is cached because consecutive events
// almost always share a day.
class TimeFormatter {
 public:
  void Append(std::string* out, int64_t at_s);

 private:
  void CacheDay(int64_t day);

  int64_t cached_day_ = std::numeric_limits<int64_t>::min();
  std::string cached_date_;
};

// Turns Events into lines. Reads the catalogue for names, categories, fees and rates, the
// sellers' coupon campaigns for CouponCreated and the day's figures for ProductDailyMetrics.
class Formatter {
 public:
  Formatter(const std::vector<Seller>& sellers, const std::vector<DailyFigures>& figures)
      : sellers_(sellers), figures_(figures) {}

  void Format(const Event& e, std::string_view event_id, std::string* line);

  void AppendTime(std::string* out, int64_t at_s) { times_.Append(out, at_s); }

 private:
  // event_format.cc: catalogue and order events.
  void AppendProductFields(const Event& e, std::string* line);
  void AppendOrderFields(const Event& e, std::string* line);
  void AppendOrderPlaced(const Event& e, std::string* line);
  // format_flows.cc: the rest.
  void AppendMetrics(const Event& e, std::string* line);
  void AppendTemplate(const Event& e, std::string* line);
  void AppendDeliveryStep(const Event& e, std::string* line);
  void AppendReview(const Event& e, std::string* line);
  void AppendCouponFields(const Event& e, std::string* line);
  void AppendCouponCreated(const Event& e, std::string* line);
  void AppendRefundFields(const Event& e, std::string* line);
  void AppendInvoiceFields(const Event& e, std::string* line);
  void AppendInvoiceRequested(const Event& e, std::string* line);

  const std::vector<Seller>& sellers_;
  const std::vector<DailyFigures>& figures_;
  TimeFormatter times_;
};

// The scheduled events, smallest (at_s, seq) first. The stream is written in time order and
// nothing is pushed before what was already taken, so events wait in buckets per hour and
// only the current hour is a heap: a push or pop costs a heap operation over one hour of
// events, not over the weeks of after-sale life that are pending.
class EventQueue {
 public:
  void Push(const Event& e);
  bool Empty() const { return current_.empty() && later_.empty(); }
  const Event& Top();  // requires !Empty()
  void Pop();          // removes Top()

 private:
  void Advance();

  int64_t current_hour_ = std::numeric_limits<int64_t>::min();
  std::vector<Event> current_;                   // hours <= current_hour_, a heap
  std::map<int64_t, std::vector<Event>> later_;  // by hour, all > current_hour_
};

// Buffers lines and hands them to the stream in large writes.
class Output {
 public:
  explicit Output(std::ostream& out) : out_(out) { buffer_.reserve(kOutputBufferBytes + 4096); }
  void Line(const std::string& line) {
    buffer_.append(line).push_back('\n');
    if (buffer_.size() >= kOutputBufferBytes) Flush();
  }
  void Flush() {
    out_.write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    buffer_.clear();
  }

 private:
  std::ostream& out_;
  std::string buffer_;
};

// ---------------------------------------------------------------------------------------------
// Bad events. Each kind is rejected by a rule of LEDGER.md whatever the ledger's state, and its
// rejection leaves no trace, so the valid stream around it is judged exactly as without it.

enum class BadKind : uint8_t {
  kMoneyThreeDecimals,  // invalid_amount, on a fresh order
  kMoneyAsNumber,       // malformed
  kNegativeMoney,       // invalid_amount
  kBadTimestamp,        // no offset, space instead of T, or a bare date
  kMissingField,        // missing_field
  kIdWithSpace,         // invalid_id
  kUnknownProduct,      // unknown_product
  kUnknownType,         // unknown_type
  kUnknownOrder,        // OrderPaid for an order never placed
  kResellerNotEnabled,  // reseller order on a product without a rate
  kRateOutOfRange,      // reseller_rate_out_of_range (or _immutable once set)
  kProductExists,       // re-listing under a fresh event id
  kEventIdConflict,     // the valid event re-sent with changed content
  kPriceIncrease,       // price_increase_not_allowed, right after placing
  kAmountMismatch,      // amount_mismatch, right after placing (before any valid payment)
  kOrderNotUnpaid,      // a price change right after a payment or void
  kCount,
};

// ---------------------------------------------------------------------------------------------
// The generator proper: one object per Generate() call. Its member functions are split by
// concern: options, orders and writing in generator.cc, the catalogue in catalogue.cc, coupon
// campaigns in coupons.cc, the after-sale life of paid orders in after_sales.cc (with
// delivery.cc, refunds.cc, invoices.cc), daily product metrics in metrics.cc and the bad
// events in bad_events.cc.

// Invoice requests (LEDGER.md section 6). On because the ledger accepts them; off gives a
// stream for a ledger without invoice rules (a different stream: invoices draw no numbers).
inline constexpr bool kGenerateInvoices = true;

// An order's coupon steps (claim, redeem, maybe release) take at most this long; with price
// changes and payment they stay well inside the unpaid expiry (generator.cc).
inline constexpr int64_t kCouponUseMaxSeconds = 40 * kSecondsPerMinute;

class Generator {
 public:
  Generator(const GenOptions& options, std::ostream& out);

  GenStats Run();

 private:
  // ---- Catalogue (catalogue.cc).
  void BuildSellers();
  int ProductCount(bool big);
  Product MakeProduct(int global_index);
  void AssignDeliveryShapes(Seller* seller);
  static int64_t NicePrice(int64_t fen);
  void ScheduleListings();
  void ScheduleCatalogueChanges();
  void FillProductUpdate(Event* e);
  void FillProfileUpdate(Event* e);
  static Event ProductEvent(Type type, size_t seller, size_t product, int64_t at_s);

  // ---- Orders (generator.cc).
  void PlaceAllOrders();
  void StartDay(int64_t day, const std::vector<int64_t>& per_day);
  int64_t DayWeight(int64_t day);
  void PlaceHour(int64_t hour_start_s, int64_t count);
  void PlaceOrder(int32_t seller_index, int64_t at_s);
  int64_t DrawBuyer();
  int64_t DrawQuantity();
  int64_t DrawReseller();
  void PlanLifecycle(const Event& placed);
  void PlanPriceChanges(OrderPlan* plan);
  void PlanPayment(OrderPlan* plan);
  int64_t DiscountedPrice(int64_t price);
  int64_t PaymentDelay();
  static Event OrderEvent(Type type, const Event& placed, int64_t at_s);

  // ---- Coupon campaigns (coupons.cc).
  void ScheduleCampaigns(int64_t first_day, int64_t end_day, int64_t orders);
  void MakeCampaign(size_t seller, int64_t first_day, int64_t end_day);
  void DrawCouponOffer(const Seller& seller, Coupon* coupon);
  void ScheduleCouponSwitches(size_t seller, Coupon* coupon);
  void PruneCoupons(int64_t now_s);
  void MaybeIdleClaim(OrderPlan* plan);
  void PlanCouponUse(OrderPlan* plan);
  Coupon* BestCoupon(const OrderPlan& plan, int64_t claim_at, int64_t redeem_at, bool* claim);
  void ClaimCoupon(Coupon* coupon, const Event& placed, int64_t at_s);
  void GiveClaimBack(const OrderPlan& plan, int64_t at_s);
  static Event CouponEvent(Type type, size_t seller, const Coupon& coupon, int64_t at_s);

  // ---- After-sale life of a paid order (after_sales.cc, delivery.cc, refunds.cc, invoices.cc).
  void PlanAfterSales(const OrderPlan& plan, const Event& paid);
  void PlanReview(AfterSales* run);
  void PostReview(AfterSales* run);
  void StartDelivery(AfterSales* run);
  void PlanDeliveryStep(AfterSales* run, int64_t entered_at);
  void TakeDeliveryStep(AfterSales* run);
  void StartRefund(AfterSales* run);
  void TakeRefundStep(AfterSales* run);
  void RequestRefund(AfterSales* run);
  void DecideRefund(AfterSales* run);
  void StartInvoice(AfterSales* run);
  void RequestInvoice(AfterSales* run);
  void OfferForCombinedInvoice(const AfterSales& run);
  void PruneInvoicePool(int64_t now_s);
  static Event AfterSalesEvent(Type type, const AfterSales& run, int64_t at_s);

  // ---- Daily product metrics (metrics.cc).
  void CountForMetrics(int32_t seller, int32_t product);
  void ReportDailyMetrics(int64_t day);

  // ---- Writing (generator.cc).
  void Push(Event e);
  void FlushThrough(int64_t at_s);
  void WriteValid(const Event& e);

  // ---- Bad events (bad_events.cc).
  void WriteBad(const Event& valid);
  const Product& ProductOf(const Event& e) const;
  std::string FreshOrderId(const Event& valid) const;
  void FormatFreshOrder(const Event& valid, const Product& product);
  void BuildBad(BadKind kind, const Event& valid, const Product& product);
  void BuildBadOnState(BadKind kind, const Event& valid, const Product& product);
  void BuildBadOnOrder(BadKind kind, const Event& valid);
  void BuildConflict(const Event& valid, const Product& product);
  std::string BadTimestamp(int64_t at_s);

  struct Placement {
    int64_t at_s;
    int32_t seller;
    auto operator<=>(const Placement&) const = default;
  };

  const GenOptions& options_;
  Random rng_;
  Random bad_rng_;
  std::vector<Seller> sellers_;
  std::vector<uint64_t> seller_cumulative_;  // Zipf volume weights
  std::vector<DailyFigures> figures_;        // the ProductDailyMetrics of the latest day
  std::vector<std::pair<int32_t, int32_t>> products_sold_today_;       // (seller, product)
  std::unordered_map<uint64_t, InvoiceCandidate> invoice_candidates_;  // by (seller, buyer)
  size_t invoice_candidates_kept_ = 0;  // the pool's size after its last sweep
  Formatter formatter_;
  Output output_;
  int64_t start_day_ = 0;
  int64_t end_day_ = 0;
  int64_t start_s_ = 0;
  int64_t end_s_ = 0;
  int64_t buyers_ = 0;
  int64_t buyer_span_q32_ = 0;
  uint64_t bad_threshold_ = 0;
  std::string seed_text_;
  EventQueue pending_;
  std::vector<Placement> placements_;
  int64_t flushed_through_ = std::numeric_limits<int64_t>::min();  // all at <= this written
  uint64_t next_seq_ = 0;
  uint64_t valid_events_ = 0;
  uint64_t bad_events_ = 0;
  std::string event_id_;
  std::string bad_event_id_;
  std::string line_;
  GenStats stats_;
};

}  // namespace mkt::gen::detail
