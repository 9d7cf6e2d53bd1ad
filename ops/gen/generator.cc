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
#include <bit>
#include <charconv>
#include <cstdint>
#include <limits>
#include <ostream>
#include <queue>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/assert.h"

namespace mkt::gen {
namespace {

// ---------------------------------------------------------------------------------------------
// Bounds and shapes.

constexpr int64_t kSecondsPerMinute = 60;
constexpr int64_t kSecondsPerHour = 3600;
constexpr int64_t kSecondsPerDay = 86'400;
constexpr int64_t kTzOffsetSeconds = 8 * kSecondsPerHour;     // policy timezone +08:00, no DST
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
constexpr int64_t kPriceSigmaLog2Milli = 1'730;           // sigma 1.2 in ln units, as log2
constexpr int64_t kPriceMedianMaxFen = int64_t{1} << 21;  // median * 2^(33+10) < 2^64

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

constexpr size_t kOutputBufferBytes = size_t{1} << 20;

// Orders per hour of the day in +08:00: quiet 01:00-07:00, peaks late morning and evening.
constexpr std::array<uint32_t, 24> kHourWeights = {30,  15,  8,   5,   4,   5,   10,  25,
                                                   60,  110, 150, 160, 110, 100, 130, 140,
                                                   135, 110, 80,  100, 140, 150, 120, 70};
// Orders per day of the week, Sunday first: weekdays busier.
constexpr std::array<uint32_t, 7> kWeekdayWeights = {64, 100, 102, 100, 98, 95, 72};

// ---------------------------------------------------------------------------------------------
// Word lists. Nothing here needs JSON escaping (no quotes, backslashes or control bytes) and
// no value contains the two bytes `,"`, which SetField below relies on.

using Words = std::span<const std::string_view>;

constexpr std::array<std::string_view, 8> kImageHeads = {"CentOS 7.9",
                                                         "Ubuntu 22.04",
                                                         "Debian 12",
                                                         "Rocky Linux 9",
                                                         "AlmaLinux 9",
                                                         "Windows Server 2022",
                                                         "Alibaba Cloud Linux 3",
                                                         "openEuler 22.03"};
constexpr std::array<std::string_view, 9> kImageTails = {" hardened image",
                                                         " LAMP image",
                                                         " LNMP image",
                                                         " Docker CE image",
                                                         " Java 17 environment image",
                                                         " Python 3.11 image",
                                                         " WordPress image",
                                                         " GPU driver image",
                                                         " Node.js 20 image"};
constexpr std::array<std::string_view, 12> kApiHeads = {"OCR",
                                                        "ID card recognition",
                                                        "SMS verification",
                                                        "Weather forecast",
                                                        "Express tracking",
                                                        "Face comparison",
                                                        "Speech to text",
                                                        "Bank card verification",
                                                        "IP geolocation",
                                                        "Invoice recognition",
                                                        "Text translation",
                                                        "Licence plate recognition"};
constexpr std::array<std::string_view, 4> kApiTails = {" API", " API Pro",
                                                       " API (high concurrency)", " API Lite"};
constexpr std::array<std::string_view, 12> kSaasHeads = {"ERP",
                                                         "CRM",
                                                         "HR",
                                                         "OA",
                                                         "Inventory",
                                                         "Ticketing",
                                                         "E-signature",
                                                         "Online mall",
                                                         "Live streaming",
                                                         "Membership",
                                                         "Project management",
                                                         "Fleet management"};
constexpr std::array<std::string_view, 4> kSaasTails = {" SaaS Standard", " SaaS Professional",
                                                        " SaaS Enterprise", " SaaS Flagship"};
constexpr std::array<std::string_view, 10> kServiceHeads = {
    "Website build",     "Mini program development",
    "Cloud migration",   "Security hardening",
    "Database tuning",   "Kubernetes deployment",
    "Data backup setup", "ICP filing assistance",
    "SEO optimisation",  "Classified protection assessment"};
constexpr std::array<std::string_view, 4> kServiceTails = {
    " service", " service (basic)", " service (advanced)", " service (enterprise)"};
constexpr std::array<std::string_view, 8> kLicenseHeads = {
    "Antivirus",       "Office suite", "BI reporting",   "CAD design",
    "Backup software", "VPN gateway",  "Database audit", "Bastion host"};
constexpr std::array<std::string_view, 5> kLicenseTails = {
    " license (1 user)", " license (10 users)", " license per server", " perpetual license",
    " annual license"};
constexpr std::array<std::string_view, 8> kHardwareHeads = {
    "Face recognition terminal", "Edge computing box", "Smart gateway",
    "Industrial camera",         "IoT sensor kit",     "2U rack server",
    "Firewall appliance",        "Smart door lock"};
constexpr std::array<std::string_view, 4> kHardwareTails = {"", " Gen2", " Lite", " Pro"};

constexpr std::array<std::string_view, 4> kImageSpecs = {"1C2G", "2C4G", "4C8G", "8C16G"};
constexpr std::array<std::string_view, 4> kApiSpecs = {"1000 calls", "10000 calls", "100000 calls",
                                                       "1000000 calls"};
constexpr std::array<std::string_view, 3> kSaasSpecs = {"standard", "professional", "enterprise"};
constexpr std::array<std::string_view, 2> kServiceSpecs = {"standard", "premium"};
constexpr std::array<std::string_view, 3> kLicenseSpecs = {"1 user", "5 users", "unlimited"};
constexpr std::array<std::string_view, 2> kHardwareSpecs = {"standard", "kit"};
constexpr std::array<std::string_view, 3> kImagePeriods = {"1 month", "3 months", "1 year"};
constexpr std::array<std::string_view, 2> kApiPeriods = {"1 month", "1 year"};
constexpr std::array<std::string_view, 3> kSaasPeriods = {"1 month", "1 year", "3 years"};
constexpr std::array<std::string_view, 2> kLicensePeriods = {"1 year", "perpetual"};

struct Category {
  std::string_view name;
  int64_t median_fen;  // median base price of its products
  Words heads;
  Words tails;
  Words specs;
  Words periods;  // empty: OrderPlaced carries no period
};

constexpr std::array<Category, 6> kCategories = {{
    {"image", 14'900, kImageHeads, kImageTails, kImageSpecs, kImagePeriods},
    {"api", 6'900, kApiHeads, kApiTails, kApiSpecs, kApiPeriods},
    {"saas", 49'900, kSaasHeads, kSaasTails, kSaasSpecs, kSaasPeriods},
    {"service", 149'900, kServiceHeads, kServiceTails, kServiceSpecs, Words{}},
    {"license", 39'900, kLicenseHeads, kLicenseTails, kLicenseSpecs, kLicensePeriods},
    {"hardware", 199'900, kHardwareHeads, kHardwareTails, kHardwareSpecs, Words{}},
}};
constexpr std::array<uint32_t, 6> kCategoryWeights = {22, 20, 24, 18, 10, 6};
static_assert(kCategories.size() == kCategoryWeights.size());

constexpr std::array<std::string_view, 5> kKindNames = {"new", "renew", "upgrade", "trial",
                                                        "convert"};
constexpr std::array<uint32_t, 5> kKindWeights = {600, 250, 70, 50, 30};
constexpr uint8_t kKindTrial = 3;
constexpr std::array<std::string_view, 3> kChannelNames = {"store", "solution", "reseller"};
constexpr uint8_t kChannelReseller = 2;
// A product with a reseller rate sells a third through resellers; overall that is ~10%.
constexpr std::array<uint32_t, 3> kChannelWeightsWithRate = {60, 10, 30};
constexpr std::array<uint32_t, 3> kChannelWeightsWithoutRate = {89, 11, 0};

constexpr std::array<std::string_view, 6> kPriceChangeReasons = {"bulk purchase discount",
                                                                 "negotiated enterprise price",
                                                                 "promotion campaign",
                                                                 "loyal customer discount",
                                                                 "price match",
                                                                 "annual contract discount"};
constexpr std::array<std::string_view, 4> kRenameSuffixes = {" v2", " (new edition)", " Plus",
                                                             " (upgraded)"};

// ---------------------------------------------------------------------------------------------
// Randomness. std distributions are implementation-defined and libm's last bits vary between
// machines, so all shaping is integer arithmetic on mt19937_64's standard-fixed output.

constexpr uint64_t kOneQ32 = uint64_t{1} << 32;

// 2^(x / 2^32) as Q32, for x in [-31, 30] * 2^32. The fraction goes through a 12-term Taylor
// series of e^(f ln 2) in integers (error ~1e-9), the integer part through a shift.
uint64_t Exp2Q32(int64_t x) {
  const int64_t whole = x >> 32;  // floor: C++20 defines >> on negatives as arithmetic
  const uint64_t frac = static_cast<uint64_t>(x) & (kOneQ32 - 1);
  constexpr uint64_t kLn2Q32 = 2'977'044'472;  // round(ln 2 * 2^32)
  const uint64_t y = (frac * kLn2Q32) >> 32;
  uint64_t term = kOneQ32;
  uint64_t sum = kOneQ32;
  for (uint64_t n = 1; n <= 12; ++n) {
    term = ((term * y) >> 32) / n;
    sum += term;
  }
  return whole >= 0 ? sum << whole : sum >> -whole;
}

// log2(x) as Q32 for 1 <= x < 2^32, by repeated squaring of the mantissa (30-bit precision).
int64_t Log2Q32(uint64_t x) {
  MKT_ASSERT(x >= 1 && x < kOneQ32, "x=", x);
  const int whole = std::bit_width(x) - 1;
  uint64_t mantissa_q30 = (x << 30) >> whole;  // in [1, 2)
  int64_t result = int64_t{whole} << 32;
  for (int bit = 31; bit >= 0; --bit) {
    mantissa_q30 = (mantissa_q30 * mantissa_q30) >> 30;
    if (mantissa_q30 >= (uint64_t{2} << 30)) {
      mantissa_q30 >>= 1;
      result += int64_t{1} << bit;
    }
  }
  return result;
}

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
std::vector<int64_t> Apportion(int64_t total, const std::vector<int64_t>& weights) {
  int64_t weight_sum = 0;
  for (int64_t w : weights) weight_sum += w;
  MKT_ASSERT(weight_sum > 0 && total <= std::numeric_limits<int64_t>::max() / weight_sum);
  std::vector<int64_t> parts(weights.size());
  std::vector<std::pair<int64_t, size_t>> remainders(weights.size());  // (-remainder, index)
  int64_t assigned = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    parts[i] = total * weights[i] / weight_sum;
    remainders[i] = {-(total * weights[i] % weight_sum), i};
    assigned += parts[i];
  }
  std::sort(remainders.begin(), remainders.end());
  for (int64_t k = 0; k < total - assigned; ++k) ++parts[remainders[static_cast<size_t>(k)].second];
  return parts;
}

// ---------------------------------------------------------------------------------------------
// Calendar (proleptic Gregorian, Howard Hinnant's algorithms).

int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day) {
  year -= month <= 2;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const auto year_of_era = static_cast<unsigned>(year - era * 400);
  const unsigned day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146'097 + static_cast<int64_t>(day_of_era) - 719'468;
}

struct CivilDate {
  int64_t year;
  unsigned month;
  unsigned day;
};

CivilDate CivilFromDays(int64_t days) {
  days += 719'468;
  const int64_t era = (days >= 0 ? days : days - 146'096) / 146'097;
  const auto day_of_era = static_cast<unsigned>(days - era * 146'097);
  const unsigned year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36'524 - day_of_era / 146'096) / 365;
  const unsigned day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const unsigned mp = (5 * day_of_year + 2) / 153;
  CivilDate date;
  date.day = day_of_year - (153 * mp + 2) / 5 + 1;
  date.month = mp < 10 ? mp + 3 : mp - 9;
  date.year = static_cast<int64_t>(year_of_era) + era * 400 + (date.month <= 2);
  return date;
}

// Strict "YYYY-MM-DD" naming a real date in 1971..9989, as days since the epoch.
int64_t ParseStartDate(const std::string& text) {
  const auto fail = [&] { throw std::invalid_argument("start_date: not a date: " + text); };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') fail();
  int64_t fields[3] = {0, 0, 0};
  const size_t begins[3] = {0, 5, 8};
  const size_t ends[3] = {4, 7, 10};
  for (int f = 0; f < 3; ++f) {
    for (size_t i = begins[f]; i < ends[f]; ++i) {
      if (text[i] < '0' || text[i] > '9') fail();
      fields[f] = fields[f] * 10 + (text[i] - '0');
    }
  }
  if (fields[0] < 1971 || fields[0] > 9989 || fields[1] < 1 || fields[1] > 12) fail();
  const int64_t days =
      DaysFromCivil(fields[0], static_cast<unsigned>(fields[1]), static_cast<unsigned>(fields[2]));
  const CivilDate back = CivilFromDays(days);
  if (back.month != fields[1] || back.day != fields[2]) fail();  // e.g. 2026-02-30
  return days;
}

// The first day of the month `months` after the month of `day`.
int64_t MonthsLater(int64_t day, int months) {
  const CivilDate date = CivilFromDays(day);
  const int64_t month_index = date.year * 12 + (date.month - 1) + months;
  return DaysFromCivil(month_index / 12, static_cast<unsigned>(month_index % 12) + 1, 1);
}

int64_t LocalDayStart(int64_t day) { return day * kSecondsPerDay - kTzOffsetSeconds; }

// ---------------------------------------------------------------------------------------------
// Events and their JSON form.

enum class Type : uint8_t {
  kProductListed,
  kResellerRateSet,
  kProductUpdated,
  kProductProfileUpdated,
  kOrderPlaced,
  kOrderPriceChanged,
  kOrderPaid,
  kOrderVoided,
};
constexpr std::array<std::string_view, 8> kTypeNames = {
    "ProductListed", "ResellerRateSet",   "ProductUpdated", "ProductProfileUpdated",
    "OrderPlaced",   "OrderPriceChanged", "OrderPaid",      "OrderVoided"};

// ProductProfileUpdated flags in Event::detail: a "present" bit and a "value" bit per field.
constexpr std::array<std::string_view, 3> kProfileFields = {"has_case_study", "has_qualification",
                                                            "has_video"};

// One scheduled event, compact so a day of pending lifecycle stays small. Strings are made at
// write time from indexes into the catalogue and the word lists.
struct Event {
  int64_t at_s = 0;         // Unix seconds
  uint64_t seq = 0;         // creation order, breaks ties of at_s
  int64_t amount_fen = 0;   // list_price | new_price | cash
  int64_t voucher_fen = 0;  // OrderPaid
  int64_t order_no = 0;     // per seller, from 1
  int32_t seller = 0;
  int32_t product = 0;
  int32_t buyer = 0;
  int32_t quantity = 0;
  // ProductUpdated: fee bp (0 = absent); OrderPriceChanged: reason; profile: flag bits.
  int32_t detail = 0;
  Type type = Type::kProductListed;
  uint8_t kind = 0;
  uint8_t channel = 0;
  uint8_t reseller = 0;  // 1..kResellers, 0 = none
  uint8_t spec = 0;      // 1-based into the category's specs, 0 = absent
  uint8_t period = 0;    // likewise
  uint8_t rename = 0;    // ProductUpdated: 1-based into kRenameSuffixes, 0 = no name
};

struct LaterFirst {
  bool operator()(const Event& a, const Event& b) const {
    return a.at_s != b.at_s ? a.at_s > b.at_s : a.seq > b.seq;
  }
};

struct Product {
  std::string name;
  int category = 0;
  int32_t fee_bp = 0;   // 0: absent, the policy default applies
  int32_t rate_bp = 0;  // 0: no reseller rate
  int64_t base_fen = 0;
  int64_t listed_at_s = 0;
};

struct Seller {
  std::vector<Product> products;
  std::vector<uint64_t> product_cumulative;  // popularity, Zipf over the listing order
  int64_t orders_placed = 0;
};

void AppendUnsigned(std::string* out, uint64_t value, int width) {
  char digits[24];
  const auto result = std::to_chars(digits, digits + sizeof(digits), value);
  const auto length = static_cast<int>(result.ptr - digits);
  if (length < width) out->append(static_cast<size_t>(width - length), '0');
  out->append(digits, result.ptr);
}

void AppendFen(std::string* out, int64_t fen) {
  MKT_ASSERT(fen >= 0, "fen=", fen);
  AppendUnsigned(out, static_cast<uint64_t>(fen / 100), 1);
  out->push_back('.');
  AppendUnsigned(out, static_cast<uint64_t>(fen % 100), 2);
}

void AppendSellerId(std::string* out, int32_t seller) {
  out->push_back('s');
  AppendUnsigned(out, static_cast<uint64_t>(seller) + 1, 4);
}

void AppendProductId(std::string* out, int32_t seller, int32_t product) {
  out->append("p-");
  AppendSellerId(out, seller);
  out->push_back('-');
  AppendUnsigned(out, static_cast<uint64_t>(product) + 1, 2);
}

void AppendOrderId(std::string* out, int32_t seller, int64_t order_no) {
  out->append("o-");
  AppendSellerId(out, seller);
  out->push_back('-');
  AppendUnsigned(out, static_cast<uint64_t>(order_no), 6);
}

// RFC 3339 in +08:00, second precision; the date part is cached because consecutive events
// almost always share a day.
class TimeFormatter {
 public:
  void Append(std::string* out, int64_t at_s) {
    const int64_t local = at_s + kTzOffsetSeconds;
    const int64_t day = local >= 0 ? local / kSecondsPerDay : (local + 1) / kSecondsPerDay - 1;
    if (day != cached_day_) CacheDay(day);
    const int64_t second_of_day = local - day * kSecondsPerDay;
    out->append(cached_date_);
    AppendUnsigned(out, static_cast<uint64_t>(second_of_day / kSecondsPerHour), 2);
    out->push_back(':');
    AppendUnsigned(out, static_cast<uint64_t>(second_of_day / 60 % 60), 2);
    out->push_back(':');
    AppendUnsigned(out, static_cast<uint64_t>(second_of_day % 60), 2);
    out->append("+08:00");
  }

 private:
  void CacheDay(int64_t day) {
    const CivilDate date = CivilFromDays(day);
    cached_date_.clear();
    AppendUnsigned(&cached_date_, static_cast<uint64_t>(date.year), 4);
    cached_date_.push_back('-');
    AppendUnsigned(&cached_date_, date.month, 2);
    cached_date_.push_back('-');
    AppendUnsigned(&cached_date_, date.day, 2);
    cached_date_.push_back('T');
    cached_day_ = day;
  }

  int64_t cached_day_ = std::numeric_limits<int64_t>::min();
  std::string cached_date_;
};

// Appends `,"key":` for the next field of an object we are building.
void Key(std::string* out, std::string_view key) { out->append(",\"").append(key).append("\":"); }
void StringField(std::string* out, std::string_view key, std::string_view value) {
  Key(out, key);
  out->append("\"").append(value).append("\"");
}
void MoneyField(std::string* out, std::string_view key, int64_t fen) {
  Key(out, key);
  out->push_back('"');
  AppendFen(out, fen);
  out->push_back('"');
}
void IntField(std::string* out, std::string_view key, int64_t value) {
  Key(out, key);
  out->append(std::to_string(value));
}

// Turns Events into lines. Reads the catalogue for names, categories, fees and rates.
class Formatter {
 public:
  explicit Formatter(const std::vector<Seller>& sellers) : sellers_(sellers) {}

  void Format(const Event& e, std::string_view event_id, std::string* line) {
    line->assign("{\"type\":\"").append(kTypeNames[static_cast<size_t>(e.type)]);
    line->append("\",\"event_id\":\"").append(event_id).append("\",\"at\":\"");
    times_.Append(line, e.at_s);
    line->append("\",\"seller_id\":\"");
    AppendSellerId(line, e.seller);
    line->push_back('"');
    if (e.type <= Type::kProductProfileUpdated) {
      AppendProductFields(e, line);
    } else {
      AppendOrderFields(e, line);
    }
    line->push_back('}');
  }

  void AppendTime(std::string* out, int64_t at_s) { times_.Append(out, at_s); }

 private:
  void AppendProductFields(const Event& e, std::string* line) {
    const Product& product =
        sellers_[static_cast<size_t>(e.seller)].products[static_cast<size_t>(e.product)];
    Key(line, "product_id");
    line->push_back('"');
    AppendProductId(line, e.seller, e.product);
    line->push_back('"');
    switch (e.type) {
      case Type::kProductListed:
        StringField(line, "name", product.name);
        StringField(line, "category", kCategories[static_cast<size_t>(product.category)].name);
        if (product.fee_bp != 0) IntField(line, "platform_fee_bp", product.fee_bp);
        break;
      case Type::kResellerRateSet:
        IntField(line, "rate_bp", product.rate_bp);
        break;
      case Type::kProductUpdated:
        if (e.rename != 0) {
          StringField(line, "name", product.name + std::string(kRenameSuffixes[e.rename - 1u]));
        }
        if (e.detail != 0) IntField(line, "platform_fee_bp", e.detail);
        break;
      default:  // kProductProfileUpdated
        for (size_t f = 0; f < kProfileFields.size(); ++f) {
          if ((e.detail >> (2 * f) & 1) == 0) continue;
          Key(line, kProfileFields[f]);
          line->append((e.detail >> (2 * f + 1) & 1) != 0 ? "true" : "false");
        }
        break;
    }
  }

  void AppendOrderFields(const Event& e, std::string* line) {
    Key(line, "order_id");
    line->push_back('"');
    AppendOrderId(line, e.seller, e.order_no);
    line->push_back('"');
    switch (e.type) {
      case Type::kOrderPlaced:
        AppendOrderPlaced(e, line);
        break;
      case Type::kOrderPriceChanged:
        MoneyField(line, "new_price", e.amount_fen);
        StringField(line, "reason", kPriceChangeReasons[static_cast<size_t>(e.detail)]);
        break;
      case Type::kOrderPaid:
        MoneyField(line, "cash", e.amount_fen);
        MoneyField(line, "voucher", e.voucher_fen);
        break;
      default:  // kOrderVoided
        StringField(line, "reason", "buyer_cancelled");
        break;
    }
  }

  void AppendOrderPlaced(const Event& e, std::string* line) {
    const Product& product =
        sellers_[static_cast<size_t>(e.seller)].products[static_cast<size_t>(e.product)];
    const Category& category = kCategories[static_cast<size_t>(product.category)];
    Key(line, "product_id");
    line->push_back('"');
    AppendProductId(line, e.seller, e.product);
    line->append("\",\"buyer_id\":\"b");
    AppendUnsigned(line, static_cast<uint64_t>(e.buyer) + 1, 6);
    line->push_back('"');
    StringField(line, "kind", kKindNames[e.kind]);
    if (e.spec != 0) StringField(line, "spec", category.specs[e.spec - 1u]);
    if (e.period != 0) StringField(line, "period", category.periods[e.period - 1u]);
    IntField(line, "quantity", e.quantity);
    MoneyField(line, "list_price", e.amount_fen);
    StringField(line, "channel", kChannelNames[e.channel]);
    if (e.reseller != 0) {
      line->append(",\"reseller_id\":\"r");
      AppendUnsigned(line, e.reseller, 3);
      line->push_back('"');
    }
  }

  const std::vector<Seller>& sellers_;
  TimeFormatter times_;
};

// Edits of a line we formatted ourselves, for making bad events. A value runs from after
// `"key":` to the next `,"` or the closing brace; no generated value contains `,"`.
size_t ValueEnd(const std::string& line, size_t begin) {
  const size_t end = line.find(",\"", begin);
  return end == std::string::npos ? line.size() - 1 : end;
}

void SetField(std::string* line, std::string_view key, std::string_view raw_value) {
  const std::string pattern = "\"" + std::string(key) + "\":";
  const size_t pos = line->find(pattern);
  MKT_ASSERT(pos != std::string::npos, "no ", key, " in ", *line);
  const size_t begin = pos + pattern.size();
  line->replace(begin, ValueEnd(*line, begin) - begin, raw_value);
}

void RemoveField(std::string* line, std::string_view key) {
  const std::string pattern = ",\"" + std::string(key) + "\":";
  const size_t pos = line->find(pattern);
  MKT_ASSERT(pos != std::string::npos, "no ", key, " in ", *line);
  line->erase(pos, ValueEnd(*line, pos + 1) - pos);
}

std::string Quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

std::string FenText(int64_t fen) {
  std::string text;
  AppendFen(&text, fen);
  return text;
}

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

bool BadKindFits(BadKind kind, const Event& valid, const Product& product) {
  switch (kind) {
    case BadKind::kResellerNotEnabled:
      return product.rate_bp == 0;
    case BadKind::kEventIdConflict:
      // Only types whose re-send would also be refused on business rules (product_exists,
      // reseller_rate_immutable, order_exists, order_not_unpaid) if ids were not compared.
      return valid.type == Type::kProductListed || valid.type == Type::kResellerRateSet ||
             valid.type == Type::kOrderPlaced || valid.type == Type::kOrderPaid ||
             valid.type == Type::kOrderVoided;
    case BadKind::kPriceIncrease:
    case BadKind::kAmountMismatch:
      return valid.type == Type::kOrderPlaced;
    case BadKind::kOrderNotUnpaid:
      return valid.type == Type::kOrderPaid || valid.type == Type::kOrderVoided;
    default:
      return true;
  }
}

// ---------------------------------------------------------------------------------------------
// The generator proper.

class Generator {
 public:
  Generator(const GenOptions& options, std::ostream& out)
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

  GenStats Run() {
    BuildSellers();
    ScheduleListings();
    FlushThrough(start_s_ - 1);
    ScheduleCatalogueChanges();
    PlaceAllOrders();
    FlushThrough(std::numeric_limits<int64_t>::max());
    output_.Flush();
    return stats_;
  }

 private:
  // ---- Catalogue.

  void BuildSellers() {
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
  int ProductCount(bool big) {
    const uint64_t u = rng_.Below(1000);
    int count = kProductsPerSellerMin +
                static_cast<int>(std::min<uint64_t>(27, 28 * u * u * u / 1'000'000'000));
    if (big) count += static_cast<int>(rng_.Between(3, 12));
    return std::min(count, kProductsPerSellerMax);
  }

  Product MakeProduct(int global_index) {
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
  static int64_t NicePrice(int64_t fen) {
    fen = std::clamp(fen, kPriceMinFen, kPriceMaxFen);
    if (fen < 10'000) return fen / 100 * 100 + 90;
    if (fen < 1'000'000) return (fen + 500) / 1000 * 1000;
    return std::min((fen + 5000) / 10'000 * 10'000, kPriceMaxFen);
  }

  // Each seller lists everything on one working morning within the two weeks before
  // start_date; a reseller rate follows its product's listing by a few minutes.
  void ScheduleListings() {
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
        Push(ProductEvent(Type::kResellerRateSet, s, j,
                          at + rng_.Between(30, kRateDelayMaxSeconds)));
      }
    }
  }

  // A few renames, fee changes and content-flag changes per seller over the period, in
  // office hours; all after the listings, which precede start_date.
  void ScheduleCatalogueChanges() {
    const int64_t days = end_day_ - start_day_;
    const auto changes = static_cast<uint64_t>(options_.months) + 2;
    for (size_t s = 0; s < sellers_.size(); ++s) {
      const uint64_t updates = rng_.Below(changes);
      const uint64_t profiles = rng_.Below(changes);
      for (uint64_t i = 0; i < updates + profiles; ++i) {
        const size_t j = rng_.Below(sellers_[s].products.size());
        const int64_t at = LocalDayStart(start_day_ + rng_.Between(0, days - 1)) +
                           rng_.Between(9 * kSecondsPerHour, 19 * kSecondsPerHour);
        Event e = ProductEvent(i < updates ? Type::kProductUpdated : Type::kProductProfileUpdated,
                               s, j, at);
        if (i < updates) {
          FillProductUpdate(&e);
        } else {
          FillProfileUpdate(&e);
        }
        Push(e);
      }
    }
  }

  void FillProductUpdate(Event* e) {
    if (rng_.PerMille(600))
      e->rename = static_cast<uint8_t>(rng_.Between(1, kRenameSuffixes.size()));
    if (rng_.PerMille(500)) e->detail = static_cast<int32_t>(rng_.Between(5, 20) * 100);
    if (e->rename == 0 && e->detail == 0) e->rename = 1;  // never an empty update
  }

  void FillProfileUpdate(Event* e) {
    for (size_t f = 0; f < kProfileFields.size(); ++f) {
      if (!rng_.PerMille(600)) continue;
      e->detail |= 1 << (2 * f);
      if (rng_.PerMille(800)) e->detail |= 1 << (2 * f + 1);
    }
    if (e->detail == 0) e->detail = 0b11;  // never an empty update: has_case_study true
  }

  static Event ProductEvent(Type type, size_t seller, size_t product, int64_t at_s) {
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
  void PlaceAllOrders() {
    std::vector<int64_t> day_weights;
    for (int64_t day = start_day_; day < end_day_; ++day) day_weights.push_back(DayWeight(day));
    const std::vector<int64_t> per_day = Apportion(options_.orders, day_weights);
    for (int64_t d = 0; d < end_day_ - start_day_; ++d) {
      std::vector<int64_t> hour_weights;
      for (uint32_t w : kHourWeights) hour_weights.push_back(w * rng_.Between(85, 115));
      const std::vector<int64_t> per_hour =
          Apportion(per_day[static_cast<size_t>(d)], hour_weights);
      for (int64_t h = 0; h < 24; ++h) {
        PlaceHour(LocalDayStart(start_day_ + d) + h * kSecondsPerHour,
                  per_hour[static_cast<size_t>(h)]);
      }
    }
  }

  int64_t DayWeight(int64_t day) {
    const CivilDate date = CivilFromDays(day);
    int64_t weight =
        kWeekdayWeights[static_cast<size_t>((day % 7 + 11) % 7)] * rng_.Between(90, 110);
    if (date.month == 11 && date.day == 11) weight = weight * 5 / 2;  // Singles' Day
    if (date.month == 6 && date.day == 18) weight = weight * 9 / 5;   // 618 festival
    if (date.month == 12 && date.day == 12) weight = weight * 3 / 2;  // Double 12
    return weight;
  }

  // Placements of one hour are drawn, sorted by time and then played in order; before each,
  // every scheduled event up to its second is written (their creation sequence is smaller).
  void PlaceHour(int64_t hour_start_s, int64_t count) {
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

  void PlaceOrder(int32_t seller_index, int64_t at_s) {
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
      e.period =
          static_cast<uint8_t>(rng_.Between(1, static_cast<int64_t>(category.periods.size())));
    }
    MKT_ASSERT(product.listed_at_s < at_s, "order before listing");
    Push(e);
    PlanLifecycle(e);
  }

  // A third of orders come from anyone in the pool, the rest from a long tail of repeat
  // buyers (log-uniform ranks), shared by all sellers.
  int64_t DrawBuyer() {
    if (rng_.PerMille(350)) return static_cast<int64_t>(rng_.Below(static_cast<uint64_t>(buyers_)));
    return rng_.LogUniformRank(buyers_, kBuyerZipfOffset, buyer_span_q32_);
  }

  int64_t DrawQuantity() {
    const uint64_t r = rng_.Below(100);
    if (r < 85) return 1;
    if (r < 96) return rng_.Between(2, 5);
    return rng_.Between(6, 20);
  }

  // r001..r020 with Zipf weights: a few resellers carry most of the channel.
  int64_t DrawReseller() {
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
  void PlanLifecycle(const Event& placed) {
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
  int64_t DiscountedPrice(int64_t price) {
    int64_t off = price * rng_.Between(3, 30) / 100;
    if (price >= 10'000) off -= off % 100;
    return price - off;
  }

  // Most buyers pay within half an hour; a tail pays within two days.
  int64_t PaymentDelay() {
    const uint64_t r = rng_.Below(1000);
    if (r < 700) return rng_.Between(kSecondsPerMinute, 30 * kSecondsPerMinute);
    if (r < 900) return rng_.Between(30 * kSecondsPerMinute, 6 * kSecondsPerHour);
    return rng_.Between(6 * kSecondsPerHour, kPayDelayMaxSeconds);
  }

  static Event OrderEvent(Type type, const Event& placed, int64_t at_s) {
    Event e;
    e.type = type;
    e.at_s = at_s;
    e.seller = placed.seller;
    e.product = placed.product;
    e.order_no = placed.order_no;
    return e;
  }

  // ---- Writing.

  void Push(Event e) {
    e.seq = next_seq_++;
    pending_.push(e);
  }

  void FlushThrough(int64_t at_s) {
    while (!pending_.empty() && pending_.top().at_s <= at_s) {
      const Event e = pending_.top();
      pending_.pop();
      WriteValid(e);
    }
  }

  void WriteValid(const Event& e) {
    event_id_.assign("e-").append(seed_text_).push_back('-');
    AppendUnsigned(&event_id_, ++valid_events_, 1);
    formatter_.Format(e, event_id_, &line_);
    output_.Line(line_);
    ++stats_.events;
    // The bad stream draws only when bad events are wanted, and from its own generator.
    if (bad_threshold_ == 0 || (bad_rng_.Next() >> 11) >= bad_threshold_) return;
    WriteBad(e);
  }

  void WriteBad(const Event& valid) {
    const Product& product = ProductOf(valid);
    auto kind = static_cast<BadKind>(bad_rng_.Below(static_cast<uint64_t>(BadKind::kCount)));
    // Redraw kinds that need a particular predecessor; the generic ones always fit.
    for (int tries = 0; !BadKindFits(kind, valid, product); ++tries) {
      kind = tries < 8
                 ? static_cast<BadKind>(bad_rng_.Below(static_cast<uint64_t>(BadKind::kCount)))
                 : BadKind::kUnknownOrder;
    }
    ++bad_events_;
    bad_event_id_.assign("e-").append(seed_text_).append("-x");
    AppendUnsigned(&bad_event_id_, bad_events_, 1);
    BuildBad(kind, valid, product);
    output_.Line(line_);
    ++stats_.events;
    ++stats_.invalid;
  }

  const Product& ProductOf(const Event& e) const {
    return sellers_[static_cast<size_t>(e.seller)].products[static_cast<size_t>(e.product)];
  }

  // A fresh order id that no valid event uses: the `x` cannot appear in valid order numbers.
  std::string FreshOrderId(const Event& valid) const {
    std::string id = "o-";
    AppendSellerId(&id, valid.seller);
    id.append("-x");
    AppendUnsigned(&id, bad_events_, 6);
    return id;
  }

  // An OrderPlaced that would be valid, on the valid event's (listed) product, under a fresh
  // order id; the caller breaks exactly one thing in it.
  void FormatFreshOrder(const Event& valid, const Product& product) {
    Event e = OrderEvent(Type::kOrderPlaced, valid, valid.at_s);
    e.buyer = static_cast<int32_t>(bad_rng_.Below(static_cast<uint64_t>(buyers_)));
    e.quantity = 1;
    e.amount_fen = product.base_fen;
    formatter_.Format(e, bad_event_id_, &line_);
    SetField(&line_, "order_id", Quoted(FreshOrderId(valid)));
  }

  void BuildBad(BadKind kind, const Event& valid, const Product& product) {
    switch (kind) {
      case BadKind::kMoneyThreeDecimals:
        FormatFreshOrder(valid, product);
        SetField(&line_, "list_price", Quoted(FenText(product.base_fen) + "5"));
        return;
      case BadKind::kMoneyAsNumber:
        FormatFreshOrder(valid, product);
        SetField(&line_, "list_price", FenText(product.base_fen));
        return;
      case BadKind::kNegativeMoney:
        FormatFreshOrder(valid, product);
        SetField(&line_, "list_price", Quoted("-" + FenText(product.base_fen)));
        return;
      case BadKind::kBadTimestamp:
        FormatFreshOrder(valid, product);
        SetField(&line_, "at", BadTimestamp(valid.at_s));
        return;
      case BadKind::kMissingField: {
        static constexpr std::array<std::string_view, 6> kFields = {
            "seller_id", "at", "product_id", "buyer_id", "quantity", "list_price"};
        FormatFreshOrder(valid, product);
        RemoveField(&line_, kFields[bad_rng_.Below(kFields.size())]);
        return;
      }
      case BadKind::kIdWithSpace: {
        FormatFreshOrder(valid, product);
        std::string id = FreshOrderId(valid);
        id[1] = ' ';  // "o s0001-x000042"
        SetField(&line_, "order_id", Quoted(id));
        return;
      }
      case BadKind::kUnknownProduct: {
        FormatFreshOrder(valid, product);
        std::string id = "p-";
        AppendSellerId(&id, valid.seller);
        id.append("-x").append(std::to_string(bad_rng_.Between(1, 99)));
        SetField(&line_, "product_id", Quoted(id));
        return;
      }
      default:
        BuildBadOnState(kind, valid, product);
        return;
    }
  }

  // The kinds that refer to existing products and orders.
  void BuildBadOnState(BadKind kind, const Event& valid, const Product& product) {
    switch (kind) {
      case BadKind::kUnknownType: {
        static constexpr std::array<std::string_view, 3> kTypes = {"OrderShipped", "ProductDeleted",
                                                                   "OrderRefunded"};
        FormatFreshOrder(valid, product);
        SetField(&line_, "type", Quoted(kTypes[bad_rng_.Below(kTypes.size())]));
        return;
      }
      case BadKind::kUnknownOrder: {
        Event paid = OrderEvent(Type::kOrderPaid, valid, valid.at_s);
        paid.amount_fen = product.base_fen;
        formatter_.Format(paid, bad_event_id_, &line_);
        SetField(&line_, "order_id", Quoted(FreshOrderId(valid)));
        return;
      }
      case BadKind::kResellerNotEnabled:
        FormatFreshOrder(valid, product);
        SetField(&line_, "channel", "\"reseller\",\"reseller_id\":\"r001\"");
        return;
      case BadKind::kRateOutOfRange: {
        static constexpr std::array<std::string_view, 5> kRates = {"1900", "6100", "2050", "0",
                                                                   "10000"};
        formatter_.Format(ProductEvent(Type::kResellerRateSet, static_cast<size_t>(valid.seller),
                                       static_cast<size_t>(valid.product), valid.at_s),
                          bad_event_id_, &line_);
        SetField(&line_, "rate_bp", kRates[bad_rng_.Below(kRates.size())]);
        return;
      }
      case BadKind::kProductExists:
        formatter_.Format(ProductEvent(Type::kProductListed, static_cast<size_t>(valid.seller),
                                       static_cast<size_t>(valid.product), valid.at_s),
                          bad_event_id_, &line_);
        return;
      case BadKind::kEventIdConflict:
        BuildConflict(valid, product);
        return;
      default:
        BuildBadOnOrder(kind, valid);
        return;
    }
  }

  // Price increase and amount mismatch right after placing (price is still list_price), or a
  // price change right after the order stopped being unpaid.
  void BuildBadOnOrder(BadKind kind, const Event& valid) {
    if (kind == BadKind::kAmountMismatch) {
      Event paid = OrderEvent(Type::kOrderPaid, valid, valid.at_s);
      paid.amount_fen = valid.amount_fen + 100 * bad_rng_.Between(1, 50);
      formatter_.Format(paid, bad_event_id_, &line_);
      return;
    }
    Event changed = OrderEvent(Type::kOrderPriceChanged, valid, valid.at_s);
    changed.detail = static_cast<int32_t>(bad_rng_.Below(kPriceChangeReasons.size()));
    changed.amount_fen =
        kind == BadKind::kPriceIncrease ? valid.amount_fen + 100 * bad_rng_.Between(1, 1000) : 0;
    formatter_.Format(changed, bad_event_id_, &line_);
  }

  // The valid event re-sent under its own id with one field changed.
  void BuildConflict(const Event& valid, const Product& product) {
    formatter_.Format(valid, event_id_, &line_);
    switch (valid.type) {
      case Type::kProductListed:
        SetField(&line_, "name", Quoted(product.name + " Pro"));
        return;
      case Type::kResellerRateSet:
        SetField(&line_, "rate_bp",
                 std::to_string(product.rate_bp == 6000 ? 5900 : product.rate_bp + 100));
        return;
      case Type::kOrderPlaced:
        SetField(&line_, "quantity", std::to_string(valid.quantity + 1));
        return;
      case Type::kOrderPaid:
        SetField(&line_, "cash", Quoted(FenText(valid.amount_fen + 100)));
        return;
      default:  // kOrderVoided
        SetField(&line_, "reason", Quoted("expired"));
        return;
    }
  }

  // The right instant written wrongly: no offset ("2026-10-03T10:00:00"), that plus a space
  // for the T (which lenient RFC 3339 readers accept only with an offset), or a bare date.
  std::string BadTimestamp(int64_t at_s) {
    std::string text;
    formatter_.AppendTime(&text, at_s);  // "2026-10-03T10:00:00+08:00"
    switch (bad_rng_.Below(3)) {
      case 0:
        text[10] = ' ';
        text.resize(19);
        break;
      case 1:
        text.resize(19);
        break;
      default:
        text.resize(10);
        break;
    }
    return Quoted(text);
  }

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
  Formatter formatter_;
  Output output_;
  int64_t start_day_ = 0;
  int64_t end_day_ = 0;
  int64_t start_s_ = 0;
  int64_t buyers_ = 0;
  int64_t buyer_span_q32_ = 0;
  uint64_t bad_threshold_ = 0;
  std::string seed_text_;
  std::priority_queue<Event, std::vector<Event>, LaterFirst> pending_;
  std::vector<Placement> placements_;
  uint64_t next_seq_ = 0;
  uint64_t valid_events_ = 0;
  uint64_t bad_events_ = 0;
  std::string event_id_;
  std::string bad_event_id_;
  std::string line_;
  GenStats stats_;
};

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

GenStats Generate(const GenOptions& options, std::ostream& out) {
  ValidateOptions(options);
  Generator generator(options, out);
  return generator.Run();
}

}  // namespace mkt::gen
