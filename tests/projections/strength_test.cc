// LEDGER.md section 7: the 30-day product-strength score, factor by factor, at
// the window's edges, and identical after a replay of the same stream.
#include <gtest/gtest.h>

#include <map>
#include <tuple>

#include "tests/harness.h"

namespace mkt::test {
namespace {

int32_t Day(const std::string& date) { return *ParseDate(date); }

class Strength : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(h.Send(ProductListed("p1", "api")), "accepted"); }
  void Order(const std::string& id, const std::string& buyer, const std::string& price, const std::string& at,
             bool pay = true, const std::string& kind = "new") {
    Json placed = OrderPlaced(id, "p1", price, at);
    placed["buyer_id"] = buyer;
    placed["kind"] = kind;
    ASSERT_EQ(h.Send(placed), "accepted") << h.last_message();
    if (pay) {
      ASSERT_EQ(h.Send(OrderPaid(id, price, "0", at)), "accepted") << h.last_message();
    }
  }
  StrengthScore Score(const std::string& date) { return *h.projections().strength.Score("s1", "p1", Day(date)); }
  StrengthFactor Factor(const std::string& date, const std::string& name) {
    for (const StrengthDimension& d : Score(date).dimensions) {
      for (const StrengthFactor& f : d.factors) {
        if (f.name == name) return f;
      }
    }
    ADD_FAILURE() << "no factor " << name;
    return {};
  }
  Harness h;
};

TEST_F(Strength, OrderOnDayMinus30IsOutsideAndDayMinus29Inside) {
  Order("o1", "b1", "10.00", "2026-10-01T23:59:59+08:00");  // D-30 for D = 10-31
  Order("o2", "b2", "10.00", "2026-10-02T00:00:00+08:00");  // D-29
  EXPECT_EQ(Factor("2026-10-31", "orders").value, 1);
  EXPECT_EQ(Factor("2026-10-30", "orders").value, 2);
}

TEST_F(Strength, DayEndsAt235959InPolicyTimezone) {
  Order("o1", "b1", "10.00", "2026-10-31T23:59:59+08:00");  // 15:59:59Z: still 10-31 at +08:00
  Order("o2", "b2", "10.00", "2026-11-01T00:00:00+08:00");
  EXPECT_EQ(Factor("2026-10-31", "orders").value, 1);
  EXPECT_EQ(Factor("2026-11-01", "orders").value, 2);
}

TEST_F(Strength, ZeroPriceOrdersAreNotCounted) {
  Order("o1", "b1", "0.00", "2026-10-10T10:00:00+08:00");
  Order("o2", "b2", "10.00", "2026-10-10T11:00:00+08:00");
  EXPECT_EQ(Factor("2026-10-31", "orders").value, 1);
  EXPECT_EQ(Factor("2026-10-31", "paid_orders").value, 1);
}

TEST_F(Strength, PayingBuyerRateCountsDistinctBuyersExactly) {
  Order("o1", "b1", "10.00", "2026-10-10T10:00:00+08:00");
  Order("o2", "b1", "10.00", "2026-10-11T10:00:00+08:00");          // same buyer again
  Order("o3", "b2", "10.00", "2026-10-12T10:00:00+08:00", false);   // never paid
  Order("o4", "b3", "10.00", "2026-10-30T10:00:00+08:00", false);
  ASSERT_EQ(h.Send(OrderPaid("o4", "10.00", "0", "2026-11-02T10:00:00+08:00")), "accepted") << h.last_message();
  const StrengthFactor on_31 = Factor("2026-10-31", "paying_buyer_rate");
  EXPECT_DOUBLE_EQ(on_31.value, 1.0 / 3.0);  // b1 of b1, b2, b3 (b3 paid only later)
  EXPECT_DOUBLE_EQ(on_31.score, 100.0 * (1.0 / 3.0) / 0.8);
  EXPECT_DOUBLE_EQ(Factor("2026-11-02", "paying_buyer_rate").value, 2.0 / 3.0);
}

TEST_F(Strength, GmvAndPaidOrdersCountByPaymentDay) {
  Order("o1", "b1", "60000.00", "2026-10-10T10:00:00+08:00");
  EXPECT_DOUBLE_EQ(Factor("2026-10-31", "gmv").value, 60000.0);
  EXPECT_DOUBLE_EQ(Factor("2026-10-31", "gmv").score, 60.0);  // target 100000.00
  EXPECT_EQ(Factor("2026-10-09", "paid_orders").value, 0);
}

