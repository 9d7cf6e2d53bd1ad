// The catalogue: sellers with Zipf-like volume, 3..30 products each with a delivery template
// where the category has one, listed (and reseller rates set) on a working day in the two
// weeks before start_date; then a few ProductUpdated / ProductProfileUpdated per seller spread
// over the period.
#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "ops/gen/delivery_shapes.h"
#include "ops/gen/gen_internal.h"
#include "ops/gen/word_lists.h"

namespace mkt::gen::detail {

namespace {

constexpr int kProductsPerSellerMin = 3;
constexpr int kProductsPerSellerMax = 30;

// Base prices: log-normal per category, clamped to [9.90, 200000.00].
constexpr int64_t kPriceMinFen = 990;
constexpr int64_t kPriceMaxFen = 20'000'000;
constexpr int64_t kPriceSigmaLog2Milli = 1'730;  // sigma 1.2 in ln units, as log2

// The catalogue is listed on one working morning per seller: products start 09:00..12:00 and
// follow each other by at most 10 minutes, so the last rate is set before the day ends.
constexpr int64_t kListingStartMaxSeconds = 12 * kSecondsPerHour;
constexpr int64_t kListingGapMaxSeconds = 10 * kSecondsPerMinute;
constexpr int64_t kRateDelayMaxSeconds = 5 * kSecondsPerMinute;
static_assert(kListingStartMaxSeconds + kProductsPerSellerMax * kListingGapMaxSeconds +
                  kRateDelayMaxSeconds <
              kSecondsPerDay);
// A seller's own template is defined just after its first product is listed and before the
// second (a minute later at the earliest), which may be the first to use it.
constexpr int64_t kTemplateDelaySeconds = 10;
static_assert(kTemplateDelaySeconds < kSecondsPerMinute);

constexpr int kCategoryService = 3;
constexpr int kCategoryLicense = 4;
constexpr int kCategoryHardware = 5;

}  // namespace

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
    AssignDeliveryShapes(&sellers_[s]);
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

// Licenses and hardware keep their category's template. Most services keep `basic`; the rest
// list one of the other built-in templates, or the seller's own where it defined one (about
// one seller in seven). The first product never uses the seller's own template: it is
// defined right after that product's listing.
void Generator::AssignDeliveryShapes(Seller* seller) {
  if (rng_.PerMille(150)) {
    seller->custom_shape = static_cast<uint8_t>(kFirstCustomShape + rng_.Below(2) + 1);
  }
  for (size_t j = 0; j < seller->products.size(); ++j) {
    Product& product = seller->products[j];
    if (product.category == kCategoryLicense) product.shape = kShapeLicense + 1;
    if (product.category == kCategoryHardware) product.shape = kShapeHardware + 1;
    if (product.category != kCategoryService) continue;
    product.shape = kShapeBasic + 1;
    if (seller->custom_shape != 0 && j > 0 && rng_.PerMille(500)) {
      product.shape = seller->custom_shape;
    } else if (rng_.PerMille(300)) {
      product.shape =
          static_cast<uint8_t>(kServiceAlternatives[rng_.Weighted(kServiceAlternativeWeights)] + 1);
    }
  }
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
      if (j == 0 && sellers_[s].custom_shape != 0) {
        Event defined =
            ProductEvent(Type::kDeliveryTemplateDefined, s, 0, at + kTemplateDelaySeconds);
        defined.ref = sellers_[s].custom_shape - 1;
        Push(defined);
      }
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

}  // namespace mkt::gen::detail
