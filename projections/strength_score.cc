// StrengthProjection: the query side. Reads the 30 daily buckets of the window
// and turns them into the factors, dimensions, score and tier of section 7.
#include <algorithm>
#include <cmath>
#include <memory>

#include "rocksdb/snapshot.h"

#include "ledger/keys.h"
#include "projections/strength.h"

namespace mkt {
namespace {

constexpr int32_t kWindowDays = 30;

double Target(double x, double t) { return 100.0 * std::min(1.0, x / t); }
double LowerIsBetter(double x, double limit) { return 100.0 * std::max(0.0, 1.0 - x / limit); }
double Ratio(double a, double b) { return b > 0 ? a / b : 0.0; }

std::string Key(char tag, std::string_view seller, std::string_view product, std::optional<int32_t> day) {
  std::string key(1, tag);
  key += keys::Scoped(seller, product);
  key.push_back('\0');
  if (day) keys::AppendU32(&key, static_cast<uint32_t>(*day));
  return key;
}

template <typename Table>
const Table* Root(const rocksdb::Slice& value) {
  flatbuffers::Verifier verifier(reinterpret_cast<const uint8_t*>(value.data()), value.size());
  MKT_ASSERT(verifier.VerifyBuffer<Table>(nullptr), "corrupt strength record");
  return flatbuffers::GetRoot<Table>(value.data());
}

// Walks one tag's records of one seller, product by product in key order
// (tag, seller, '\0', product, '\0', day, rest). Products must be visited in
// key order; then a ranking moves mostly with Next, and Seek only skips records
// outside the window (one Seek per product and tag was most of a ranking's time).
class TagCursor {
 public:
  TagCursor(const Store& store, const rocksdb::Snapshot* snapshot, char tag, std::string_view seller)
      : tag_(tag), seller_(seller) {
    rocksdb::ReadOptions options;
    options.snapshot = snapshot;
    it_.reset(store.db()->NewIterator(options, store.cf(kCfStrength)));
  }

  // Calls fn(day, rest, value) for the product's records with day in [from, to],
  // in day order.
  template <typename Fn>
  void Visit(std::string_view product, int32_t from, int32_t to, Fn fn) {
    const std::string prefix = Key(tag_, seller_, product, std::nullopt);
    if (!it_->Valid() || it_->key().compare(prefix) < 0) it_->Seek(prefix);
    while (it_->Valid() && it_->key().starts_with(prefix)) {
      const std::string_view key = it_->key().ToStringView();
      const auto day = static_cast<int32_t>(keys::ReadU32(key.substr(prefix.size())));
      if (day > to) break;  // the next Visit seeks past the rest
      if (day < from) {
        it_->Seek(Key(tag_, seller_, product, from));
        continue;
      }
      fn(day, key.substr(prefix.size() + 4), it_->value());
      it_->Next();
    }
    MKT_ASSERT(it_->status().ok(), "strength read failed: ", it_->status().ToString());
  }

