// LEDGER.md section 4.3: coupon campaigns and their use on orders.
#include <gtest/gtest.h>

#include "tests/harness.h"

namespace mkt::test {
namespace {

// Issue window October 1-10, use window October 1-31 (+08:00).
Json Coupon(const std::string& id, const std::string& kind = "threshold") {
  Json e = Event("CouponCreated", "", "2026-09-30T12:00:00+08:00");
  e["coupon_id"] = id;
  e["name"] = "Golden week " + id;
  e["scope"] = "shop";
  e["kind"] = kind;
  if (kind == "threshold") {
    e["threshold"] = "100.00";
    e["amount_off"] = "10.00";
  } else {
    e["pay_rate"] = "8.5";
  }
  e["issue_from"] = "2026-10-01T00:00:00+08:00";
  e["issue_to"] = "2026-10-10T23:59:59+08:00";
  e["use_from"] = "2026-10-01T00:00:00+08:00";
  e["use_to"] = "2026-10-31T23:59:59+08:00";
  e["total"] = 3;
  e["per_user_limit"] = 1;
  e["scenarios"] = {"new", "renew"};
  e["visible"] = true;
  return e;
}

Json Claim(const std::string& coupon, const std::string& buyer,
           const std::string& at = "2026-10-02T09:00:00+08:00") {
  Json e = Event("CouponClaimed", "", at);
  e["coupon_id"] = coupon;
  e["buyer_id"] = buyer;
  return e;
}

Json Redeem(const std::string& order, const std::string& coupon,
            const std::string& at = "2026-10-02T10:10:00+08:00") {
  Json e = Event("CouponRedeemed", "", at);
  e["order_id"] = order;
  e["coupon_id"] = coupon;
  return e;
}

Json Switch(const std::string& type, const std::string& coupon, const std::string& at) {
  Json e = Event(type, "", at);
  e["coupon_id"] = coupon;
  return e;
}

Json Release(const std::string& order, const std::string& at = "2026-10-02T10:20:00+08:00") {
  Json e = Event("CouponReleased", "", at);
  e["order_id"] = order;
  return e;
}

class CouponRules : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(h.Send(ProductListed("p1")), "accepted");
    ASSERT_EQ(h.Send(ProductListed("p2")), "accepted");
    ASSERT_EQ(h.Send(Coupon("c1")), "accepted");
    ASSERT_EQ(h.Send(OrderPlaced("o1", "p1", "150.00")), "accepted");  // buyer b1, at 10-02 10:00
  }
  Json CouponView(const std::string& id, const std::string& as_of = "2026-10-05T00:00:00+08:00") {
    const Json all = h.Coupons("s1", T(as_of));  // keep alive: the loop reads into it
    for (const Json& c : all["coupons"]) {
      if (c["coupon_id"] == id) return c;
    }
    return nullptr;
  }
  Harness h;
};

TEST_F(CouponRules, CreationChecksKindFieldsWindowsAndLimits) {
  auto rejected = [&](Json e, const char* field) {
    e["event_id"] = std::string("bad-") + field;
    EXPECT_EQ(h.Send(e), "invalid_coupon") << field;
    EXPECT_NE(h.last_message().find(field), std::string::npos) << h.last_message();
  };
  Json e = Coupon("c2");
  e["amount_off"] = "100.01";
  rejected(e, "amount_off");
  e = Coupon("c2");
  e["amount_off"] = "0.00";
  rejected(e, "amount_off");
  e = Coupon("c2");
  e.erase("threshold");
  rejected(e, "threshold");
  e = Coupon("c2", "discount");
  e.erase("pay_rate");
  rejected(e, "pay_rate");
  e = Coupon("c2");
  e["issue_to"] = "2026-09-30T00:00:00+08:00";
  rejected(e, "issue_to");
  e = Coupon("c2");
  e["use_to"] = "2026-09-30T00:00:00+08:00";
  rejected(e, "use_to");
  e = Coupon("c2");
  e["total"] = 0;
  rejected(e, "total");
  e = Coupon("c2");
  e["per_user_limit"] = 0;
  rejected(e, "per_user_limit");
  e = Coupon("c2");
  e["scenarios"] = Json::array();
  rejected(e, "scenarios");
  EXPECT_EQ(h.Send(Coupon("c1")), "invalid_coupon");  // coupon_id exists
}

