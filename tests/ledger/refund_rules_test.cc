// LEDGER.md section 3.3: refund requests, approvals, rejections and the
// cash/voucher split.
#include <gtest/gtest.h>

#include "tests/harness.h"

namespace mkt::test {
namespace {

Json Request(const std::string& refund, const std::string& order, const std::string& amount,
             const std::string& initiator = "buyer", const std::string& at = "2026-10-03T10:00:00+08:00") {
  Json e = Event("RefundRequested", "", at);
  e["refund_id"] = refund;
  e["order_id"] = order;
  e["amount"] = amount;
  e["initiator"] = initiator;
  e["reason"] = "not as described";
  e["release"] = "immediate";
  return e;
}

Json Approve(const std::string& refund, const std::string& by,
             const std::string& at = "2026-10-03T12:00:00+08:00") {
  Json e = Event("RefundApproved", "", at);
  e["refund_id"] = refund;
  e["by"] = by;
  return e;
}

Json Reject(const std::string& refund, const std::string& by,
            const std::string& at = "2026-10-03T12:00:00+08:00") {
  Json e = Event("RefundRejected", "", at);
  e["refund_id"] = refund;
  e["by"] = by;
  e["reason"] = "service already delivered";
  return e;
}

class RefundRules : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(h.Send(ProductListed("p1")), "accepted");
    ASSERT_EQ(h.Send(OrderPlaced("o1", "p1", "100.00")), "accepted");
    ASSERT_EQ(h.Send(OrderPaid("o1", "70.00", "30.00")), "accepted");  // 10-02 11:00
  }
  Json Row() { return h.OrderRow("s1", "o1"); }
  Harness h;
};

TEST_F(RefundRules, OnlyPaidOrdersAreRefunded) {
  ASSERT_EQ(h.Send(OrderPlaced("o2", "p1", "10.00", "2026-10-02T12:00:00+08:00")), "accepted");
  EXPECT_EQ(h.Send(Request("r1", "o2", "5.00")), "order_not_paid");
  EXPECT_EQ(h.Send(Request("r1", "nope", "5.00")), "unknown_order");
}

TEST_F(RefundRules, AmountMustBePositiveAndWithinRefundable) {
  EXPECT_EQ(h.Send(Request("r1", "o1", "0.00")), "refund_exceeds_balance");
  EXPECT_EQ(h.Send(Request("r1", "o1", "100.01")), "refund_exceeds_balance");
  EXPECT_EQ(h.Send(Request("r1", "o1", "60.00")), "accepted");
  // The pending 60.00 reduces what may still be asked for.
  EXPECT_EQ(h.Send(Request("r2", "o1", "40.01", "buyer", "2026-10-03T10:01:00+08:00")),
            "refund_exceeds_balance");
  EXPECT_NE(h.last_message().find("40.00"), std::string::npos);
  EXPECT_EQ(h.Send(Request("r2", "o1", "40.00", "buyer", "2026-10-03T10:01:00+08:00")), "accepted");
}

TEST_F(RefundRules, RejectedRequestFreesItsAmount) {
  ASSERT_EQ(h.Send(Request("r1", "o1", "100.00")), "accepted");
  ASSERT_EQ(h.Send(Reject("r1", "seller")), "accepted");
  EXPECT_EQ(h.Send(Request("r2", "o1", "100.00", "buyer", "2026-10-03T13:00:00+08:00")), "accepted");
  EXPECT_EQ(Row()["status"], "paid");
}

TEST_F(RefundRules, KeepNeedsAKeepReason) {
  Json e = Request("r1", "o1", "10.00");
  e["release"] = "keep";
  EXPECT_EQ(h.Send(e), "missing_field");
  EXPECT_NE(h.last_message().find("keep_reason"), std::string::npos);
  e["keep_reason"] = "licence stays active until period end";
  e["event_id"] = "keep-2";
  EXPECT_EQ(h.Send(e), "accepted");
}

