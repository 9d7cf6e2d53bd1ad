// StrengthProjection: the apply side (buckets written once per batch).
#include "projections/strength.h"

#include <algorithm>

#include "ledger/keys.h"
#include "ledger/limits.h"
#include "ledger/rules.h"

namespace mkt {
namespace {

std::string_view Str(const flatbuffers::String* s) { return s ? s->string_view() : ""; }

std::string DayBytes(int32_t day) {
  std::string bytes;
  keys::AppendU32(&bytes, static_cast<uint32_t>(day));
  return bytes;
}

// product \0 day(u32): the id part of day-keyed records.
std::string DayId(std::string_view product, int32_t day) {
  std::string id(product);
  id.push_back('\0');
  id += DayBytes(day);
  return id;
}

std::string PairId(std::string_view a, std::string_view b) {
  std::string id(a);
  id.push_back('\0');
  id.append(b);
  return id;
}

}  // namespace

class StrengthProjection::Book {
 public:
  Book(Store* store, TzOffset tz)
      : tz_(tz),
        days_(store, kCfStrength, "D"),
        orders_(store, kCfStrength, "O"),
        products_(store, kCfStrength, "P"),
        profiles_(store, kCfStrength, "H"),
        buyers_(store, kCfStrength, "F") {}

  void OnRecord(const AcceptedRecord& r) {
    const fb::InputEvent& e = *r.input;
    const std::string_view seller = e.seller_id()->string_view();
    const int32_t day = LocalDay(e.at_us(), tz_);
    switch (e.event_type()) {
      case fb::Event::ProductListed: {
        const auto* p = e.event_as_ProductListed();
        const std::string_view tmpl = p->delivery_template() ? p->delivery_template()->string_view()
                                                             : DefaultTemplate(p->category());
        products_.Mutable(seller, p->product_id()->string_view())->has_template = !tmpl.empty();
        return;
      }
      case fb::Event::ProductUpdated: {
        const auto* p = e.event_as_ProductUpdated();
        if (p->delivery_template() != nullptr) {
          products_.Mutable(seller, p->product_id()->string_view())->has_template =
              !p->delivery_template()->string_view().empty();
        }
        return;
      }
      case fb::Event::ProductProfileUpdated: return Profile(seller, day, *e.event_as_ProductProfileUpdated());
      case fb::Event::ProductDailyMetrics: return Metrics(seller, *e.event_as_ProductDailyMetrics());
      case fb::Event::OrderPlaced: return Placed(seller, day, r);
      case fb::Event::OrderPaid: return Paid(seller, day, e.at_us(), *e.event_as_OrderPaid());
      case fb::Event::RefundApproved: return Refunded(seller, day, Str(r.record->derived()->order_id()));
      case fb::Event::DeliveryStep: {
        const fb::Derived* d = r.record->derived();
        if (d == nullptr || !d->delivery_state() || *d->delivery_state() != fb::DeliveryState::completed) return;
        const fb::StrengthOrderT* o = orders_.Find(seller, e.event_as_DeliveryStep()->order_id()->string_view());
        if (o != nullptr && o->counted) Day(seller, o->product_id, day)->projects_completed += 1;
        return;
      }
      case fb::Event::ReviewPosted: {
        const auto* review = e.event_as_ReviewPosted();
        if (review->default_().value_or(false) || review->quality() != 5 || review->attitude() != 5 ||
            review->speed() != 5) {
          return;
        }
        const fb::StrengthOrderT* o = orders_.Find(seller, review->order_id()->string_view());
        if (o != nullptr && o->counted) Day(seller, o->product_id, day)->five_star_orders += 1;
        return;
      }
      default: return;
    }
  }

  void Flush(rocksdb::WriteBatch* batch) {
    days_.Flush(batch);
    orders_.Flush(batch);
    products_.Flush(batch);
    profiles_.Flush(batch);
    buyers_.Flush(batch);
    days_.Trim(limits::kStateCacheEntriesMax);
    orders_.Trim(limits::kStateCacheEntriesMax);
    products_.Trim(limits::kStateCacheEntriesMax);
    profiles_.Trim(limits::kStateCacheEntriesMax);
    buyers_.Trim(limits::kStateCacheEntriesMax);
  }

  void Reset() {
    days_.Reset();
    orders_.Reset();
    products_.Reset();
    profiles_.Reset();
    buyers_.Reset();
  }

 private:
  fb::StrengthDayT* Day(std::string_view seller, std::string_view product, int32_t day) {
    return days_.Mutable(seller, DayId(product, day));
  }

  void Profile(std::string_view seller, int32_t day, const fb::ProductProfileUpdated& p) {
    fb::StrengthProductT* product = products_.Mutable(seller, p.product_id()->string_view());
    if (p.has_case_study()) product->has_case_study = *p.has_case_study();
    if (p.has_qualification()) product->has_qualification = *p.has_qualification();
    if (p.has_video()) product->has_video = *p.has_video();
    fb::StrengthProfileT* snapshot = profiles_.Mutable(seller, DayId(p.product_id()->string_view(), day));
    snapshot->has_case_study = product->has_case_study;
    snapshot->has_qualification = product->has_qualification;
    snapshot->has_video = product->has_video;
  }