TEST_F(CouponRules, ProductScopeNeedsTheSellersOwnProducts) {
  Json e = Coupon("c2");
  e["scope"] = "products";
  EXPECT_EQ(h.Send(e), "invalid_coupon");
  e["product_ids"] = {"p1", "p-other"};
  e["event_id"] = "again";
  EXPECT_EQ(h.Send(e), "invalid_coupon");
  e["product_ids"] = {"p1"};
  e["event_id"] = "again2";
  EXPECT_EQ(h.Send(e), "accepted");
  Json shop = Coupon("c3");
  shop["product_ids"] = {"p1"};
  EXPECT_EQ(h.Send(shop), "invalid_coupon");
}

TEST_F(CouponRules, ClaimsOnlyInsideTheIssueWindowAndWhileIssuing) {
  EXPECT_EQ(h.Send(Claim("c1", "b1", "2026-09-30T23:59:59+08:00")), "coupon_not_issuing");
  EXPECT_EQ(h.Send(Claim("c1", "b1", "2026-10-11T00:00:00+08:00")), "coupon_not_issuing");
  EXPECT_EQ(h.Send(Claim("c1", "b1", "2026-10-10T23:59:59+08:00")), "accepted");
}

TEST_F(CouponRules, PausedCouponIssuesNoClaimsUntilResumed) {
  ASSERT_EQ(h.Send(Switch("CouponIssuancePaused", "c1", "2026-10-02T08:00:00+08:00")), "accepted");
  EXPECT_EQ(h.Send(Claim("c1", "b1")), "coupon_not_issuing");
  EXPECT_EQ(h.Send(Switch("CouponIssuancePaused", "c1", "2026-10-02T09:30:00+08:00")),
            "coupon_not_issuing");
  ASSERT_EQ(h.Send(Switch("CouponIssuanceResumed", "c1", "2026-10-02T09:40:00+08:00")), "accepted");
  EXPECT_EQ(h.Send(Claim("c1", "b1", "2026-10-02T09:50:00+08:00")), "accepted");
}

TEST_F(CouponRules, ClaimedCouponsStayUsableWhilePaused) {
  ASSERT_EQ(h.Send(Claim("c1", "b1")), "accepted");
  ASSERT_EQ(h.Send(Switch("CouponIssuancePaused", "c1", "2026-10-02T09:30:00+08:00")), "accepted");
  EXPECT_EQ(h.Send(Redeem("o1", "c1")), "accepted");
}

TEST_F(CouponRules, ClaimsStopAtTotalAndPerUserLimit) {
  EXPECT_EQ(h.Send(Claim("c1", "b1")), "accepted");
  EXPECT_EQ(h.Send(Claim("c1", "b1")), "coupon_claim_limit");
  EXPECT_EQ(h.Send(Claim("c1", "b2")), "accepted");
  EXPECT_EQ(h.Send(Claim("c1", "b3")), "accepted");
  EXPECT_EQ(h.Send(Claim("c1", "b4")), "coupon_exhausted");
  EXPECT_EQ(CouponView("c1")["claimed"], 3);
}

TEST_F(CouponRules, VoidedCouponCanBeNeitherClaimedNorRedeemed) {
  ASSERT_EQ(h.Send(Claim("c1", "b1")), "accepted");
  ASSERT_EQ(h.Send(Switch("CouponVoided", "c1", "2026-10-02T09:30:00+08:00")), "accepted");
  EXPECT_EQ(h.Send(Claim("c1", "b2", "2026-10-02T09:40:00+08:00")), "coupon_voided");
  EXPECT_EQ(h.Send(Redeem("o1", "c1")), "coupon_voided");
  EXPECT_EQ(h.Send(Switch("CouponVoided", "c1", "2026-10-02T09:50:00+08:00")), "coupon_voided");
}