TEST_F(RefundRules, SellerMayAskForTheRemainingBalance) {
  ASSERT_EQ(h.Send(Request("r1", "o1", "30.00")), "accepted");
  ASSERT_EQ(h.Send(Approve("r1", "seller")), "accepted");
  EXPECT_EQ(h.Send(Request("r2", "o1", "remaining", "buyer", "2026-10-03T13:00:00+08:00")), "malformed");
  ASSERT_EQ(h.Send(Request("r3", "o1", "remaining", "seller", "2026-10-03T13:00:00+08:00")), "accepted");
  const Json refunds = h.Order("s1", "o1")["refunds"];
  ASSERT_EQ(refunds.size(), 2u);
  EXPECT_EQ(refunds[1]["amount"], "70.00");
  EXPECT_EQ(refunds[1]["status"], "pending");
}

TEST_F(RefundRules, BuyerRequestIsDecidedBySellerAndSellerRequestByPlatform) {
  ASSERT_EQ(h.Send(Request("r1", "o1", "10.00", "buyer")), "accepted");
  EXPECT_EQ(h.Send(Approve("r1", "platform")), "refund_wrong_approver");
  EXPECT_EQ(h.Send(Reject("r1", "platform")), "refund_wrong_approver");
  EXPECT_EQ(h.Send(Approve("r1", "seller")), "accepted");
  ASSERT_EQ(h.Send(Request("r2", "o1", "10.00", "seller", "2026-10-03T13:00:00+08:00")), "accepted");
  EXPECT_EQ(h.Send(Approve("r2", "seller", "2026-10-03T14:00:00+08:00")), "refund_wrong_approver");
  EXPECT_EQ(h.Send(Approve("r2", "auto", "2026-10-09T14:00:00+08:00")), "refund_wrong_approver");
  EXPECT_EQ(h.Send(Reject("r2", "platform", "2026-10-03T14:00:00+08:00")), "accepted");
}

TEST_F(RefundRules, AutoApprovalOnlyAfterTheAutoApproveDays) {
  ASSERT_EQ(h.Send(Request("r1", "o1", "10.00")), "accepted");  // 10-03 10:00
  EXPECT_EQ(h.Send(Approve("r1", "auto", "2026-10-06T09:59:59+08:00")), "not_due");
  EXPECT_EQ(h.Send(Approve("r1", "auto", "2026-10-06T10:00:00+08:00")), "accepted");
  EXPECT_EQ(h.Order("s1", "o1")["refunds"][0]["by"], "auto");
}

TEST_F(RefundRules, DecidingTwiceIsRefundNotPending) {
  ASSERT_EQ(h.Send(Request("r1", "o1", "10.00")), "accepted");
  ASSERT_EQ(h.Send(Approve("r1", "seller")), "accepted");
  EXPECT_EQ(h.Send(Approve("r1", "seller", "2026-10-03T12:01:00+08:00")), "refund_not_pending");
  EXPECT_EQ(h.Send(Reject("r1", "seller", "2026-10-03T12:01:00+08:00")), "refund_not_pending");
  EXPECT_EQ(h.Send(Approve("nope", "seller")), "unknown_refund");
}

TEST_F(RefundRules, RefundIdIsUnique) {
  ASSERT_EQ(h.Send(Request("r1", "o1", "10.00")), "accepted");
  EXPECT_EQ(h.Send(Request("r1", "o1", "5.00", "buyer", "2026-10-03T10:05:00+08:00")), "refund_exists");
}

TEST_F(RefundRules, RefundEventsMayNotGoBackInTime) {
  ASSERT_EQ(h.Send(Request("r1", "o1", "10.00")), "accepted");
  EXPECT_EQ(h.Send(Approve("r1", "seller", "2026-10-03T09:59:59+08:00")), "out_of_order");
  EXPECT_EQ(h.Send(Request("r2", "o1", "10.00", "buyer", "2026-10-02T10:59:00+08:00")), "out_of_order");
}

