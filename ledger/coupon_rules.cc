// LEDGER.md section 4.3: coupon campaigns (creation, pause, resume, void,
// claims) and their use on orders (redeem, release). The coupon is an
// aggregate; CouponRedeemed and CouponReleased are events of the order (3.2).
#include <algorithm>
#include <string>

#include "ledger/enum_names.h"
#include "ledger/rules.h"

namespace mkt {
namespace {

Rejection Invalid(const std::string& message) {
  return Rejection{Code::kInvalidCoupon, message};
}

// A coupon that exists and whose latest event is not after `ctx.at`.
Check FindCoupon(RuleContext& ctx, std::string_view coupon_id, const fb::CouponStateT** out) {
  *out = ctx.state.coupons.Find(ctx.seller_id, coupon_id);
  if (*out == nullptr) {
    return Rejection{Code::kUnknownCoupon,
                     "field coupon_id: " + Quoted(coupon_id) + " is not a coupon of this seller"};
  }
  if (ctx.at < (*out)->last_at_us) {
    return Rejection{Code::kOutOfOrder, "field at: earlier than the latest accepted event of coupon " +
                                            Quoted(coupon_id)};
  }
  return std::nullopt;
}

Check NotVoided(const fb::CouponStateT& coupon, std::string_view coupon_id) {
  if (coupon.voided) {
    return Rejection{Code::kCouponVoided, "field coupon_id: " + Quoted(coupon_id) + " is voided"};
  }
  return std::nullopt;
}

Check CheckCouponKind(const fb::CouponCreated& e) {
  const bool discount = e.kind() == fb::CouponKind::discount;
  if (discount && !e.pay_rate()) return Invalid("field pay_rate: is required for a discount coupon");
  if (discount && (e.threshold() || e.amount_off())) {
    return Invalid("fields threshold and amount_off: only for a threshold coupon");
  }
  if (discount) return std::nullopt;
  if (e.pay_rate()) return Invalid("field pay_rate: only for a discount coupon");
  if (!e.threshold() || !e.amount_off()) {
    return Invalid("fields threshold and amount_off: both are required for a threshold coupon");
  }
  if (*e.amount_off() <= 0 || *e.amount_off() > *e.threshold()) {
    return Invalid("field amount_off: " + FormatMoney(Fen(*e.amount_off())) +
                   " must be above 0 and at most the threshold " +
                   FormatMoney(Fen(*e.threshold())));
  }
  return std::nullopt;
}

Check CheckCouponWindows(const fb::CouponCreated& e) {
  if (e.issue_from() > e.issue_to()) return Invalid("field issue_to: before issue_from");
  if (e.use_from() > e.use_to()) return Invalid("field use_to: before use_from");
  if (e.use_to() < e.issue_from()) return Invalid("field use_to: before issue_from");
  if (e.total() < 1) return Invalid("field total: must be at least 1");
  if (e.per_user_limit() < 1) return Invalid("field per_user_limit: must be at least 1");
  if (e.scenarios()->size() == 0) return Invalid("field scenarios: must not be empty");
  return std::nullopt;
}

Check CheckCouponScope(const fb::CouponCreated& e, RuleContext& ctx) {
  const bool listed = e.product_ids() != nullptr && e.product_ids()->size() > 0;
  if (e.scope() == fb::CouponScope::shop) {
    if (listed) return Invalid("field product_ids: only for scope products");
    return std::nullopt;
  }
  if (!listed) return Invalid("field product_ids: required and non-empty for scope products");
  for (const flatbuffers::String* id : *e.product_ids()) {
    if (ctx.state.products.Find(ctx.seller_id, id->string_view()) == nullptr) {
      return Invalid("field product_ids: " + Quoted(id->string_view()) +
                     " is not listed by this seller");
    }
  }
  return std::nullopt;
}

Check CouponCreated(const fb::CouponCreated& e, RuleContext& ctx) {
  const std::string_view id = e.coupon_id()->string_view();
  if (ctx.state.coupons.Find(ctx.seller_id, id) != nullptr) {
    return Invalid("field coupon_id: " + Quoted(id) + " already exists");
  }
  if (auto r = CheckCouponKind(e)) return r;
  if (auto r = CheckCouponWindows(e)) return r;
  if (auto r = CheckCouponScope(e, ctx)) return r;
  fb::CouponStateT* coupon = ctx.state.coupons.Mutable(ctx.seller_id, id);
  coupon->scope = e.scope();
  if (e.product_ids() != nullptr) {
    for (const flatbuffers::String* p : *e.product_ids()) coupon->product_ids.push_back(p->str());
  }
  coupon->kind = e.kind();
  coupon->pay_rate_bp = e.pay_rate().value_or(0);
  coupon->threshold = e.threshold().value_or(0);
  coupon->amount_off = e.amount_off().value_or(0);
  coupon->issue_from_us = e.issue_from();
  coupon->issue_to_us = e.issue_to();
  coupon->use_from_us = e.use_from();
  coupon->use_to_us = e.use_to();
  coupon->total = e.total();
  coupon->per_user_limit = e.per_user_limit();
  for (auto s : *e.scenarios()) coupon->scenarios.push_back(static_cast<fb::Scenario>(s));
  coupon->last_at_us = ctx.at;
  return std::nullopt;
}

// Pause, resume and void: the campaign's switches.
Check CouponSwitch(const fb::InputEvent& event, std::string_view id, RuleContext& ctx) {
  const fb::CouponStateT* coupon = nullptr;
  if (auto r = FindCoupon(ctx, id, &coupon)) return r;
  if (auto r = NotVoided(*coupon, id)) return r;
  const fb::Event type = event.event_type();
  if (type == fb::Event::CouponIssuancePaused && coupon->paused) {
    return Rejection{Code::kCouponNotIssuing, "field coupon_id: " + Quoted(id) + " is already paused"};
  }
  if (type == fb::Event::CouponIssuanceResumed && !coupon->paused) {
    return Invalid("field coupon_id: " + Quoted(id) + " is not paused");
  }
  fb::CouponStateT* mutable_coupon = ctx.state.coupons.Mutable(ctx.seller_id, id);
  if (type == fb::Event::CouponIssuancePaused) mutable_coupon->paused = true;
  if (type == fb::Event::CouponIssuanceResumed) mutable_coupon->paused = false;
  if (type == fb::Event::CouponVoided) mutable_coupon->voided = true;
  mutable_coupon->last_at_us = ctx.at;
  return std::nullopt;
}

Check CouponClaimed(const fb::CouponClaimed& e, RuleContext& ctx) {
  const std::string_view id = e.coupon_id()->string_view();
  const fb::CouponStateT* coupon = nullptr;
  if (auto r = FindCoupon(ctx, id, &coupon)) return r;
  if (auto r = NotVoided(*coupon, id)) return r;
  if (coupon->paused || ctx.at < coupon->issue_from_us || ctx.at > coupon->issue_to_us) {
    return Rejection{Code::kCouponNotIssuing,
                     "field at: coupon " + Quoted(id) +
                         (coupon->paused ? " is paused" : " is outside its issue window")};
  }
  if (coupon->claimed >= coupon->total) {
    return Rejection{Code::kCouponExhausted, "field coupon_id: all " +
                                                 std::to_string(coupon->total) + " of " +
                                                 Quoted(id) + " are claimed"};
  }
  const std::string key = CouponClaimKey(id, e.buyer_id()->string_view());
  const fb::CouponClaimStateT* claims = ctx.state.coupon_claims.Find(ctx.seller_id, key);
  if (claims != nullptr && claims->claimed >= coupon->per_user_limit) {
    return Rejection{Code::kCouponClaimLimit,
                     "field buyer_id: " + Quoted(e.buyer_id()->string_view()) + " already holds " +
                         std::to_string(claims->claimed) + " of at most " +
                         std::to_string(coupon->per_user_limit)};
  }
  ctx.state.coupon_claims.Mutable(ctx.seller_id, key)->claimed += 1;
  fb::CouponStateT* mutable_coupon = ctx.state.coupons.Mutable(ctx.seller_id, id);
  mutable_coupon->claimed += 1;
  mutable_coupon->last_at_us = ctx.at;
  return std::nullopt;
}

}  // namespace

Check ApplyCouponEvent(const fb::InputEvent& event, RuleContext& ctx) {
  switch (event.event_type()) {
    case fb::Event::CouponCreated: return CouponCreated(*event.event_as_CouponCreated(), ctx);
    case fb::Event::CouponIssuancePaused:
      return CouponSwitch(event, event.event_as_CouponIssuancePaused()->coupon_id()->string_view(), ctx);
    case fb::Event::CouponIssuanceResumed:
      return CouponSwitch(event, event.event_as_CouponIssuanceResumed()->coupon_id()->string_view(), ctx);
    case fb::Event::CouponVoided:
      return CouponSwitch(event, event.event_as_CouponVoided()->coupon_id()->string_view(), ctx);
    case fb::Event::CouponClaimed: return CouponClaimed(*event.event_as_CouponClaimed(), ctx);
    default: MKT_ASSERT(false, "not a coupon event");
  }
  return std::nullopt;
}

}  // namespace mkt
