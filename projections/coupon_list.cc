#include "projections/coupon_list.h"

#include "ledger/keys.h"
#include "ledger/limits.h"
#include "projections/scan.h"

namespace mkt {

std::string_view CouponStatus(const fb::CouponRowT& row, Micros as_of) {
  if (row.voided_at_us && *row.voided_at_us <= as_of) return "voided";
  if (as_of > row.use_to_us) return "expired";
  if (as_of < row.issue_from_us) return "scheduled";
  if (as_of > row.issue_to_us) return "issue_ended";
  if (row.paused && row.paused_at_us && *row.paused_at_us <= as_of) return "paused";
  return "issuing";
}

void CouponListProjection::Apply(std::span<const AcceptedRecord> records,
                                 rocksdb::WriteBatch* batch) {
  for (const AcceptedRecord& record : records) ApplyOne(record);
  rows_.Flush(batch);
  rows_.Trim(limits::kStateCacheEntriesMax);
}

void CouponListProjection::Create(const AcceptedRecord& r) {
  const auto* e = r.input->event_as_CouponCreated();
  fb::CouponRowT* row = rows_.Mutable(r.input->seller_id()->string_view(),
                                      e->coupon_id()->string_view());
  row->coupon_id = e->coupon_id()->str();
  row->name = e->name()->str();
  row->scope = e->scope();
  if (e->product_ids() != nullptr) {
    for (const flatbuffers::String* p : *e->product_ids()) row->product_ids.push_back(p->str());
  }
  row->kind = e->kind();
  row->pay_rate_bp = e->pay_rate();
  row->threshold = e->threshold();
  row->amount_off = e->amount_off();
  row->issue_from_us = e->issue_from();
  row->issue_to_us = e->issue_to();
  row->use_from_us = e->use_from();
  row->use_to_us = e->use_to();
  row->total = e->total();
  row->per_user_limit = e->per_user_limit();
  for (auto s : *e->scenarios()) row->scenarios.push_back(static_cast<fb::Scenario>(s));
  row->visible = e->visible();
  row->created_at_us = r.input->at_us();
}

void CouponListProjection::ApplyOne(const AcceptedRecord& r) {
  const fb::InputEvent& e = *r.input;
  const std::string_view seller = e.seller_id()->string_view();
  const fb::Derived* d = r.record->derived();
  auto row = [&](const flatbuffers::String* coupon_id) {
    fb::CouponRowT* found = rows_.Mutable(seller, coupon_id->string_view());
    MKT_ASSERT(!found->coupon_id.empty(), "event for an unseen coupon ", coupon_id->string_view());
    return found;
  };
  switch (e.event_type()) {
    case fb::Event::CouponCreated: return Create(r);
    case fb::Event::CouponIssuancePaused: {
      fb::CouponRowT* c = row(e.event_as_CouponIssuancePaused()->coupon_id());
      c->paused = true;
      c->paused_at_us = e.at_us();
      return;
    }
    case fb::Event::CouponIssuanceResumed: {
      fb::CouponRowT* c = row(e.event_as_CouponIssuanceResumed()->coupon_id());
      c->paused = false;
      c->paused_at_us.reset();
      return;
    }
    case fb::Event::CouponVoided: row(e.event_as_CouponVoided()->coupon_id())->voided_at_us = e.at_us(); return;
    case fb::Event::CouponClaimed: row(e.event_as_CouponClaimed()->coupon_id())->claimed += 1; return;
    case fb::Event::CouponRedeemed: row(e.event_as_CouponRedeemed()->coupon_id())->redeemed += 1; return;
    case fb::Event::CouponReleased:
    case fb::Event::OrderVoided:
      if (d != nullptr && d->released_coupon_id() != nullptr) row(d->released_coupon_id())->redeemed -= 1;
      return;
    default: return;
  }
}

std::vector<fb::CouponRowT> CouponListProjection::List(std::string_view seller_id) const {
  return ReadPrefix<fb::CouponRow>(*store_, kCfCoupons, keys::Scoped(seller_id, ""));
}

}  // namespace mkt
