// LEDGER.md section 3.1: products, reseller rates, profile flags, daily metrics.
#include <gtest/gtest.h>

#include "tests/harness.h"

namespace mkt::test {
namespace {

TEST(CatalogueRules, ListingAProductTwiceIsProductExists) {
  Harness h;
  EXPECT_EQ(h.Send(ProductListed("p1")), "accepted");
  EXPECT_EQ(h.Send(ProductListed("p1")), "product_exists");
  EXPECT_NE(h.last_message().find("p1"), std::string::npos);
}

TEST(CatalogueRules, SameProductIdIsIndependentPerSeller) {
  Harness h;
  EXPECT_EQ(h.Send(ProductListed("p1")), "accepted");
  Json other = ProductListed("p1");
  other["seller_id"] = "s2";
  EXPECT_EQ(h.Send(other), "accepted");
}

TEST(CatalogueRules, PlatformFeeDefaultsFromPolicyByCategory) {
  Policy policy = Harness::DefaultPolicy();
  policy.platform_fee_bp[static_cast<size_t>(fb::Category::api)] = 1500;
  Harness h(policy);
  ASSERT_EQ(h.Send(ProductListed("p1", "api")), "accepted");
  ASSERT_EQ(h.Send(OrderPlaced("o1", "p1", "100.00")), "accepted");
  const auto detail = h.orders().Get("s1", "o1");
  ASSERT_TRUE(detail);
  EXPECT_EQ(detail->row.platform_fee_bp, 1500);
}

TEST(CatalogueRules, ExplicitPlatformFeeOverridesPolicyAndMustBeInRange) {
  Harness h;
  Json listed = ProductListed("p1");
  listed["platform_fee_bp"] = 10001;
  EXPECT_EQ(h.Send(listed), "malformed");
  listed["platform_fee_bp"] = 800;
  EXPECT_EQ(h.Send(listed), "accepted");
  ASSERT_EQ(h.Send(OrderPlaced("o1", "p1", "100.00")), "accepted");
  EXPECT_EQ(h.orders().Get("s1", "o1")->row.platform_fee_bp, 800);
}

TEST(CatalogueRules, DeliveryTemplateDefaultsByCategory) {
  Harness h;
  ASSERT_EQ(h.Send(ProductListed("svc", "service")), "accepted");
  ASSERT_EQ(h.Send(ProductListed("lic", "license")), "accepted");
  ASSERT_EQ(h.Send(ProductListed("hw", "hardware")), "accepted");
  ASSERT_EQ(h.Send(ProductListed("img", "image")), "accepted");
  const char* products[] = {"svc", "lic", "hw", "img"};
  const char* expected[] = {"basic", "license", "hardware", ""};
  for (int i = 0; i < 4; ++i) {
    const std::string order = std::string("o-") + products[i];
    ASSERT_EQ(h.Send(OrderPlaced(order, products[i], "10.00")), "accepted");
    EXPECT_EQ(h.orders().Get("s1", order)->row.delivery_template, expected[i]) << products[i];
  }
}

TEST(CatalogueRules, UnknownDeliveryTemplateIsRefused) {
  Harness h;
  Json listed = ProductListed("p1", "service");
  listed["delivery_template"] = "no_such_template";
  EXPECT_EQ(h.Send(listed), "malformed");
  EXPECT_NE(h.last_message().find("delivery_template"), std::string::npos);
}

TEST(CatalogueRules, EventsNamingAnUnlistedProductAreUnknownProduct) {
  Harness h;
  Json updated = Event("ProductUpdated", "", "2026-10-01T10:00:00+08:00");
  updated["product_id"] = "nope";
  updated["name"] = "New name";
  EXPECT_EQ(h.Send(updated), "unknown_product");
  Json rate = Event("ResellerRateSet", "", "2026-10-01T10:00:00+08:00");
  rate["product_id"] = "nope";
  rate["rate_bp"] = 2000;
  EXPECT_EQ(h.Send(rate), "unknown_product");
  Json profile = Event("ProductProfileUpdated", "", "2026-10-01T10:00:00+08:00");
  profile["product_id"] = "nope";
  EXPECT_EQ(h.Send(profile), "unknown_product");
  EXPECT_EQ(h.Send(OrderPlaced("o1", "nope", "1.00")), "unknown_product");
}

TEST(CatalogueRules, ProductOfAnotherSellerIsUnknownProduct) {
  Harness h;
  ASSERT_EQ(h.Send(ProductListed("p1")), "accepted");
  Json placed = OrderPlaced("o1", "p1", "1.00");
  placed["seller_id"] = "s2";
  EXPECT_EQ(h.Send(placed), "unknown_product");
}

TEST(CatalogueRules, ProductUpdatedAppliesToOrdersPlacedAfterIt) {
  Harness h;
  ASSERT_EQ(h.Send(ProductListed("p1")), "accepted");
  ASSERT_EQ(h.Send(OrderPlaced("o1", "p1", "100.00", "2026-10-02T10:00:00+08:00")), "accepted");
  Json updated = Event("ProductUpdated", "", "2026-10-03T10:00:00+08:00");
  updated["product_id"] = "p1";
  updated["name"] = "Renamed";
  updated["platform_fee_bp"] = 500;
  ASSERT_EQ(h.Send(updated), "accepted");
  ASSERT_EQ(h.Send(OrderPlaced("o2", "p1", "100.00", "2026-10-04T10:00:00+08:00")), "accepted");
  EXPECT_EQ(h.orders().Get("s1", "o1")->row.product_name, "Product p1");
  EXPECT_EQ(h.orders().Get("s1", "o1")->row.platform_fee_bp, 1000);
  EXPECT_EQ(h.orders().Get("s1", "o2")->row.product_name, "Renamed");
  EXPECT_EQ(h.orders().Get("s1", "o2")->row.platform_fee_bp, 500);
}

Json Rate(const std::string& product, int bp) {
  Json e = Event("ResellerRateSet", "", "2026-10-01T10:00:00+08:00");
  e["product_id"] = product;
  e["rate_bp"] = bp;
  return e;
}

TEST(CatalogueRules, ResellerRateMustBeInRangeAndStep) {
  Harness h;
  ASSERT_EQ(h.Send(ProductListed("p1")), "accepted");
  EXPECT_EQ(h.Send(Rate("p1", 1900)), "reseller_rate_out_of_range");
  EXPECT_EQ(h.Send(Rate("p1", 6100)), "reseller_rate_out_of_range");
  EXPECT_EQ(h.Send(Rate("p1", 2050)), "reseller_rate_out_of_range");
  EXPECT_NE(h.last_message().find("rate_bp"), std::string::npos);
  EXPECT_EQ(h.Send(Rate("p1", 6000)), "accepted");
}

TEST(CatalogueRules, ResellerRateIsSetOnce) {
  Harness h;
  ASSERT_EQ(h.Send(ProductListed("p1")), "accepted");
  ASSERT_EQ(h.Send(Rate("p1", 2000)), "accepted");
  EXPECT_EQ(h.Send(Rate("p1", 3000)), "reseller_rate_immutable");
  EXPECT_EQ(h.Send(Rate("p1", 2000)), "reseller_rate_immutable");
}

TEST(CatalogueRules, ResellerRangeComesFromPolicy) {
  Policy policy = Harness::DefaultPolicy();
  policy.reseller_rate_min_bp = 1000;
  policy.reseller_rate_step_bp = 500;
  Harness h(policy);
  ASSERT_EQ(h.Send(ProductListed("p1")), "accepted");
  EXPECT_EQ(h.Send(Rate("p1", 1200)), "reseller_rate_out_of_range");
  EXPECT_EQ(h.Send(Rate("p1", 1500)), "accepted");
}

TEST(CatalogueRules, ProfileAndDailyMetricsNeedAListedProduct) {
  Harness h;
  ASSERT_EQ(h.Send(ProductListed("p1")), "accepted");
  Json profile = Event("ProductProfileUpdated", "", "2026-10-01T10:00:00+08:00");
  profile["product_id"] = "p1";
  profile["has_video"] = true;
  EXPECT_EQ(h.Send(profile), "accepted");
  Json metrics = Event("ProductDailyMetrics", "", "2026-10-02T01:00:00+08:00");
  metrics["product_id"] = "p1";
  metrics["date"] = "2026-10-01";
  metrics["uv"] = 120;
  metrics["visitors"] = 80;
  metrics["avg_dwell_seconds"] = 35.5;
  metrics["quotes"] = 2;
  metrics["tickets_opened"] = 1;
  metrics["tickets_resolved"] = 3;  // may resolve tickets opened on earlier days
  metrics["avg_ticket_hours"] = 4;
  EXPECT_EQ(h.Send(metrics), "accepted");
  metrics["product_id"] = "p2";
  metrics["event_id"] = "m2";
  EXPECT_EQ(h.Send(metrics), "unknown_product");
}

}  // namespace
}  // namespace mkt::test
