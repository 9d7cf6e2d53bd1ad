// ProductDailyMetrics (LEDGER.md section 3.1): the analytics side reports each product that
// had traffic on a day, just after midnight. Traffic here means the product sold that day, so
// the volume follows the orders (at most one report per order) and the figures scale with the
// day's sales: a few percent of unique visitors buy.
#include <algorithm>
#include <cstdint>

#include "ops/gen/gen_internal.h"

namespace mkt::gen::detail {

namespace {

constexpr int kCategoryService = 3;
constexpr int kCategoryHardware = 5;
constexpr int64_t kReportDelayMaxSeconds = 15 * kSecondsPerMinute;

}  // namespace

void Generator::CountForMetrics(int32_t seller, int32_t product) {
  Product& p = sellers_[static_cast<size_t>(seller)].products[static_cast<size_t>(product)];
  if (p.orders_today++ == 0) products_sold_today_.emplace_back(seller, product);
}

// One report per product sold on `day`, written 00:01..00:15 the next day. Quotes (询价) are
// mostly asked for services and hardware; tickets resolved may trail those opened.
void Generator::ReportDailyMetrics(int64_t day) {
  figures_.clear();  // the caller has written the previous day's reports
  for (const auto& [seller, product_index] : products_sold_today_) {
    Product& product =
        sellers_[static_cast<size_t>(seller)].products[static_cast<size_t>(product_index)];
    const int64_t orders = product.orders_today;
    product.orders_today = 0;
    DailyFigures f;
    f.day = day;
    f.uv = orders * rng_.Between(20, 80) + static_cast<int64_t>(rng_.Below(30));
    f.visitors = std::max<int64_t>(1, f.uv * rng_.Between(55, 90) / 100);
    f.dwell_milli = rng_.Between(15'000, 240'000);
    const bool quoted =
        product.category == kCategoryService || product.category == kCategoryHardware;
    f.quotes = static_cast<int64_t>(rng_.Below(static_cast<uint64_t>(quoted ? orders / 2 + 2 : 2)));
    f.tickets_opened = static_cast<int64_t>(rng_.Below(static_cast<uint64_t>(orders / 4 + 2)));
    f.tickets_resolved =
        f.tickets_opened -
        static_cast<int64_t>(rng_.Below(static_cast<uint64_t>(f.tickets_opened / 3 + 1)));
    if (f.tickets_resolved > 0) {
      f.ticket_hours_milli =
          rng_.PerMille(700) ? rng_.Between(500, 24'000) : rng_.Between(24'000, 72'000);
    }
    Event e = ProductEvent(
        Type::kProductDailyMetrics, static_cast<size_t>(seller), static_cast<size_t>(product_index),
        LocalDayStart(day + 1) + rng_.Between(kSecondsPerMinute, kReportDelayMaxSeconds));
    e.ref = static_cast<int32_t>(figures_.size());
    figures_.push_back(f);
    Push(e);
  }
  products_sold_today_.clear();
}

}  // namespace mkt::gen::detail