TEST_F(RefundRules, ApprovedAmountSplitsCashAndVoucherLikeThePayment) {
  // Paid 70.00 cash + 30.00 voucher. Refund 33.33: cash = round(33.33 * 0.7) = 23.33.
  ASSERT_EQ(h.Send(Request("r1", "o1", "33.33")), "accepted");
  ASSERT_EQ(h.Send(Approve("r1", "seller")), "accepted");
  Json refund = h.Order("s1", "o1")["refunds"][0];
  EXPECT_EQ(refund["cash"], "23.33");
  EXPECT_EQ(refund["voucher"], "10.00");
  EXPECT_EQ(Row()["status"], "partially_refunded");
  EXPECT_EQ(Row()["refunded"], "33.33");
  EXPECT_EQ(Row()["invoiceable"], "46.67");  // cash paid 70.00 - cash refunded 23.33
}

TEST_F(RefundRules, RefundingEverythingReturnsExactlyTheCashAndVoucherPaid) {
  const char* parts[] = {"0.01", "33.33", "33.33", "0.02", "33.31"};  // sums to 100.00
  for (int i = 0; i < 5; ++i) {
    const std::string id = "r" + std::to_string(i);
    const std::string t = "2026-10-03T1" + std::to_string(i) + ":00:00+08:00";
    ASSERT_EQ(h.Send(Request(id, "o1", parts[i], "buyer", t)), "accepted");
    ASSERT_EQ(h.Send(Approve(id, "seller", "2026-10-03T1" + std::to_string(i) + ":30:00+08:00")),
              "accepted");
  }
  int64_t cash = 0, voucher = 0;
  const Json order = h.Order("s1", "o1");  // keep alive: the loop reads into it
  for (const Json& r : order["refunds"]) {
    cash += ParseMoney(r["cash"].get<std::string>())->value();
    voucher += ParseMoney(r["voucher"].get<std::string>())->value();
  }
  EXPECT_EQ(cash, 7000);
  EXPECT_EQ(voucher, 3000);
  EXPECT_EQ(Row()["status"], "refunded");
  EXPECT_EQ(h.Send(Request("r9", "o1", "0.01", "buyer", "2026-10-04T10:00:00+08:00")),
            "refund_exceeds_balance");
}

TEST_F(RefundRules, ApprovedRefundIsAReverseRowInTheOrderList) {
  ASSERT_EQ(h.Send(Request("r1", "o1", "25.00")), "accepted");
  ASSERT_EQ(h.Send(Approve("r1", "seller")), "accepted");
  OrderListQuery q;
  q.seller_id = "s1";
  const auto rows = h.OrderRows(q);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0]["kind"], "refund");
  EXPECT_EQ(rows[0]["refund_id"], "r1");
  EXPECT_EQ(rows[0]["order_id"], "o1");
  EXPECT_EQ(rows[0]["amount"], "-25.00");
  EXPECT_EQ(rows[0]["placed_at"], "2026-10-03T12:00:00+08:00");
  EXPECT_EQ(rows[1]["order_id"], "o1");
  EXPECT_EQ(rows[1]["kind"], "new");
  q.refunds_only = true;
  EXPECT_EQ(h.OrderRows(q).size(), 1u);
  q.refunds_only = false;
  q.status = fb::OrderStatus::partially_refunded;
  ASSERT_EQ(h.OrderRows(q).size(), 1u);
  EXPECT_EQ(h.OrderRows(q)[0]["kind"], "new");
}

TEST_F(RefundRules, RefundEventsAppearInTheOrdersHistory) {
  ASSERT_EQ(h.Send(Request("r1", "o1", "25.00")), "accepted");
  ASSERT_EQ(h.Send(Reject("r1", "seller")), "accepted");
  const Json history = h.Order("s1", "o1")["history"];
  ASSERT_EQ(history.size(), 4u);
  EXPECT_EQ(history[2]["type"], "RefundRequested");
  EXPECT_EQ(history[3]["type"], "RefundRejected");
}

}  // namespace
}  // namespace mkt::test