TEST_F(Strength, RenewalAndRepurchaseRates) {
  Order("o1", "b1", "10.00", "2026-10-10T10:00:00+08:00");
  Order("o2", "b1", "10.00", "2026-10-11T10:00:00+08:00", true, "renew");  // b1 paid before: repurchase
  Order("o3", "b2", "10.00", "2026-10-12T10:00:00+08:00");
  Order("o4", "b3", "10.00", "2026-10-13T10:00:00+08:00");
  EXPECT_DOUBLE_EQ(Factor("2026-10-31", "renewal_rate").value, 0.25);
  EXPECT_DOUBLE_EQ(Factor("2026-10-31", "repurchase_rate").value, 0.25);
  EXPECT_DOUBLE_EQ(Factor("2026-10-31", "repurchase_rate").score, 100.0 * 0.25 / 0.3);
}

TEST_F(Strength, RefundsLowerTheDeliveryScore) {
  Order("o1", "b1", "10.00", "2026-10-10T10:00:00+08:00");
  Order("o2", "b2", "10.00", "2026-10-10T10:00:00+08:00");
  Json request = Event("RefundRequested", "", "2026-10-11T10:00:00+08:00");
  request["refund_id"] = "r1";
  request["order_id"] = "o1";
  request["amount"] = "5.00";
  request["initiator"] = "buyer";
  request["reason"] = "x";
  request["release"] = "immediate";
  ASSERT_EQ(h.Send(request), "accepted");
  Json approve = Event("RefundApproved", "", "2026-10-12T10:00:00+08:00");
  approve["refund_id"] = "r1";
  approve["by"] = "seller";
  ASSERT_EQ(h.Send(approve), "accepted");
  EXPECT_EQ(Factor("2026-10-31", "refunds").value, 1);
  EXPECT_DOUBLE_EQ(Factor("2026-10-31", "refunds").score, 90.0);       // 0 at 10
  EXPECT_DOUBLE_EQ(Factor("2026-10-31", "refund_rate").value, 0.5);
  EXPECT_DOUBLE_EQ(Factor("2026-10-31", "refund_rate").score, 0.0);    // 0 at 0.2
}

TEST_F(Strength, MetricsDimensionsAreLeftOutWithoutASourceAndWeightsRescale) {
  Order("o1", "b1", "10.00", "2026-10-10T10:00:00+08:00");
  StrengthScore without = Score("2026-10-31");
  double weighted = 0, weights = 0;
  for (const StrengthDimension& d : without.dimensions) {
    if (d.name == "marketing" || d.name == "service") {
      EXPECT_FALSE(d.included);
      continue;
    }
    weighted += d.score * d.weight;
    weights += d.weight;
  }
  EXPECT_EQ(weights, 75);
  EXPECT_DOUBLE_EQ(without.score, std::floor(weighted / weights * 100 + 0.5) / 100);
  Json metrics = Event("ProductDailyMetrics", "", "2026-10-20T23:00:00+08:00");
  metrics["product_id"] = "p1";
  metrics["date"] = "2026-10-20";
  metrics["uv"] = 100;
  metrics["visitors"] = 50;
  metrics["avg_dwell_seconds"] = 60;
  metrics["quotes"] = 2;
  metrics["tickets_opened"] = 4;
  metrics["tickets_resolved"] = 2;
  metrics["avg_ticket_hours"] = 36;
  ASSERT_EQ(h.Send(metrics), "accepted") << h.last_message();
  EXPECT_DOUBLE_EQ(Factor("2026-10-31", "avg_dwell_seconds").score, 50.0);
  EXPECT_DOUBLE_EQ(Factor("2026-10-31", "avg_ticket_hours").score, 50.0);
  EXPECT_DOUBLE_EQ(Factor("2026-10-31", "ticket_resolution_rate").value, 0.5);
  const StrengthScore with = Score("2026-10-31");
  for (const StrengthDimension& d : with.dimensions) EXPECT_TRUE(d.included) << d.name;
}

TEST_F(Strength, ProfileFlagsCountAsOfTheDay) {
  Json profile = Event("ProductProfileUpdated", "", "2026-10-15T10:00:00+08:00");
  profile["product_id"] = "p1";
  profile["has_video"] = true;
  ASSERT_EQ(h.Send(profile), "accepted");
  EXPECT_EQ(Factor("2026-10-14", "has_video").score, 0);
  EXPECT_EQ(Factor("2026-10-15", "has_video").score, 100);
}