TEST_F(CouponRules, UnknownCouponIsUnknownCoupon) {
  EXPECT_EQ(h.Send(Claim("nope", "b1")), "unknown_coupon");
  EXPECT_EQ(h.Send(Redeem("o1", "nope")), "unknown_coupon");
  EXPECT_EQ(h.Send(Switch("CouponIssuancePaused", "nope", "2026-10-02T09:30:00+08:00")),
            "unknown_coupon");
}

TEST_F(CouponRules, CouponEventsMayNotGoBackInTime) {
  ASSERT_EQ(h.Send(Claim("c1", "b1", "2026-10-03T09:00:00+08:00")), "accepted");
  EXPECT_EQ(h.Send(Claim("c1", "b2", "2026-10-03T08:59:59+08:00")), "out_of_order");
}

TEST_F(CouponRules, RedemptionNeedsAnUnusedClaimOfTheOrdersBuyer) {
  ASSERT_EQ(h.Send(Claim("c1", "b2")), "accepted");
  EXPECT_EQ(h.Send(Redeem("o1", "c1")), "coupon_not_claimed");  // o1 is b1's order
  ASSERT_EQ(h.Send(Claim("c1", "b1")), "accepted");
  EXPECT_EQ(h.Send(Redeem("o1", "c1")), "accepted");
  ASSERT_EQ(h.Send(OrderPlaced("o2", "p1", "150.00", "2026-10-02T10:30:00+08:00")), "accepted");
  EXPECT_EQ(h.Send(Redeem("o2", "c1", "2026-10-02T10:40:00+08:00")), "coupon_not_claimed");
}

TEST_F(CouponRules, OneCouponPerUnpaidOrder) {
  Json second = Coupon("c2");
  ASSERT_EQ(h.Send(second), "accepted");
  ASSERT_EQ(h.Send(Claim("c1", "b1")), "accepted");
  ASSERT_EQ(h.Send(Claim("c2", "b1")), "accepted");
  ASSERT_EQ(h.Send(Redeem("o1", "c1")), "accepted");
  EXPECT_EQ(h.Send(Redeem("o1", "c2", "2026-10-02T10:11:00+08:00")), "coupon_applied");
  ASSERT_EQ(h.Send(OrderPaid("o1", "140.00", "0.00", "2026-10-02T10:30:00+08:00")), "accepted");
  ASSERT_EQ(h.Send(OrderPlaced("o2", "p1", "150.00", "2026-10-02T10:40:00+08:00")), "accepted");
  ASSERT_EQ(h.Send(OrderPaid("o2", "150.00", "0.00", "2026-10-02T10:50:00+08:00")), "accepted");
  EXPECT_EQ(h.Send(Redeem("o2", "c2", "2026-10-02T11:00:00+08:00")), "order_not_unpaid");
}

TEST_F(CouponRules, RedemptionOnlyInsideTheUseWindow) {
  Json late = Coupon("c2");
  late["use_from"] = "2026-10-05T00:00:00+08:00";
  ASSERT_EQ(h.Send(late), "accepted");
  ASSERT_EQ(h.Send(Claim("c2", "b1")), "accepted");
  EXPECT_EQ(h.Send(Redeem("o1", "c2")), "coupon_not_usable");
}

TEST_F(CouponRules, ProductMustBeInScope) {
  Json scoped = Coupon("c2");
  scoped["scope"] = "products";
  scoped["product_ids"] = {"p2"};
  ASSERT_EQ(h.Send(scoped), "accepted");
  ASSERT_EQ(h.Send(Claim("c2", "b1")), "accepted");
  EXPECT_EQ(h.Send(Redeem("o1", "c2")), "coupon_scope_mismatch");
}