 private:
  char tag_;
  std::string seller_;
  std::unique_ptr<rocksdb::Iterator> it_;
};

struct Window {
  fb::StrengthDayT sum;
  size_t buyers = 0, paying_buyers = 0;
  bool has_metrics = false;
  double uv = 0, visitors = 0, dwell_weighted = 0, quotes = 0, opened = 0, resolved = 0, hours_weighted = 0;
  fb::StrengthProfileT profile;
};

void AddDay(const fb::StrengthDay& d, fb::StrengthDayT* sum) {
  sum->orders += d.orders();
  sum->renew_orders += d.renew_orders();
  sum->repurchase_orders += d.repurchase_orders();
  sum->paid_orders += d.paid_orders();
  sum->gmv += d.gmv();
  sum->refunds_approved += d.refunds_approved();
  sum->refunded_orders += d.refunded_orders();
  sum->projects_opened += d.projects_opened();
  sum->projects_completed += d.projects_completed();
  sum->five_star_orders += d.five_star_orders();
}

void AddMetrics(const fb::StrengthMetrics& m, Window* w) {
  w->uv += static_cast<double>(m.uv());
  w->visitors += static_cast<double>(m.visitors());
  w->dwell_weighted += static_cast<double>(m.avg_dwell_milli()) / 1000.0 * static_cast<double>(m.uv());
  w->quotes += static_cast<double>(m.quotes());
  w->opened += static_cast<double>(m.tickets_opened());
  w->resolved += static_cast<double>(m.tickets_resolved());
  w->hours_weighted +=
      static_cast<double>(m.avg_ticket_hours_milli()) / 1000.0 * static_cast<double>(m.tickets_resolved());
}

// What a score needs of the product record ('P').
struct ProductInfo {
  std::string product_id;
  bool has_template = false;
  std::optional<int32_t> first_metrics_day;
};

ProductInfo Info(std::string_view product_id, const rocksdb::Slice& value) {
  const auto* p = Root<fb::StrengthProduct>(value);
  return ProductInfo{std::string(product_id), p->has_template(), p->first_metrics_day()};
}

// The two cursors a score reads (days, profiles), over one snapshot so that a
// score (and a ranking) never mixes two states of the store.
class WindowReader {
 public:
  WindowReader(const Store& store, std::string_view seller)
      : snapshot_(store.db()),
        days_(store, snapshot_.snapshot(), 'D', seller),
        profiles_(store, snapshot_.snapshot(), 'H', seller) {}

  const rocksdb::Snapshot* snapshot() { return snapshot_.snapshot(); }

  Window Read(const ProductInfo& product, int32_t day) {
    Window w;
    const int32_t from = day - (kWindowDays - 1);
    buyer_list_.clear();
    days_.Visit(product.product_id, from, day, [&](int32_t, std::string_view, const rocksdb::Slice& v) {
      const auto* d = Root<fb::StrengthDay>(v);
      AddDay(*d, &w.sum);
      if (d->metrics() != nullptr) AddMetrics(*d->metrics(), &w);
      if (d->buyers() == nullptr) return;
      for (const fb::StrengthBuyerDay* b : *d->buyers()) {
        const auto paid = b->first_paid_day();
        buyer_list_.emplace_back(b->buyer_id()->string_view(), paid && *paid <= day);
      }
    });
    // Distinct buyers over the window: a buyer is in the list of each day they ordered.
    std::sort(buyer_list_.begin(), buyer_list_.end());
    for (size_t i = 0; i < buyer_list_.size(); ++i) {
      const bool last_of_buyer = i + 1 == buyer_list_.size() || buyer_list_[i + 1].first != buyer_list_[i].first;
      if (!last_of_buyer) continue;
      ++w.buyers;
      if (buyer_list_[i].second) ++w.paying_buyers;  // sorted: true after false, so the last one says
    }
    // Reported at least once as of the day.
    w.has_metrics = product.first_metrics_day && *product.first_metrics_day <= day;
    profiles_.Visit(product.product_id, 0, day, [&](int32_t, std::string_view, const rocksdb::Slice& v) {
      Root<fb::StrengthProfile>(v)->UnPackTo(&w.profile);  // the last one on or before the day wins
    });
    return w;
  }

