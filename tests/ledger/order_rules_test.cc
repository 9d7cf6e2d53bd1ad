// LEDGER.md sections 3.2 and 4.1: the order state machine.
#include <gtest/gtest.h>

#include "tests/harness.h"

namespace mkt::test {
namespace {

class OrderRules : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(h.Send(ProductListed("p1")), "accepted");
    ASSERT_EQ(h.Send(OrderPlaced("o1", "p1", "2000.00")), "accepted");
  }
  Json Row() { return h.OrderRow("s1", "o1"); }
  Harness h;
};

TEST_F(OrderRules, PlacedOrderIsUnpaidWithPriceEqualToListPrice) {
  const Json row = Row();
  EXPECT_EQ(row["status"], "unpaid");
  EXPECT_EQ(row["list_price"], "2000.00");
  EXPECT_EQ(row["price"], "2000.00");
  EXPECT_EQ(row["payable"], "2000.00");
  EXPECT_EQ(row["placed_at"], "2026-10-02T10:00:00+08:00");
}

TEST_F(OrderRules, ExpiryDeadlineIsPlacedAtPlusPolicyDaysForTheKind) {
  EXPECT_EQ(Row()["expires_at"], "2026-10-09T10:00:00+08:00");
  Policy policy = Harness::DefaultPolicy();
  policy.unpaid_expiry_days[static_cast<size_t>(fb::OrderKind::renew)] = 2;
  Harness other(policy);
  ASSERT_EQ(other.Send(ProductListed("p1")), "accepted");
  Json renew = OrderPlaced("o2", "p1", "10.00");
  renew["kind"] = "renew";
  ASSERT_EQ(other.Send(renew), "accepted");
  EXPECT_EQ(other.OrderRow("s1", "o2")["expires_at"], "2026-10-04T10:00:00+08:00");
}

TEST_F(OrderRules, ExistingOrderIdIsOrderExists) {
  EXPECT_EQ(h.Send(OrderPlaced("o1", "p1", "1.00")), "order_exists");
}

TEST_F(OrderRules, QuantityMustBeAtLeastOne) {
  Json placed = OrderPlaced("o2", "p1", "1.00");
  placed["quantity"] = 0;
  EXPECT_EQ(h.Send(placed), "malformed");
  EXPECT_NE(h.last_message().find("quantity"), std::string::npos);
}

TEST_F(OrderRules, ZeroListPriceIsAllowed) {
  Json placed = OrderPlaced("trial1", "p1", "0.00");
  placed["kind"] = "trial";
  EXPECT_EQ(h.Send(placed), "accepted");
  EXPECT_EQ(h.Send(OrderPaid("trial1", "0.00", "0.00")), "accepted");
  EXPECT_EQ(h.OrderRow("s1", "trial1")["status"], "paid");
}

TEST_F(OrderRules, ResellerChannelNeedsResellerIdAndAProductRate) {
  Json placed = OrderPlaced("o2", "p1", "100.00");
  placed["channel"] = "reseller";
  EXPECT_EQ(h.Send(placed), "missing_field");
  EXPECT_NE(h.last_message().find("reseller_id"), std::string::npos);
  placed["reseller_id"] = "r1";
  EXPECT_EQ(h.Send(placed), "reseller_not_enabled");
  Json rate = Event("ResellerRateSet", "", "2026-10-01T12:00:00+08:00");
  rate["product_id"] = "p1";
  rate["rate_bp"] = 2000;
  ASSERT_EQ(h.Send(rate), "accepted");
  placed["event_id"] = "e-reseller-again";
  EXPECT_EQ(h.Send(placed), "accepted");
  EXPECT_EQ(h.OrderRow("s1", "o2")["reseller_rate_bp"], 2000);
  EXPECT_EQ(h.OrderRow("s1", "o2")["reseller_id"], "r1");
}

TEST_F(OrderRules, ResellerIdOutsideResellerChannelIsMalformed) {
  Json placed = OrderPlaced("o2", "p1", "100.00");
  placed["reseller_id"] = "r1";
  EXPECT_EQ(h.Send(placed), "malformed");
}