TEST_F(CouponRules, OrderKindMustBeInScenariosAndTrialNeverIs) {
  ASSERT_EQ(h.Send(Claim("c1", "b1")), "accepted");
  Json upgrade = OrderPlaced("o2", "p1", "150.00", "2026-10-02T10:30:00+08:00");
  upgrade["kind"] = "upgrade";
  ASSERT_EQ(h.Send(upgrade), "accepted");
  EXPECT_EQ(h.Send(Redeem("o2", "c1", "2026-10-02T10:40:00+08:00")), "coupon_scenario_mismatch");
  Json trial = OrderPlaced("o3", "p1", "150.00", "2026-10-02T10:30:00+08:00");
  trial["kind"] = "trial";
  ASSERT_EQ(h.Send(trial), "accepted");
  EXPECT_EQ(h.Send(Redeem("o3", "c1", "2026-10-02T10:40:00+08:00")), "coupon_scenario_mismatch");
}

TEST_F(CouponRules, ThresholdCouponNeedsPriceAtLeastThreshold) {
  ASSERT_EQ(h.Send(Claim("c1", "b1")), "accepted");
  ASSERT_EQ(h.Send(OrderPriceChanged("o1", "99.99", "2026-10-02T10:05:00+08:00")), "accepted");
  EXPECT_EQ(h.Send(Redeem("o1", "c1")), "coupon_threshold_not_met");
  ASSERT_EQ(h.Send(OrderPriceChanged("o1", "100.00", "2026-10-02T10:06:00+08:00")), "accepted");
  EXPECT_EQ(h.Send(Redeem("o1", "c1")), "accepted");
  EXPECT_EQ(h.OrderRow("s1", "o1")["payable"], "90.00");
}

TEST_F(CouponRules, ThresholdDiscountIsAmountOffCappedAtPrice) {
  Json big = Coupon("c2");
  big["threshold"] = "0.00";
  big["amount_off"] = "0.00";
  EXPECT_EQ(h.Send(big), "invalid_coupon");  // amount_off must be above 0
  big["amount_off"] = "50.00";
  big["threshold"] = "50.00";
  big["event_id"] = "big2";
  ASSERT_EQ(h.Send(big), "accepted");
  ASSERT_EQ(h.Send(Claim("c2", "b1")), "accepted");
  ASSERT_EQ(h.Send(Redeem("o1", "c2")), "accepted");
  const Json row = h.OrderRow("s1", "o1");
  EXPECT_EQ(row["discount"], "50.00");
  EXPECT_EQ(row["payable"], "100.00");
  EXPECT_EQ(row["coupon_id"], "c2");
}

TEST_F(CouponRules, DiscountCouponChargesPayRateOfThePriceRoundedHalfUp) {
  ASSERT_EQ(h.Send(Coupon("c2", "discount")), "accepted");  // 8.5 zhe: the buyer pays 85%
  ASSERT_EQ(h.Send(Claim("c2", "b1")), "accepted");
  ASSERT_EQ(h.Send(OrderPriceChanged("o1", "99.99", "2026-10-02T10:05:00+08:00")), "accepted");
  ASSERT_EQ(h.Send(Redeem("o1", "c2")), "accepted");
  // fee(99.99, 8500 bp) = 84.9915 -> 84.99; discount = 99.99 - 84.99 = 15.00
  EXPECT_EQ(h.OrderRow("s1", "o1")["discount"], "15.00");
  EXPECT_EQ(h.Send(OrderPaid("o1", "85.00", "0.00", "2026-10-02T10:30:00+08:00")), "amount_mismatch");
  EXPECT_EQ(h.Send(OrderPaid("o1", "84.99", "0.00", "2026-10-02T10:30:00+08:00")), "accepted");
}

TEST_F(CouponRules, PriceCannotChangeWhileACouponIsApplied) {
  ASSERT_EQ(h.Send(Claim("c1", "b1")), "accepted");
  ASSERT_EQ(h.Send(Redeem("o1", "c1")), "accepted");
  EXPECT_EQ(h.Send(OrderPriceChanged("o1", "120.00", "2026-10-02T10:15:00+08:00")), "coupon_applied");
  ASSERT_EQ(h.Send(Release("o1")), "accepted");
  EXPECT_EQ(h.Send(OrderPriceChanged("o1", "120.00", "2026-10-02T10:25:00+08:00")), "accepted");
}

