// LEDGER.md section 3.6: reviews.
#include <gtest/gtest.h>

#include "tests/harness.h"

namespace mkt::test {
namespace {

Json Review(const std::string& order, int quality, int attitude, int speed,
            const std::string& at = "2026-10-05T10:00:00+08:00") {
  Json e = Event("ReviewPosted", "", at);
  e["order_id"] = order;
  e["quality"] = quality;
  e["attitude"] = attitude;
  e["speed"] = speed;
  e["text"] = "快速交付，服务很好";
  return e;
}

class ReviewRules : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(h.Send(ProductListed("p1")), "accepted");
    ASSERT_EQ(h.Send(OrderPlaced("o1", "p1", "100.00")), "accepted");
    ASSERT_EQ(h.Send(OrderPaid("o1", "100.00", "0.00")), "accepted");  // 10-02 11:00
  }
  Harness h;
};

TEST_F(ReviewRules, OnePerPaidOrder) {
  EXPECT_EQ(h.Send(Review("o1", 5, 4, 5)), "accepted");
  EXPECT_EQ(h.Send(Review("o1", 3, 3, 3, "2026-10-06T10:00:00+08:00")), "review_exists");
  EXPECT_EQ(h.Order("s1", "o1")["history"][2]["type"], "ReviewPosted");
}

TEST_F(ReviewRules, UnpaidOrderCannotBeReviewed) {
  ASSERT_EQ(h.Send(OrderPlaced("o2", "p1", "10.00", "2026-10-03T10:00:00+08:00")), "accepted");
  EXPECT_EQ(h.Send(Review("o2", 5, 5, 5)), "order_not_paid");
}

TEST_F(ReviewRules, StarsAreOneToFive) {
  EXPECT_EQ(h.Send(Review("o1", 0, 5, 5)), "malformed");
  EXPECT_EQ(h.Send(Review("o1", 5, 6, 5)), "malformed");
  EXPECT_NE(h.last_message().find("attitude"), std::string::npos);
}

TEST_F(ReviewRules, DefaultReviewOnlyAfterTheDefaultDaysAndOnlyFiveStars) {
  Json e = Review("o1", 5, 5, 5, "2026-11-01T10:59:59+08:00");
  e["default"] = true;
  EXPECT_EQ(h.Send(e), "not_due");
  e["at"] = "2026-11-01T11:00:00+08:00";
  e["quality"] = 4;
  e["event_id"] = "d2";
  EXPECT_EQ(h.Send(e), "malformed");
  e["quality"] = 5;
  e["event_id"] = "d3";
  EXPECT_EQ(h.Send(e), "accepted");
}

}  // namespace
}  // namespace mkt::test