  void Metrics(std::string_view seller, const fb::ProductDailyMetrics& m) {
    fb::StrengthProductT* product = products_.Mutable(seller, m.product_id()->string_view());
    if (!product->first_metrics_day || m.date() < *product->first_metrics_day) product->first_metrics_day = m.date();
    fb::StrengthDayT* day = Day(seller, m.product_id()->string_view(), m.date());
    day->metrics = std::make_unique<fb::StrengthMetricsT>();  // a later report for the date replaces it
    fb::StrengthMetricsT* out = day->metrics.get();
    out->uv = m.uv();
    out->visitors = m.visitors();
    out->avg_dwell_milli = m.avg_dwell_seconds();
    out->quotes = m.quotes();
    out->tickets_opened = m.tickets_opened();
    out->tickets_resolved = m.tickets_resolved();
    out->avg_ticket_hours_milli = m.avg_ticket_hours();
  }

  void Placed(std::string_view seller, int32_t day, const AcceptedRecord& r) {
    const auto* placed = r.input->event_as_OrderPlaced();
    const std::string_view product = placed->product_id()->string_view();
    const std::string_view buyer = placed->buyer_id()->string_view();
    fb::StrengthOrderT* o = orders_.Mutable(seller, placed->order_id()->string_view());
    o->product_id = product;
    o->buyer_id = buyer;
    o->placed_day = day;
    o->counted = placed->list_price() > 0;
    o->has_template = r.record->derived() != nullptr && r.record->derived()->delivery_template() != nullptr &&
                      r.record->derived()->delivery_template()->size() > 0;
    if (!o->counted) return;
    fb::StrengthDayT* bucket = Day(seller, product, day);
    bucket->orders += 1;
    if (placed->kind() == fb::OrderKind::renew) bucket->renew_orders += 1;
    const fb::StrengthBuyerT* before = buyers_.Find(seller, PairId(product, buyer));
    if (before != nullptr && before->first_paid_at_us < r.input->at_us()) bucket->repurchase_orders += 1;
    BuyerOf(bucket, buyer, /*insert=*/true);
  }

  // The buyer's entry of a day's sorted buyer list; inserted when absent and
  // `insert`, else nullptr.
  static fb::StrengthBuyerDayT* BuyerOf(fb::StrengthDayT* bucket, std::string_view buyer, bool insert) {
    auto& list = bucket->buyers;
    auto it = std::lower_bound(list.begin(), list.end(), buyer,
                               [](const auto& entry, std::string_view id) { return entry->buyer_id < id; });
    if (it != list.end() && (*it)->buyer_id == buyer) return it->get();
    if (!insert) return nullptr;
    MKT_ASSERT(list.size() < limits::kStrengthBuyersPerDayMax, "too many buyers of one product on one day");
    it = list.insert(it, std::make_unique<fb::StrengthBuyerDayT>());
    (*it)->buyer_id = buyer;
    return it->get();
  }

  void Paid(std::string_view seller, int32_t day, Micros at, const fb::OrderPaid& paid) {
    const fb::StrengthOrderT* o = orders_.Find(seller, paid.order_id()->string_view());
    MKT_ASSERT(o != nullptr, "payment of an unseen order ", paid.order_id()->string_view());
    const int64_t amount = paid.cash() + paid.voucher();
    if (amount <= 0) return;  // a zero-price order counts nowhere
    if (o->counted) {
      fb::StrengthBuyerDayT* bd = BuyerOf(Day(seller, o->product_id, o->placed_day), o->buyer_id, false);
      MKT_ASSERT(bd != nullptr, "payment of an order whose buyer was not recorded: ", paid.order_id()->string_view());
      if (!bd->first_paid_day || day < *bd->first_paid_day) bd->first_paid_day = day;
    }
    fb::StrengthDayT* bucket = Day(seller, o->product_id, day);
    bucket->paid_orders += 1;
    bucket->gmv += amount;
    if (o->has_template) bucket->projects_opened += 1;
    if (buyers_.Find(seller, PairId(o->product_id, o->buyer_id)) == nullptr) {
      const std::string product = o->product_id, buyer = o->buyer_id;  // o may move on Mutable
      buyers_.Mutable(seller, PairId(product, buyer))->first_paid_at_us = at;
    }
  }

  void Refunded(std::string_view seller, int32_t day, std::string_view order_id) {
    const fb::StrengthOrderT* found = orders_.Find(seller, order_id);
    MKT_ASSERT(found != nullptr, "refund of an unseen order ", order_id);
    const std::string product = found->product_id;
    fb::StrengthDayT* bucket = Day(seller, product, day);
    bucket->refunds_approved += 1;
    if (!found->refunded) {
      orders_.Mutable(seller, order_id)->refunded = true;
      bucket->refunded_orders += 1;
    }
  }

  TzOffset tz_;
  AggregateCache<fb::StrengthDayT> days_;
  AggregateCache<fb::StrengthOrderT> orders_;
  AggregateCache<fb::StrengthProductT> products_;
  AggregateCache<fb::StrengthProfileT> profiles_;
  AggregateCache<fb::StrengthBuyerT> buyers_;
};

StrengthProjection::StrengthProjection(Store* store, TzOffset tz, const CouponListProjection* coupons)
    : store_(store), tz_(tz), coupons_(coupons), book_(std::make_unique<Book>(store, tz)) {}

StrengthProjection::~StrengthProjection() = default;

void StrengthProjection::Apply(std::span<const AcceptedRecord> records, rocksdb::WriteBatch* batch) {
  for (const AcceptedRecord& r : records) book_->OnRecord(r);
  book_->Flush(batch);
}

void StrengthProjection::Reset() { book_->Reset(); }

}  // namespace mkt