TEST_F(CouponRules, ReleasedClaimIsUnusedAgain) {
  ASSERT_EQ(h.Send(Claim("c1", "b1")), "accepted");
  ASSERT_EQ(h.Send(Redeem("o1", "c1")), "accepted");
  EXPECT_EQ(CouponView("c1")["redeemed"], 1);
  ASSERT_EQ(h.Send(Release("o1")), "accepted");
  EXPECT_EQ(CouponView("c1")["redeemed"], 0);
  EXPECT_EQ(h.OrderRow("s1", "o1")["discount"], "0.00");
  EXPECT_TRUE(h.OrderRow("s1", "o1")["coupon_id"].is_null());
  EXPECT_EQ(h.Send(Release("o1", "2026-10-02T10:30:00+08:00")), "coupon_not_applied");
  ASSERT_EQ(h.Send(OrderPlaced("o2", "p1", "150.00", "2026-10-02T10:40:00+08:00")), "accepted");
  EXPECT_EQ(h.Send(Redeem("o2", "c1", "2026-10-02T10:50:00+08:00")), "accepted");
}

TEST_F(CouponRules, VoidingTheOrderReleasesItsCoupon) {
  ASSERT_EQ(h.Send(Claim("c1", "b1")), "accepted");
  ASSERT_EQ(h.Send(Redeem("o1", "c1")), "accepted");
  ASSERT_EQ(h.Send(OrderVoided("o1", "buyer_cancelled", "2026-10-02T11:00:00+08:00")), "accepted");
  EXPECT_EQ(CouponView("c1")["redeemed"], 0);
  ASSERT_EQ(h.Send(OrderPlaced("o2", "p1", "150.00", "2026-10-02T11:10:00+08:00")), "accepted");
  EXPECT_EQ(h.Send(Redeem("o2", "c1", "2026-10-02T11:20:00+08:00")), "accepted");
  const Json history = h.Order("s1", "o1")["history"];
  EXPECT_EQ(history[1]["type"], "CouponRedeemed");
}

TEST_F(CouponRules, StatusFollowsWindowsPauseAndVoidAtAnyInstant) {
  auto status = [&](const std::string& at) { return CouponView("c1", at)["status"]; };
  EXPECT_EQ(status("2026-09-30T23:59:59+08:00"), "scheduled");
  EXPECT_EQ(status("2026-10-01T00:00:00+08:00"), "issuing");
  EXPECT_EQ(status("2026-10-11T00:00:00+08:00"), "issue_ended");
  EXPECT_EQ(status("2026-11-01T00:00:00+08:00"), "expired");
  ASSERT_EQ(h.Send(Switch("CouponIssuancePaused", "c1", "2026-10-03T00:00:00+08:00")), "accepted");
  EXPECT_EQ(status("2026-10-02T00:00:00+08:00"), "issuing");
  EXPECT_EQ(status("2026-10-03T00:00:00+08:00"), "paused");
  ASSERT_EQ(h.Send(Switch("CouponVoided", "c1", "2026-10-04T00:00:00+08:00")), "accepted");
  EXPECT_EQ(status("2026-10-04T00:00:00+08:00"), "voided");
  const Json c = CouponView("c1");
  EXPECT_EQ(c["kind"], "threshold");
  EXPECT_EQ(c["threshold"], "100.00");
  EXPECT_EQ(c["amount_off"], "10.00");
  EXPECT_EQ(c["total"], 3);
}

TEST_F(CouponRules, DiscountCouponShowsItsZheRate) {
  ASSERT_EQ(h.Send(Coupon("c2", "discount")), "accepted");
  EXPECT_EQ(CouponView("c2")["pay_rate"], "8.5");
  EXPECT_TRUE(CouponView("c2")["threshold"].is_null());
}

}  // namespace
}  // namespace mkt::test