TEST_F(Strength, TierFollowsTheRoundedScore) {
  const StrengthScore s = Score("2026-10-31");
  const std::string expected = s.score >= 80 ? "super" : s.score >= 60 ? "premium" : s.score >= 20 ? "potential" : "ordinary";
  EXPECT_EQ(s.tier, expected);
  // Nothing sold and no profile: only the delivery dimension scores (no refunds
  // is "lower is better" at its best), 100 x 25 of 75 weight = 33.33.
  EXPECT_DOUBLE_EQ(s.score, 33.33);
  EXPECT_EQ(s.tier, "potential");
}

TEST_F(Strength, ReplayOfTheSameStreamGivesTheSameScores) {
  for (int i = 0; i < 5; ++i) Order("o" + std::to_string(i), "b" + std::to_string(i % 2), "100.00", "2026-10-1" + std::to_string(i) + "T10:00:00+08:00");
  const Json first = StrengthJson(Score("2026-10-31"));
  h.Reopen();
  EXPECT_EQ(StrengthJson(Score("2026-10-31")), first);
}

// A ranking walks every product's buckets with one cursor per record kind;
// records before the window, after the day, and product ids that are prefixes
// of others ("p1", "p10") must not leak from one product into the next.
TEST_F(Strength, RankingGivesEachProductItsOwnScore) {
  for (const char* product : {"p10", "p2"}) ASSERT_EQ(h.Send(ProductListed(product, "api")), "accepted");
  const auto order = [&](const std::string& id, const std::string& product, const std::string& at) {
    Json placed = OrderPlaced(id, product, "10.00", at);
    placed["buyer_id"] = "b-" + id;
    ASSERT_EQ(h.Send(placed), "accepted") << h.last_message();
  };
  const auto metrics = [&](const std::string& product, const std::string& date, int uv) {
    Json m = Event("ProductDailyMetrics", "", date + "T23:00:00+08:00");
    m.update({{"product_id", product}, {"date", date}, {"uv", uv}, {"visitors", 1}, {"avg_dwell_seconds", 10},
              {"quotes", 0}, {"tickets_opened", 0}, {"tickets_resolved", 0}, {"avg_ticket_hours", 0}});
    ASSERT_EQ(h.Send(m), "accepted") << h.last_message();
  };
  order("a", "p1", "2026-09-20T10:00:00+08:00");   // before the window of 10-31
  order("b", "p1", "2026-10-05T10:00:00+08:00");
  order("c", "p10", "2026-10-06T10:00:00+08:00");
  order("d", "p10", "2026-10-07T10:00:00+08:00");
  order("e", "p10", "2026-11-03T10:00:00+08:00");  // after the day
  order("f", "p2", "2026-11-04T10:00:00+08:00");
  metrics("p1", "2026-09-10", 500);                // reported, but only before the window
  metrics("p2", "2026-11-02", 700);                // reported only after the day
  const std::vector<StrengthScore> ranking = h.projections().strength.Ranking("s1", Day("2026-10-31"));
  ASSERT_EQ(ranking.size(), 3u);
  std::map<std::string, int> orders;
  for (const StrengthScore& ranked : ranking) {
    const StrengthScore own = *h.projections().strength.Score("s1", ranked.product_id, Day("2026-10-31"));
    EXPECT_EQ(StrengthJson(ranked), StrengthJson(own)) << ranked.product_id;
    orders[ranked.product_id] = static_cast<int>(ranked.dimensions[0].factors[1].value);
    const bool reported = ranked.dimensions[3].included;
    EXPECT_EQ(reported, ranked.product_id == "p1") << ranked.product_id;
    if (reported) {
      EXPECT_EQ(ranked.dimensions[3].factors[0].value, 0) << "uv before the window counted";
    }
  }
  EXPECT_EQ(orders, (std::map<std::string, int>{{"p1", 1}, {"p10", 2}, {"p2", 0}}));
}