TEST_F(OrderRules, PriceChangeLowersThePriceWhileUnpaid) {
  EXPECT_EQ(h.Send(OrderPriceChanged("o1", "1500.00")), "accepted");
  EXPECT_EQ(Row()["price"], "1500.00");
  EXPECT_EQ(Row()["list_price"], "2000.00");
  // Back up to the list price is not an increase over list_price.
  EXPECT_EQ(h.Send(OrderPriceChanged("o1", "2000.00", "2026-10-02T10:40:00+08:00")), "accepted");
  EXPECT_EQ(h.Send(OrderPriceChanged("o1", "0.00", "2026-10-02T10:50:00+08:00")), "accepted");
  EXPECT_EQ(Row()["payable"], "0.00");
}

TEST_F(OrderRules, PriceAboveListPriceIsPriceIncreaseNotAllowed) {
  EXPECT_EQ(h.Send(OrderPriceChanged("o1", "2000.01")), "price_increase_not_allowed");
  EXPECT_EQ(Row()["price"], "2000.00");
}

TEST_F(OrderRules, PriceChangeNeedsAReason) {
  Json change = OrderPriceChanged("o1", "100.00");
  change["reason"] = "";
  EXPECT_EQ(h.Send(change), "missing_field");
  change.erase("reason");
  change["event_id"] = "e-no-reason";
  EXPECT_EQ(h.Send(change), "missing_field");
}

TEST_F(OrderRules, PriceChangeAfterPaymentIsOrderNotUnpaid) {
  ASSERT_EQ(h.Send(OrderPaid("o1", "2000.00", "0.00")), "accepted");
  EXPECT_EQ(h.Send(OrderPriceChanged("o1", "1.00", "2026-10-02T12:00:00+08:00")),
            "order_not_unpaid");
}

TEST_F(OrderRules, PaymentMustEqualPayable) {
  EXPECT_EQ(h.Send(OrderPaid("o1", "1999.99", "0.00")), "amount_mismatch");
  EXPECT_NE(h.last_message().find("2000.00"), std::string::npos);
  EXPECT_EQ(h.Send(OrderPaid("o1", "1500.00", "500.01")), "amount_mismatch");
  EXPECT_EQ(Row()["status"], "unpaid");
  EXPECT_EQ(h.Send(OrderPaid("o1", "1500.00", "500.00")), "accepted");
  const Json row = Row();
  EXPECT_EQ(row["status"], "paid");
  EXPECT_EQ(row["paid_cash"], "1500.00");
  EXPECT_EQ(row["paid_voucher"], "500.00");
  EXPECT_EQ(row["paid_at"], "2026-10-02T11:00:00+08:00");
  EXPECT_EQ(row["invoiceable"], "1500.00");  // only cash is invoiceable to the buyer
}

TEST_F(OrderRules, PaymentAfterPriceChangeMustMatchTheNewPrice) {
  ASSERT_EQ(h.Send(OrderPriceChanged("o1", "1800.00")), "accepted");
  EXPECT_EQ(h.Send(OrderPaid("o1", "2000.00", "0.00")), "amount_mismatch");
  EXPECT_EQ(h.Send(OrderPaid("o1", "1800.00", "0.00")), "accepted");
}

TEST_F(OrderRules, PayingTwiceIsOrderNotUnpaid) {
  ASSERT_EQ(h.Send(OrderPaid("o1", "2000.00", "0.00")), "accepted");
  EXPECT_EQ(h.Send(OrderPaid("o1", "2000.00", "0.00", "2026-10-02T11:30:00+08:00")),
            "order_not_unpaid");
}

TEST_F(OrderRules, PaymentAtOrAfterTheDeadlineIsOrderExpired) {
  EXPECT_EQ(h.Send(OrderPaid("o1", "2000.00", "0.00", "2026-10-09T10:00:00+08:00")),
            "order_expired");
  EXPECT_EQ(h.Send(OrderPaid("o1", "2000.00", "0.00", "2026-10-09T09:59:59.999999+08:00")),
            "accepted");
}

TEST_F(OrderRules, BuyerMayCancelAnUnpaidOrder) {
  EXPECT_EQ(h.Send(OrderVoided("o1", "buyer_cancelled")), "accepted");
  EXPECT_EQ(Row()["status"], "voided");
  EXPECT_EQ(h.Send(OrderPaid("o1", "2000.00", "0.00", "2026-10-02T13:00:00+08:00")),
            "order_not_unpaid");
}

