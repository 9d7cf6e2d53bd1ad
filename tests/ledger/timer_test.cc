// LEDGER.md section 8: deadlines become events with `at` = the deadline.
#include <gtest/gtest.h>

#include "replay/verify.h"
#include "tests/harness.h"

namespace mkt::test {
namespace {

Json Step(const std::string& order, const std::string& node, const std::string& actor,
          const std::string& at) {
  Json e = Event("DeliveryStep", "", at);
  e["order_id"] = order;
  e["node"] = node;
  e["action"] = "complete";
  e["actor"] = actor;
  return e;
}

class Timers : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(h.Send(ProductListed("p1")), "accepted");
    ASSERT_EQ(h.Send(OrderPlaced("o1", "p1", "100.00")), "accepted");  // expires 10-09 10:00
  }
  Harness h;
};

TEST_F(Timers, UnpaidOrderIsVoidedAtItsDeadlineAndNotBefore) {
  EXPECT_EQ(h.Tick("2026-10-09T09:59:59+08:00")["emitted"], 0);
  EXPECT_EQ(h.OrderRow("s1", "o1")["status"], "unpaid");
  const Json report = h.Tick("2026-10-09T10:00:00+08:00");  // a deadline equal to now is due
  EXPECT_EQ(report["by_type"]["OrderVoided"], 1);
  EXPECT_EQ(h.OrderRow("s1", "o1")["status"], "voided");
  const Json history = h.Order("s1", "o1")["history"];
  EXPECT_EQ(history[1]["type"], "OrderVoided");
  EXPECT_EQ(history[1]["at"], "2026-10-09T10:00:00+08:00");
}

TEST_F(Timers, TickingTwiceIsHarmless) {
  h.Tick("2026-10-20T00:00:00+08:00");
  const uint64_t events = VerifyChain(h.log()).events;
  EXPECT_EQ(h.Tick("2026-10-20T00:00:00+08:00")["emitted"], 0);
  EXPECT_EQ(VerifyChain(h.log()).events, events);
}

TEST_F(Timers, PaidOrderIsNotVoidedButGetsADefaultReviewAfterThirtyDays) {
  ASSERT_EQ(h.Send(OrderPaid("o1", "100.00", "0.00")), "accepted");  // 10-02 11:00
  Json report = h.Tick("2026-10-20T00:00:00+08:00");
  EXPECT_EQ(report["emitted"], 0);
  report = h.Tick("2026-11-01T11:00:00+08:00");
  EXPECT_EQ(report["by_type"]["ReviewPosted"], 1);
  EXPECT_EQ(h.Order("s1", "o1")["history"].back()["type"], "ReviewPosted");
}

TEST_F(Timers, ReviewedOrderGetsNoDefaultReview) {
  ASSERT_EQ(h.Send(OrderPaid("o1", "100.00", "0.00")), "accepted");
  Json review = Event("ReviewPosted", "", "2026-10-05T10:00:00+08:00");
  review["order_id"] = "o1";
  review["quality"] = review["attitude"] = review["speed"] = 4;
  ASSERT_EQ(h.Send(review), "accepted");
  EXPECT_EQ(h.Tick("2026-12-01T00:00:00+08:00")["emitted"], 0);
}

TEST_F(Timers, UnhandledBuyerRefundIsAutoApproved) {
  ASSERT_EQ(h.Send(OrderPaid("o1", "100.00", "0.00")), "accepted");
  Json request = Event("RefundRequested", "", "2026-10-03T10:00:00+08:00");
  request["refund_id"] = "r1";
  request["order_id"] = "o1";
  request["amount"] = "40.00";
  request["initiator"] = "buyer";
  request["reason"] = "unused seats";
  request["release"] = "immediate";
  ASSERT_EQ(h.Send(request), "accepted");
  const Json report = h.Tick("2026-10-06T10:00:00+08:00");
  EXPECT_EQ(report["by_type"]["RefundApproved"], 1);
  const Json refund = h.Order("s1", "o1")["refunds"][0];
  EXPECT_EQ(refund["status"], "approved");
  EXPECT_EQ(refund["by"], "auto");
  EXPECT_EQ(refund["decided_at"], "2026-10-06T10:00:00+08:00");
}

TEST_F(Timers, TimedOutDeliveryNodesCompleteInDeadlineOrderAcrossNodes) {
  // double_check: ... confirm_delivery (14 d) -> confirm_warranty (14 d).
  Json listed = ProductListed("svc", "service");
  listed["delivery_template"] = "double_check";
  ASSERT_EQ(h.Send(listed), "accepted");
  ASSERT_EQ(h.Send(OrderPlaced("o2", "svc", "900.00")), "accepted");
  ASSERT_EQ(h.Send(OrderPaid("o2", "900.00", "0.00")), "accepted");
  ASSERT_EQ(h.Send(Step("o2", "submit_requirement", "buyer", "2026-10-02T12:00:00+08:00")), "accepted");
  ASSERT_EQ(h.Send(Step("o2", "deliver", "seller", "2026-10-03T12:00:00+08:00")), "accepted");
  const Json report = h.Tick("2026-11-01T00:00:00+08:00");  // both 14-day timeouts have passed
  EXPECT_EQ(report["by_type"]["DeliveryStep"], 2);
  const Json row = h.OrderRow("s1", "o2");
  EXPECT_EQ(row["delivery"]["state"], "completed");
  EXPECT_EQ(row["settlement"]["eligible_at"], "2026-10-31T12:00:00+08:00");  // 10-03 + 14 d + 14 d
}

TEST_F(Timers, HardwareIsAutoAcceptedTenDaysAfterSigning) {
  ASSERT_EQ(h.Send(ProductListed("hw", "hardware")), "accepted");
  ASSERT_EQ(h.Send(OrderPlaced("o2", "hw", "3000.00")), "accepted");
  ASSERT_EQ(h.Send(OrderPaid("o2", "3000.00", "0.00")), "accepted");
  ASSERT_EQ(h.Send(Step("o2", "ship", "seller", "2026-10-03T09:00:00+08:00")), "accepted");
  // Not signed yet: no delivery clock runs (the tick only voids the fixture's unpaid o1).
  EXPECT_FALSE(h.Tick("2026-10-20T00:00:00+08:00")["by_type"].contains("DeliveryStep"));
  ASSERT_EQ(h.Send(Step("o2", "signed", "system", "2026-10-05T15:00:00+08:00")), "accepted");
  EXPECT_EQ(h.Tick("2026-10-15T14:59:59+08:00")["emitted"], 0);
  EXPECT_EQ(h.Tick("2026-10-15T15:00:00+08:00")["by_type"]["DeliveryStep"], 1);
  EXPECT_EQ(h.OrderRow("s1", "o2")["delivery"]["state"], "completed");
}

TEST_F(Timers, PriceCannotChangeOnceTheUnpaidDeadlinePassed) {
  EXPECT_EQ(h.Send(OrderPriceChanged("o1", "50.00", "2026-10-09T10:00:00+08:00")), "order_expired");
  EXPECT_EQ(h.Send(OrderVoided("o1", "expired", "2026-10-09T10:00:00+08:00")), "accepted");
}

}  // namespace
}  // namespace mkt::test