TEST_F(Strength, ProjectsFiveStarReviewsAndActiveCoupons) {
  ASSERT_EQ(h.Send(ProductListed("svc", "service")), "accepted");  // basic template
  Json placed = OrderPlaced("s-1", "svc", "300.00", "2026-10-05T10:00:00+08:00");
  ASSERT_EQ(h.Send(placed), "accepted");
  ASSERT_EQ(h.Send(OrderPaid("s-1", "300.00", "0", "2026-10-05T11:00:00+08:00")), "accepted");
  for (const auto& [node, actor, at] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"submit_requirement", "buyer", "2026-10-06T10:00:00+08:00"},
           {"deliver", "seller", "2026-10-07T10:00:00+08:00"},
           {"confirm_delivery", "buyer", "2026-10-08T10:00:00+08:00"}}) {
    Json step = Event("DeliveryStep", "", at);
    step.update({{"order_id", "s-1"}, {"node", node}, {"action", "complete"}, {"actor", actor}});
    ASSERT_EQ(h.Send(step), "accepted") << h.last_message();
  }
  Json review = Event("ReviewPosted", "", "2026-10-09T10:00:00+08:00");
  review.update({{"order_id", "s-1"}, {"quality", 5}, {"attitude", 5}, {"speed", 5}});
  ASSERT_EQ(h.Send(review), "accepted") << h.last_message();
  Json coupon = Event("CouponCreated", "", "2026-10-01T10:00:00+08:00");
  coupon.update({{"coupon_id", "c1"}, {"name", "10 off"}, {"scope", "products"}, {"product_ids", {"svc"}},
                 {"kind", "threshold"}, {"threshold", "100.00"}, {"amount_off", "10.00"},
                 {"issue_from", "2026-10-01T00:00:00+08:00"}, {"issue_to", "2026-10-20T00:00:00+08:00"},
                 {"use_from", "2026-10-01T00:00:00+08:00"}, {"use_to", "2026-10-25T00:00:00+08:00"},
                 {"total", 10}, {"per_user_limit", 1}, {"scenarios", {"new"}}, {"visible", true}});
  ASSERT_EQ(h.Send(coupon), "accepted") << h.last_message();
  const auto factor = [&](const std::string& date, const std::string& name) {
    const StrengthScore score = *h.projections().strength.Score("s1", "svc", Day(date));
    for (const StrengthDimension& d : score.dimensions) {
      for (const StrengthFactor& f : d.factors) {
        if (f.name == name) return f;
      }
    }
    return StrengthFactor{"absent", -1, -1};
  };
  EXPECT_EQ(factor("2026-10-31", "projects_opened").value, 1);
  EXPECT_EQ(factor("2026-10-31", "projects_completed").value, 1);
  EXPECT_DOUBLE_EQ(factor("2026-10-31", "projects_completed").score, 5.0);  // target 20
  EXPECT_EQ(factor("2026-10-31", "five_star_orders").value, 1);
  EXPECT_EQ(factor("2026-10-24", "has_active_coupon").score, 100);
  EXPECT_EQ(factor("2026-10-26", "has_active_coupon").score, 0);  // use window over
  EXPECT_EQ(factor("2026-10-31", "has_active_coupon").score, 0);
  // A product without a template has no project factors at all.
  EXPECT_EQ(Factor("2026-10-31", "refunds").name, "refunds");
  const StrengthScore api = Score("2026-10-31");
  for (const StrengthDimension& d : api.dimensions) {
    for (const StrengthFactor& f : d.factors) EXPECT_NE(f.name, "projects_opened");
  }
}

TEST(StrengthPolicy, TargetsAndTiersComeFromThePolicyFile) {
  Policy policy = std::get<Policy>(ParsePolicy("[strength.targets]\norders = 1\n[strength.tiers]\npotential = 50\n", "test"));
  Harness h(policy);
  ASSERT_EQ(h.Send(ProductListed("p1", "api")), "accepted");
  ASSERT_EQ(h.Send(OrderPlaced("o1", "p1", "10.00", "2026-10-10T10:00:00+08:00")), "accepted");
  const StrengthScore s = *h.projections().strength.Score("s1", "p1", Day("2026-10-31"));
  EXPECT_EQ(s.dimensions[0].factors[1].name, "orders");
  EXPECT_DOUBLE_EQ(s.dimensions[0].factors[1].score, 100.0);  // 1 order meets a target of 1
  EXPECT_DOUBLE_EQ(s.score, 40.0);  // (100/6 x 30 + 100 x 25) / 75
  EXPECT_EQ(s.tier, "ordinary");  // below the raised potential threshold
}

}  // namespace
}  // namespace mkt::test