TEST_F(OrderRules, VoidingAPaidOrderIsOrderNotUnpaid) {
  ASSERT_EQ(h.Send(OrderPaid("o1", "2000.00", "0.00")), "accepted");
  EXPECT_EQ(h.Send(OrderVoided("o1", "buyer_cancelled")), "order_not_unpaid");
}

TEST_F(OrderRules, ExpiredVoidIsOnlyDueAtTheDeadline) {
  EXPECT_EQ(h.Send(OrderVoided("o1", "expired", "2026-10-09T09:59:59+08:00")), "not_due");
  EXPECT_EQ(h.Send(OrderVoided("o1", "expired", "2026-10-09T10:00:00+08:00")), "accepted");
  EXPECT_EQ(Row()["status"], "voided");
}

TEST_F(OrderRules, EventsOnAnUnknownOrderAreUnknownOrder) {
  EXPECT_EQ(h.Send(OrderPaid("nope", "1.00", "0.00")), "unknown_order");
  EXPECT_EQ(h.Send(OrderPriceChanged("nope", "1.00")), "unknown_order");
  EXPECT_EQ(h.Send(OrderVoided("nope", "buyer_cancelled")), "unknown_order");
}

TEST_F(OrderRules, AnOrderEventBeforeTheOrdersLatestEventIsOutOfOrder) {
  ASSERT_EQ(h.Send(OrderPriceChanged("o1", "1000.00", "2026-10-02T10:30:00+08:00")), "accepted");
  EXPECT_EQ(h.Send(OrderPaid("o1", "1000.00", "0.00", "2026-10-02T10:29:59+08:00")),
            "out_of_order");
  EXPECT_EQ(h.Send(OrderPaid("o1", "1000.00", "0.00", "2026-10-01T10:00:00+08:00")),
            "out_of_order");
  // Same instant as the latest event is not going back in time.
  EXPECT_EQ(h.Send(OrderPaid("o1", "1000.00", "0.00", "2026-10-02T10:30:00+08:00")), "accepted");
}

TEST_F(OrderRules, OutOfOrderIsPerAggregate) {
  ASSERT_EQ(h.Send(OrderPlaced("o2", "p1", "5.00", "2026-10-05T10:00:00+08:00")), "accepted");
  // o1's latest event is 2026-10-02; an event at 10-03 is fine for o1 though o2 is later.
  EXPECT_EQ(h.Send(OrderPaid("o1", "2000.00", "0.00", "2026-10-03T10:00:00+08:00")), "accepted");
}

TEST_F(OrderRules, NoReasonRefundWindowSetsEligibilityForOrdersWithoutTemplate) {
  ASSERT_EQ(h.Send(OrderPlaced("late", "p1", "2000.00", "2026-10-27T10:00:00+08:00")), "accepted");
  ASSERT_EQ(h.Send(OrderPaid("late", "2000.00", "0.00", "2026-10-28T11:00:00+08:00")), "accepted");
  const Json before = h.OrderRow("s1", "late", T("2026-11-02T10:59:59+08:00"));
  EXPECT_EQ(before["settlement"]["state"], "not_eligible");
  EXPECT_EQ(before["settlement"]["eligible_at"], "2026-11-02T11:00:00+08:00");
  EXPECT_EQ(before["settlement"]["period"], "2026-11");
  EXPECT_EQ(h.OrderRow("s1", "late", T("2026-11-02T11:00:00+08:00"))["settlement"]["state"],
            "eligible");
}

TEST_F(OrderRules, PaidOrderWithTemplateOpensDeliveryAtTheFirstNode) {
  ASSERT_EQ(h.Send(ProductListed("svc", "service")), "accepted");
  ASSERT_EQ(h.Send(OrderPlaced("o2", "svc", "300.00")), "accepted");
  EXPECT_TRUE(h.OrderRow("s1", "o2")["delivery"].is_null());
  ASSERT_EQ(h.Send(OrderPaid("o2", "300.00", "0.00")), "accepted");
  const Json row = h.OrderRow("s1", "o2");
  EXPECT_EQ(row["delivery"]["template"], "basic");
  EXPECT_EQ(row["delivery"]["state"], "in_progress");
  EXPECT_EQ(row["delivery"]["node"], "submit_requirement");
  EXPECT_TRUE(row["settlement"]["eligible_at"].is_null());
}

}  // namespace
}  // namespace mkt::test