 private:
  rocksdb::ManagedSnapshot snapshot_;
  TagCursor days_, profiles_;
  std::vector<std::pair<std::string, bool>> buyer_list_;  // copies: a value lives until the cursor moves
};

bool CouponActive(const std::vector<fb::CouponRowT>& coupons, std::string_view product, Micros day_start,
                  Micros day_end) {
  for (const fb::CouponRowT& c : coupons) {
    const bool covers = c.scope == fb::CouponScope::shop ||
                        std::find(c.product_ids.begin(), c.product_ids.end(), product) != c.product_ids.end();
    const bool usable = c.use_from_us < day_end && c.use_to_us >= day_start &&
                        c.created_at_us < day_end && (!c.voided_at_us || *c.voided_at_us >= day_end);
    if (covers && usable) return true;
  }
  return false;
}

StrengthDimension Dimension(std::string_view name, int weight, std::vector<StrengthFactor> factors) {
  StrengthDimension d{name, weight, true, 0, std::move(factors)};
  for (const StrengthFactor& f : d.factors) d.score += f.score;
  d.score /= static_cast<double>(d.factors.size());
  return d;
}

std::vector<StrengthDimension> Dimensions(const StrengthModel& kModel, const Window& w, bool has_template,
                                          bool active_coupon) {
  const fb::StrengthDayT& s = w.sum;
  const auto n = [](int64_t v) { return static_cast<double>(v); };
  const double paying_rate = Ratio(n(static_cast<int64_t>(w.paying_buyers)), n(static_cast<int64_t>(w.buyers)));
  const double gmv_yuan = n(s.gmv) / 100.0;
  std::vector<StrengthDimension> out;
  out.push_back(Dimension("transaction", kModel.weight_transaction,
      {{"paying_buyer_rate", paying_rate, Target(paying_rate, kModel.paying_buyer_rate)},
       {"orders", n(s.orders), Target(n(s.orders), kModel.orders)},
       {"paid_orders", n(s.paid_orders), Target(n(s.paid_orders), kModel.paid_orders)},
       {"gmv", gmv_yuan, Target(n(s.gmv), static_cast<double>(kModel.gmv.value()))},
       {"renewal_rate", Ratio(n(s.renew_orders), n(s.orders)), Target(Ratio(n(s.renew_orders), n(s.orders)), kModel.renewal_rate)},
       {"repurchase_rate", Ratio(n(s.repurchase_orders), n(s.orders)),
        Target(Ratio(n(s.repurchase_orders), n(s.orders)), kModel.repurchase_rate)}}));
  const double refund_rate = Ratio(n(s.refunded_orders), n(s.paid_orders));
  std::vector<StrengthFactor> delivery = {
      {"refunds", n(s.refunds_approved), LowerIsBetter(n(s.refunds_approved), kModel.refunds_zero_at)},
      {"refund_rate", refund_rate, LowerIsBetter(refund_rate, kModel.refund_rate_zero_at)}};
  if (has_template) {
    delivery.push_back({"projects_opened", n(s.projects_opened), Target(n(s.projects_opened), kModel.projects_opened)});
    delivery.push_back({"projects_completed", n(s.projects_completed), Target(n(s.projects_completed), kModel.projects_completed)});
  }
  out.push_back(Dimension("delivery", kModel.weight_delivery, std::move(delivery)));
  const auto flag = [](bool b) { return b ? 100.0 : 0.0; };
  out.push_back(Dimension("expression", kModel.weight_expression,
      {{"five_star_orders", n(s.five_star_orders), Target(n(s.five_star_orders), kModel.five_star_orders)},
       {"has_case_study", flag(w.profile.has_case_study) / 100, flag(w.profile.has_case_study)},
       {"has_qualification", flag(w.profile.has_qualification) / 100, flag(w.profile.has_qualification)},
       {"has_video", flag(w.profile.has_video) / 100, flag(w.profile.has_video)},
       {"has_active_coupon", flag(active_coupon) / 100, flag(active_coupon)}}));
  const double dwell = Ratio(w.dwell_weighted, w.uv), hours = Ratio(w.hours_weighted, w.resolved);
  const double resolution = Ratio(w.resolved, w.opened);
  StrengthDimension marketing = Dimension("marketing", kModel.weight_marketing,
      {{"uv", w.uv, Target(w.uv, kModel.uv)},
       {"visitors", w.visitors, Target(w.visitors, kModel.visitors)},
       {"avg_dwell_seconds", dwell, Target(dwell, kModel.avg_dwell_seconds)}});
  StrengthDimension service = Dimension("service", kModel.weight_service,
      {{"quotes", w.quotes, Target(w.quotes, kModel.quotes)},
       {"ticket_resolution_rate", resolution, Target(resolution, kModel.ticket_resolution_rate)},
       {"avg_ticket_hours", hours, LowerIsBetter(hours, kModel.avg_ticket_hours_zero_at)}});
  marketing.included = service.included = w.has_metrics;  // no source: left out, weights rescaled
  out.push_back(std::move(marketing));
  out.push_back(std::move(service));
  return out;
}

StrengthScore Compute(const StrengthModel& model, TzOffset tz, WindowReader* reader, const ProductInfo& product,
                      int32_t day, const std::vector<fb::CouponRowT>& coupons) {
  const Window w = reader->Read(product, day);
  const bool coupon =
      CouponActive(coupons, product.product_id, StartOfLocalDay(day, tz), StartOfLocalDay(day + 1, tz));
  StrengthScore score{product.product_id, day, 0, "", Dimensions(model, w, product.has_template, coupon)};
  double weighted = 0, weights = 0;
  for (const StrengthDimension& d : score.dimensions) {
    if (!d.included) continue;
    weighted += d.score * d.weight;
    weights += d.weight;
  }
  score.score = std::floor(weighted / weights * 100.0 + 0.5) / 100.0;  // half-up, two decimals
  score.tier = score.score >= model.tier_super       ? "super"
               : score.score >= model.tier_premium   ? "premium"
               : score.score >= model.tier_potential ? "potential"
                                                     : "ordinary";
  return score;
}

}  // namespace

std::optional<StrengthScore> StrengthProjection::Score(std::string_view seller_id, std::string_view product_id,
                                                       int32_t day) const {
  WindowReader reader(*store_, seller_id);
  rocksdb::ReadOptions options;
  options.snapshot = reader.snapshot();
  rocksdb::PinnableSlice value;
  const rocksdb::Status status =
      store_->db()->Get(options, store_->cf(kCfStrength), "P" + keys::Scoped(seller_id, product_id), &value);
  if (status.IsNotFound()) return std::nullopt;
  MKT_ASSERT(status.ok(), "strength read failed: ", status.ToString());
  const std::vector<fb::CouponRowT> coupons =
      coupons_ != nullptr ? coupons_->List(seller_id) : std::vector<fb::CouponRowT>{};
  return Compute(model_, tz_, &reader, Info(product_id, value), day, coupons);
}

std::vector<StrengthScore> StrengthProjection::Ranking(std::string_view seller_id, int32_t day) const {
  const std::vector<fb::CouponRowT> coupons =
      coupons_ != nullptr ? coupons_->List(seller_id) : std::vector<fb::CouponRowT>{};
  WindowReader reader(*store_, seller_id);
  rocksdb::ReadOptions options;
  options.snapshot = reader.snapshot();
  const std::string prefix = "P" + keys::Scoped(seller_id, "");
  // The products in key order, which is the order the reader's cursors walk.
  std::vector<ProductInfo> products;
  std::unique_ptr<rocksdb::Iterator> it(store_->db()->NewIterator(options, store_->cf(kCfStrength)));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    products.push_back(Info(it->key().ToStringView().substr(prefix.size()), it->value()));
  }
  MKT_ASSERT(it->status().ok(), "strength read failed: ", it->status().ToString());
  std::vector<StrengthScore> out;
  out.reserve(products.size());
  for (const ProductInfo& product : products) {
    out.push_back(Compute(model_, tz_, &reader, product, day, coupons));
  }
  std::sort(out.begin(), out.end(), [](const StrengthScore& a, const StrengthScore& b) {
    return a.score != b.score ? a.score > b.score : a.product_id < b.product_id;
  });
  return out;
}

}  // namespace mkt
