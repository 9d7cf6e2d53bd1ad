// Coupon campaigns (LEDGER.md section 4.3): a few per seller and month, with the occasional
// pause, resume or void; buyers claim them and apply them to unpaid orders at checkout.
//
// The ledger checks every claim and redemption against the campaign's state at that instant,
// so the generator keeps the same counts. It decides an order's coupon steps when the order is
// placed, minutes before they happen, so its counts may include claims and redemptions still
// in the future; they only ever overstate what the ledger has seen (ClaimTrack), which keeps
// every decision on the safe side.
#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "ops/gen/flow_words.h"
#include "ops/gen/gen_internal.h"
#include "ops/gen/word_lists.h"

namespace mkt::gen::detail {

namespace {

// At checkout the buyer claims the coupon, then applies it; sometimes takes it off again.
constexpr int64_t kClaimDelayMaxSeconds = 5 * kSecondsPerMinute;
constexpr int64_t kRedeemDelayMaxSeconds = 2 * kSecondsPerMinute;
constexpr int64_t kReleaseDelayMaxSeconds = 30 * kSecondsPerMinute;
static_assert(kClaimDelayMaxSeconds + kRedeemDelayMaxSeconds + kReleaseDelayMaxSeconds <=
              kCouponUseMaxSeconds);
constexpr int64_t kIdleClaimDelayMaxSeconds = 10 * kSecondsPerMinute;

constexpr uint64_t kCouponTryPerMille = 350;  // buyers who look for a coupon at checkout
constexpr uint64_t kIdleClaimPerMille = 30;   // buyers who claim one for later
constexpr uint64_t kReleasePerMille = 60;     // of applied coupons, taken off before paying

// Small shops run fewer campaigns: below this many expected orders a month each planned
// campaign happens with probability expected / this, so tiny sellers add few events.
constexpr int64_t kCampaignOrdersFull = 150;
constexpr int64_t kCampaignOrdersBig = 3000;  // above it a seller runs one more

// 折 figures (times ten) and how often sellers pick them: mostly mild, rarely half price.
constexpr std::array<int32_t, 8> kZheTenths = {95, 90, 88, 85, 80, 75, 70, 50};
constexpr std::array<uint32_t, 8> kZheWeights = {15, 25, 10, 20, 15, 7, 6, 2};
constexpr std::array<int32_t, 6> kTotals = {100, 200, 500, 1000, 2000, 5000};
constexpr std::array<uint32_t, 3> kPerUserLimitWeights = {75, 18, 7};  // 1, 2, 3

// Scenario sets as bits of kKindNames indexes (new 0, renew 1, upgrade 2, convert 4): new
// customers only, new and renewals, everything but trials, renewals only.
constexpr uint8_t kNew = 1 << 0;
constexpr uint8_t kRenew = 1 << 1;
constexpr uint8_t kUpgrade = 1 << 2;
constexpr uint8_t kConvert = 1 << 4;
constexpr std::array<uint8_t, 4> kScenarioSets = {kNew, kNew | kRenew,
                                                  kNew | kRenew | kUpgrade | kConvert, kRenew};
constexpr std::array<uint32_t, 4> kScenarioWeights = {35, 25, 30, 10};
static_assert(((kNew | kRenew | kUpgrade | kConvert) & (1 << kKindTrial)) == 0);

// Thresholds are round figures: tens of yuan, then fifties, five hundreds, five thousands.
int64_t RoundThreshold(int64_t fen) {
  fen = std::max<int64_t>(fen, 1000);
  int64_t step = 1000;
  if (fen >= 10'000) step = 5000;
  if (fen >= 100'000) step = 50'000;
  if (fen >= 1'000'000) step = 500'000;
  return (fen + step / 2) / step * step;
}

// threshold: min(amount_off, price); discount: price - fee(price, pay rate) (LEDGER.md 4.3).
int64_t CouponDiscount(const Coupon& coupon, int64_t price) {
  if (!coupon.discount) return std::min(coupon.amount_off_fen, price);
  const int64_t pay_rate_bp = coupon.pay_rate_tenths * 100;
  return price - (price * pay_rate_bp + 5000) / 10'000;
}

bool Usable(const Coupon& coupon, const OrderPlan& plan, int64_t at_s) {
  if (at_s < coupon.use_from_s || at_s > coupon.use_to_s || at_s >= coupon.void_s) return false;
  if ((coupon.scenarios >> plan.placed.kind & 1) == 0) return false;
  if (!coupon.discount && plan.price < coupon.threshold_fen) return false;
  return !coupon.products_scope || std::find(coupon.products.begin(), coupon.products.end(),
                                             plan.placed.product) != coupon.products.end();
}

// Strict comparisons with the switch times: a claim never shares a second with a pause.
bool CanClaim(const Coupon& coupon, const ClaimTrack* track, int64_t at_s) {
  if (at_s < coupon.issue_from_s || at_s > coupon.issue_to_s || at_s >= coupon.void_s) return false;
  if (at_s >= coupon.pause_s && (coupon.resume_s == kNever || at_s <= coupon.resume_s))
    return false;
  if (coupon.claimed >= coupon.total) return false;
  return track == nullptr || track->claimed < coupon.per_user_limit;
}

bool HasSpareClaim(const ClaimTrack* track, int64_t at_s) {
  return track != nullptr && track->claimed > track->in_use && track->settled_at < at_s;
}

const ClaimTrack* FindTrack(const Coupon& coupon, int32_t buyer) {
  const auto it = coupon.claims.find(buyer);
  return it == coupon.claims.end() ? nullptr : &it->second;
}

Coupon* FindCoupon(Seller& seller, int32_t no) {
  const auto it = std::lower_bound(seller.coupons.begin(), seller.coupons.end(), no,
                                   [](const Coupon& c, int32_t n) { return c.no < n; });
  MKT_ASSERT(it != seller.coupons.end() && it->no == no, "no coupon ", no);
  return &*it;
}

}  // namespace

// 1..3 campaigns per seller and month (4 for the biggest), fewer for small shops.
void Generator::ScheduleCampaigns(int64_t first_day, int64_t end_day, int64_t orders) {
  if (orders == 0) return;
  const uint64_t total_weight = seller_cumulative_.back();
  for (size_t s = 0; s < sellers_.size(); ++s) {
    const uint64_t weight = seller_cumulative_[s] - (s == 0 ? 0 : seller_cumulative_[s - 1]);
    // The seller's expected orders this month, via its share in millionths (no overflow:
    // weights are below 2^30 and orders below 2^34).
    const auto share_ppm = static_cast<int64_t>(weight * 1'000'000 / total_weight);
    const int64_t expected = orders * share_ppm / 1'000'000;
    const int64_t count = rng_.Between(1, 3) + (expected > kCampaignOrdersBig ? 1 : 0);
    for (int64_t i = 0; i < count; ++i) {
      if (expected < kCampaignOrdersFull &&
          !rng_.PerMille(static_cast<uint64_t>(expected * 1000 / kCampaignOrdersFull))) {
        continue;
      }
      MakeCampaign(s, first_day, end_day);
    }
  }
}

// Created in office hours on a day of [first_day, end_day), issuing from midnight or 10:00 of
// one of the next three days for 3..21 days, usable up to two weeks longer; both windows end
// before the generated period does.
void Generator::MakeCampaign(size_t seller_index, int64_t first_day, int64_t end_day) {
  Seller& seller = sellers_[seller_index];
  Coupon coupon;
  const int64_t created_day =
      first_day + static_cast<int64_t>(rng_.Below(static_cast<uint64_t>(end_day - first_day)));
  coupon.created_s =
      LocalDayStart(created_day) + rng_.Between(9 * kSecondsPerHour, 19 * kSecondsPerHour);
  coupon.issue_from_s = LocalDayStart(created_day + rng_.Between(1, 3)) +
                        (rng_.PerMille(500) ? 0 : 10 * kSecondsPerHour);
  if (coupon.issue_from_s + kSecondsPerDay > end_s_) return;  // too late in the period
  coupon.issue_to_s =
      std::min(coupon.issue_from_s + rng_.Between(3, 21) * kSecondsPerDay - 1, end_s_ - 1);
  coupon.use_from_s = coupon.issue_from_s;
  coupon.use_to_s = std::min(coupon.issue_to_s + rng_.Between(0, 14) * kSecondsPerDay, end_s_ - 1);
  coupon.no = ++seller.coupons_created;
  coupon.theme = static_cast<uint8_t>(rng_.Below(kCouponThemes.size()));
  coupon.total = kTotals[rng_.Below(kTotals.size())];
  coupon.per_user_limit = static_cast<int32_t>(rng_.Weighted(kPerUserLimitWeights)) + 1;
  coupon.scenarios = kScenarioSets[rng_.Weighted(kScenarioWeights)];
  coupon.visible = rng_.PerMille(850);
  DrawCouponOffer(seller, &coupon);
  ScheduleCouponSwitches(seller_index, &coupon);
  seller.coupons.push_back(std::move(coupon));
}

// Scope and kind: 40% cover one to three of the seller's popular products, the rest the
// whole shop; 40% are 折 discounts, the rest 满减 thresholds near the price of what they cover.
void Generator::DrawCouponOffer(const Seller& seller, Coupon* coupon) {
  int64_t reference_fen = seller.products.front().base_fen;
  if (rng_.PerMille(400)) {
    coupon->products_scope = true;
    const int64_t wanted =
        rng_.Between(1, std::min<int64_t>(3, static_cast<int64_t>(seller.products.size())));
    for (int tries = 0; tries < 8 && static_cast<int64_t>(coupon->products.size()) < wanted;
         ++tries) {
      const auto product = static_cast<int32_t>(rng_.Cumulative(seller.product_cumulative));
      if (std::find(coupon->products.begin(), coupon->products.end(), product) ==
          coupon->products.end()) {
        coupon->products.push_back(product);
      }
    }
    reference_fen = seller.products[static_cast<size_t>(coupon->products.front())].base_fen;
  }
  if (rng_.PerMille(400)) {
    coupon->discount = true;
    coupon->pay_rate_tenths = kZheTenths[rng_.Weighted(kZheWeights)];
    return;
  }
  coupon->threshold_fen = RoundThreshold(reference_fen * rng_.Between(80, 200) / 100);
  // 5%..20% off, in whole tens of yuan from a 100-yuan threshold up, else in whole yuan.
  const int64_t off = coupon->threshold_fen * rng_.Between(5, 20) / 100;
  const int64_t step = coupon->threshold_fen >= 10'000 ? 1000 : 100;
  coupon->amount_off_fen = std::max(step, off / step * step);
}

// CouponCreated, then maybe a void (3%) and a pause (12%, resumed 80% of the time) that both
// come before the void, so no switch is refused on a voided campaign.
void Generator::ScheduleCouponSwitches(size_t seller, Coupon* coupon) {
  Push(CouponEvent(Type::kCouponCreated, seller, *coupon, coupon->created_s));
  const int64_t use_span = coupon->use_to_s - coupon->issue_from_s;
  if (use_span > 2 * kSecondsPerDay && rng_.PerMille(30)) {
    coupon->void_s =
        rng_.Between(coupon->issue_from_s + kSecondsPerDay, coupon->use_to_s - kSecondsPerHour);
  }
  const int64_t issue_span = coupon->issue_to_s - coupon->issue_from_s;
  if (issue_span > 2 * kSecondsPerDay && rng_.PerMille(120)) {
    const int64_t pause = coupon->issue_from_s + rng_.Between(kSecondsPerHour, issue_span / 2);
    const int64_t resume = pause + rng_.Between(kSecondsPerHour, 3 * kSecondsPerDay);
    const bool resumed = rng_.PerMille(800) && resume < coupon->issue_to_s;
    if ((resumed ? resume : pause) < coupon->void_s) {
      coupon->pause_s = pause;
      Push(CouponEvent(Type::kCouponIssuancePaused, seller, *coupon, pause));
      if (resumed) {
        coupon->resume_s = resume;
        Push(CouponEvent(Type::kCouponIssuanceResumed, seller, *coupon, resume));
      }
    }
  }
  if (coupon->void_s != kNever)
    Push(CouponEvent(Type::kCouponVoided, seller, *coupon, coupon->void_s));
}

// Campaigns past their use window can no longer be claimed or applied; their CouponCreated
// is written (the caller flushed everything before now), so nothing refers to them.
void Generator::PruneCoupons(int64_t now_s) {
  for (Seller& seller : sellers_) {
    std::erase_if(seller.coupons, [now_s](const Coupon& c) { return c.use_to_s < now_s; });
  }
}

// A few buyers claim one of the shop's coupons while browsing, for later.
void Generator::MaybeIdleClaim(OrderPlan* plan) {
  Seller& seller = sellers_[static_cast<size_t>(plan->placed.seller)];
  if (seller.coupons.empty() || !rng_.PerMille(kIdleClaimPerMille)) return;
  Coupon& coupon = seller.coupons[rng_.Below(seller.coupons.size())];
  const int64_t at = plan->at + rng_.Between(5, kIdleClaimDelayMaxSeconds);
  if (CanClaim(coupon, FindTrack(coupon, plan->placed.buyer), at))
    ClaimCoupon(&coupon, plan->placed, at);
}

// At checkout some buyers apply the best coupon they hold or can still claim; a few take it
// off again and pay the full price. Never on trial or free orders.
void Generator::PlanCouponUse(OrderPlan* plan) {
  const Seller& seller = sellers_[static_cast<size_t>(plan->placed.seller)];
  if (plan->placed.kind == kKindTrial || plan->price == 0 || seller.coupons.empty() ||
      !rng_.PerMille(kCouponTryPerMille)) {
    return;
  }
  const int64_t claim_at = plan->at + rng_.Between(20, kClaimDelayMaxSeconds);
  const int64_t redeem_at = claim_at + rng_.Between(5, kRedeemDelayMaxSeconds);
  bool claim = false;
  Coupon* coupon = BestCoupon(*plan, claim_at, redeem_at, &claim);
  if (coupon == nullptr) return;
  if (claim) ClaimCoupon(coupon, plan->placed, claim_at);
  Event redeemed = OrderEvent(Type::kCouponRedeemed, plan->placed, redeem_at);
  redeemed.ref = coupon->no;
  Push(redeemed);
  coupon->claims[plan->placed.buyer].in_use += 1;
  plan->at = redeem_at;
  plan->coupon = coupon->no;
  plan->discount = CouponDiscount(*coupon, plan->price);
  if (!rng_.PerMille(kReleasePerMille)) return;
  const int64_t released_at = redeem_at + rng_.Between(kSecondsPerMinute, kReleaseDelayMaxSeconds);
  Push(OrderEvent(Type::kCouponReleased, plan->placed, released_at));
  GiveClaimBack(*plan, released_at);
  plan->at = released_at;
  plan->coupon = 0;
  plan->discount = 0;
}

// The usable coupon with the largest discount (the first on ties) that the buyer holds a
// spare claim of, or else can claim at claim_at.
Coupon* Generator::BestCoupon(const OrderPlan& plan, int64_t claim_at, int64_t redeem_at,
                              bool* claim) {
  Seller& seller = sellers_[static_cast<size_t>(plan.placed.seller)];
  Coupon* best = nullptr;
  int64_t best_discount = -1;
  for (Coupon& coupon : seller.coupons) {
    if (!Usable(coupon, plan, redeem_at)) continue;
    const ClaimTrack* track = FindTrack(coupon, plan.placed.buyer);
    const bool spare = HasSpareClaim(track, redeem_at);
    if (!spare && !CanClaim(coupon, track, claim_at)) continue;
    const int64_t discount = CouponDiscount(coupon, plan.price);
    if (discount <= best_discount) continue;
    best = &coupon;
    best_discount = discount;
    *claim = !spare;
  }
  return best;
}

void Generator::ClaimCoupon(Coupon* coupon, const Event& placed, int64_t at_s) {
  Event claimed =
      CouponEvent(Type::kCouponClaimed, static_cast<size_t>(placed.seller), *coupon, at_s);
  claimed.buyer = placed.buyer;
  Push(claimed);
  coupon->claimed += 1;
  ClaimTrack& track = coupon->claims[placed.buyer];
  track.claimed += 1;
  track.settled_at = std::max(track.settled_at, at_s);
}

// The order's coupon is released (CouponReleased, or the order voided): the claim is spare
// again from at_s on.
void Generator::GiveClaimBack(const OrderPlan& plan, int64_t at_s) {
  if (plan.coupon == 0) return;
  Coupon* coupon = FindCoupon(sellers_[static_cast<size_t>(plan.placed.seller)], plan.coupon);
  ClaimTrack& track = coupon->claims[plan.placed.buyer];
  MKT_ASSERT(track.in_use > 0, "release of an unredeemed coupon");
  track.in_use -= 1;
  track.settled_at = std::max(track.settled_at, at_s);
}

Event Generator::CouponEvent(Type type, size_t seller, const Coupon& coupon, int64_t at_s) {
  Event e;
  e.type = type;
  e.at_s = at_s;
  e.seller = static_cast<int32_t>(seller);
  e.ref = coupon.no;
  return e;
}

}  // namespace mkt::gen::detail
