// LEDGER.md section 5: eligibility, periods, lines, the monthly close, holds,
// adjustments, carry-forward, payout split and reseller statements. Each test
// is named after the rule it guards and asserts what `ledger settlement`,
// `ledger settle` and `ledger reseller-statement` show.
#include <gtest/gtest.h>

#include "tests/harness.h"

namespace mkt::test {
namespace {

Json Step(const std::string& order, const std::string& node, const std::string& action,
          const std::string& actor, const std::string& at) {
  Json e = Event("DeliveryStep", "", at);
  e["order_id"] = order;
  e["node"] = node;
  e["action"] = action;
  e["actor"] = actor;
  return e;
}

Json Reject(const std::string& refund, const std::string& at) {
  Json e = Event("RefundRejected", "", at);
  e["refund_id"] = refund;
  e["by"] = "seller";
  e["reason"] = "delivered as agreed";
  return e;
}

class Settlement : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(h.Send(ProductListed("api", "api")), "accepted");          // no template
    ASSERT_EQ(h.Send(ProductListed("svc", "service")), "accepted");      // basic template
    Json rate = Event("ResellerRateSet", "", "2026-10-01T09:30:00+08:00");
    rate["product_id"] = "api";
    rate["rate_bp"] = 2000;
    ASSERT_EQ(h.Send(rate), "accepted");
  }
  // An order of `product` placed and paid at `at` (cash, voucher).
  void Sell(const std::string& order, const std::string& product, const std::string& cash,
            const std::string& voucher, const std::string& at, const std::string& reseller = "") {
    const Fen total = *ParseMoney(cash) + *ParseMoney(voucher);
    Json placed = OrderPlaced(order, product, FormatMoney(total), at);
    if (!reseller.empty()) {
      placed["channel"] = "reseller";
      placed["reseller_id"] = reseller;
    }
    ASSERT_EQ(h.Send(placed), "accepted") << h.last_message();
    ASSERT_EQ(h.Send(OrderPaid(order, cash, voucher, at)), "accepted") << h.last_message();
  }
  void Deliver(const std::string& order, const std::string& day) {
    ASSERT_EQ(h.Send(Step(order, "submit_requirement", "complete", "buyer", day + "T09:00:00+08:00")), "accepted");
    ASSERT_EQ(h.Send(Step(order, "deliver", "complete", "seller", day + "T10:00:00+08:00")), "accepted");
    ASSERT_EQ(h.Send(Step(order, "confirm_delivery", "complete", "buyer", day + "T11:00:00+08:00")), "accepted");
  }
  Json Line(const Json& statement, const std::string& order, size_t nth = 0) {
    for (const Json& line : statement["lines"]) {
      if (line["order_id"] == order && nth-- == 0) return line;
    }
    return nullptr;
  }
  Harness h;
};

TEST_F(Settlement, WorkedExampleTencentSeed) {
  Sell("o1", "svc", "2000.00", "0", "2026-10-03T10:00:00+08:00");
  Deliver("o1", "2026-10-10");
  Sell("o2", "api", "2000.00", "0", "2026-10-03T10:00:00+08:00", "r1");
  const Json st = h.Statement("s1", "2026-10");
  const Json direct = Line(st, "o1"), resold = Line(st, "o2");
  EXPECT_EQ(direct["gross"], "2000.00");
  EXPECT_EQ(direct["platform_fee"], "200.00");
  EXPECT_EQ(direct["seller_net"], "1800.00");
  EXPECT_EQ(resold["reseller_commission"], "400.00");
  EXPECT_EQ(resold["seller_net"], "1400.00");
  EXPECT_EQ(st["platform_commission_invoice"], "400.00");
  EXPECT_EQ(st["net"], "3200.00");
  EXPECT_EQ(st["status"], "open");
}

TEST_F(Settlement, EligibilityWithoutTemplateIsPaidAtPlusNoReasonRefundDays) {
  Sell("o1", "api", "100.00", "0", "2026-10-27T10:00:00+08:00");  // eligible 11-01 10:00
  EXPECT_EQ(h.Statement("s1", "2026-10")["line_count"], 0);
  const Json line = Line(h.Statement("s1", "2026-11"), "o1");
  EXPECT_EQ(line["eligible_at"], "2026-11-01T10:00:00+08:00");
}

TEST_F(Settlement, EligibilityWithTemplateIsDeliveryCompletion) {
  Sell("o1", "svc", "100.00", "0", "2026-10-03T10:00:00+08:00");
  EXPECT_EQ(h.Statement("s1", "2026-10")["line_count"], 0);  // paid, not yet delivered
  Deliver("o1", "2026-11-05");
  EXPECT_EQ(h.Statement("s1", "2026-10")["line_count"], 0);
  EXPECT_EQ(Line(h.Statement("s1", "2026-11"), "o1")["eligible_at"], "2026-11-05T11:00:00+08:00");
}

TEST_F(Settlement, TerminatedDeliveryIsEligibleWithWhatWasNotRefunded) {
  Sell("o1", "svc", "100.00", "0", "2026-10-03T10:00:00+08:00");
  ASSERT_EQ(h.Send(RefundRequested("r1", "o1", "30.00", "2026-10-04T10:00:00+08:00", "immediate")), "accepted");
  ASSERT_EQ(h.Send(RefundApproved("r1", "2026-10-05T10:00:00+08:00")), "accepted");
  const Json line = Line(h.Statement("s1", "2026-10"), "o1");
  EXPECT_EQ(line["gross"], "70.00");
  EXPECT_EQ(line["eligible_at"], "2026-10-05T10:00:00+08:00");
}

TEST_F(Settlement, PeriodIsTheCalendarMonthInPolicyTimezone) {
  // Paid 10-26 23:59:59 +08:00 -> eligible 10-31 23:59:59 (October, though UTC says 15:59).
  Sell("o1", "api", "10.00", "0", "2026-10-26T23:59:59+08:00");
  // Paid one second later -> eligible 11-01 00:00:00 +08:00, November.
  Sell("o2", "api", "10.00", "0", "2026-10-27T00:00:00+08:00");
  EXPECT_FALSE(Line(h.Statement("s1", "2026-10"), "o1").is_null());
  EXPECT_TRUE(Line(h.Statement("s1", "2026-10"), "o2").is_null());
  EXPECT_FALSE(Line(h.Statement("s1", "2026-11"), "o2").is_null());
}

TEST_F(Settlement, ZeroPriceOrdersHaveNoLine) {
  Sell("o1", "api", "0", "0", "2026-10-03T10:00:00+08:00");
  EXPECT_EQ(h.Statement("s1", "2026-10")["line_count"], 0);
}

TEST_F(Settlement, CloseRefusesPeriodNotEnded) {
  Sell("o1", "api", "100.00", "0", "2026-10-03T10:00:00+08:00");
  const Json r = h.Settle("2026-10", "2026-10-31T23:59:59+08:00");
  EXPECT_EQ(r["refused"][0]["code"], "period_not_ended");
  EXPECT_EQ(h.Statement("s1", "2026-10")["status"], "open");
  EXPECT_EQ(h.Settle("2026-10", "2026-11-01T00:00:00+08:00")["closed"].size(), 1u);
}

TEST_F(Settlement, CloseRefusesPeriodClosed) {
  Sell("o1", "api", "100.00", "0", "2026-10-03T10:00:00+08:00");
  ASSERT_EQ(h.Settle("2026-10", "2026-11-01T00:00:00+08:00")["closed"].size(), 1u);
  const Json again = h.Settle("2026-10", "2026-11-02T00:00:00+08:00");
  EXPECT_EQ(again["closed"].size(), 0u);
  EXPECT_EQ(again["refused"][0]["code"], "period_closed");
}

TEST_F(Settlement, CloseRefusesEarlierPeriodOpen) {
  Sell("o1", "api", "100.00", "0", "2026-10-03T10:00:00+08:00");
  Sell("o2", "api", "100.00", "0", "2026-11-03T10:00:00+08:00");
  const Json r = h.Settle("2026-11", "2026-12-01T00:00:00+08:00");
  EXPECT_EQ(r["refused"][0]["code"], "earlier_period_open");
  ASSERT_EQ(h.Settle("2026-10", "2026-12-01T00:00:00+08:00")["closed"].size(), 1u);
  EXPECT_EQ(h.Settle("2026-11", "2026-12-01T00:00:01+08:00")["closed"].size(), 1u);
}

TEST_F(Settlement, PendingRefundHoldsTheOrderToTheNextPeriod) {
  Sell("o1", "api", "100.00", "0", "2026-10-03T10:00:00+08:00");
  Sell("o2", "api", "50.00", "0", "2026-10-03T10:00:00+08:00");
  ASSERT_EQ(h.Send(RefundRequested("r1", "o1", "10.00", "2026-10-20T10:00:00+08:00")), "accepted");
  ASSERT_EQ(h.Settle("2026-10", "2026-11-01T00:00:00+08:00")["closed"].size(), 1u);
  const Json october = h.Statement("s1", "2026-10");
  EXPECT_EQ(october["gross"], "50.00");
  EXPECT_TRUE(Line(october, "o1").is_null());
  const Json held = Line(h.Statement("s1", "2026-11"), "o1");
  EXPECT_EQ(held["held_from"], "2026-10");
  EXPECT_EQ(held["gross"], "100.00");
  EXPECT_EQ(h.OrderRow("s1", "o1")["settlement"]["state"], "held");
  EXPECT_EQ(h.OrderRow("s1", "o2")["settlement"]["state"], "settled");
  // Approved later: the held line is still open, so it changes itself.
  ASSERT_EQ(h.Send(RefundApproved("r1", "2026-11-02T10:00:00+08:00")), "accepted");
  EXPECT_EQ(Line(h.Statement("s1", "2026-11"), "o1")["gross"], "90.00");
}

TEST_F(Settlement, OrderUnderAppealWaitsAndIsSettledWhenTheAppealEnds) {
  // An open appeal freezes delivery, so the order has no line yet when October
  // closes; the platform's terminate makes it eligible in November.
  Sell("o1", "svc", "100.00", "0", "2026-10-03T10:00:00+08:00");
  Deliver("o1", "2026-10-10");
  Sell("o2", "svc", "80.00", "0", "2026-10-03T10:00:00+08:00");
  ASSERT_EQ(h.Send(Step("o2", "submit_requirement", "complete", "buyer", "2026-10-04T09:00:00+08:00")), "accepted");
  ASSERT_EQ(h.Send(Step("o2", "deliver", "appeal", "buyer", "2026-10-05T09:00:00+08:00")), "accepted");
  ASSERT_EQ(h.Settle("2026-10", "2026-11-01T00:00:00+08:00")["closed"].size(), 1u);
  EXPECT_EQ(h.Statement("s1", "2026-10")["gross"], "100.00");
  Json resolve = Step("o2", "deliver", "resolve_appeal", "platform", "2026-11-03T09:00:00+08:00");
  resolve["outcome"] = "terminate";
  ASSERT_EQ(h.Send(resolve), "accepted") << h.last_message();
  EXPECT_EQ(Line(h.Statement("s1", "2026-11"), "o2")["gross"], "80.00");
}

TEST_F(Settlement, StatementWithEveryOrderHeldClosesEmpty) {
  Sell("o1", "api", "100.00", "0", "2026-10-03T10:00:00+08:00");
  ASSERT_EQ(h.Send(RefundRequested("r1", "o1", "10.00", "2026-10-20T10:00:00+08:00")), "accepted");
  const Json r = h.Settle("2026-10", "2026-11-01T00:00:00+08:00");
  ASSERT_EQ(r["closed"].size(), 1u);
  EXPECT_EQ(r["closed"][0]["payable"], "0.00");
  const Json october = h.Statement("s1", "2026-10");
  EXPECT_EQ(october["status"], "closed");
  EXPECT_EQ(october["line_count"], 0);
  EXPECT_EQ(october["gross"], "0.00");
}

TEST_F(Settlement, RefundBeforeCloseChangesTheOpenLine) {
  Sell("o1", "api", "100.00", "0", "2026-10-03T10:00:00+08:00");
  ASSERT_EQ(h.Send(RefundRequested("r1", "o1", "40.00", "2026-10-04T10:00:00+08:00")), "accepted");
  ASSERT_EQ(h.Send(RefundApproved("r1", "2026-10-05T10:00:00+08:00")), "accepted");
  const Json st = h.Statement("s1", "2026-10");
  EXPECT_EQ(st["line_count"], 1);
  EXPECT_EQ(Line(st, "o1")["gross"], "60.00");
  EXPECT_EQ(Line(st, "o1")["platform_fee"], "6.00");
}

TEST_F(Settlement, RefundAfterCloseIsAnAdjustmentOfDifferencesWithoutRoundingDrift) {
  // 10.05 at 10%: fee 1.01 (1.005 rounds up). Refund 0.04: the net 10.01 has fee
  // 1.00, so the adjustment's fee is -0.01, although fee(0.04) alone is 0.00.
  Sell("o1", "api", "10.05", "0", "2026-10-03T10:00:00+08:00");
  ASSERT_EQ(h.Settle("2026-10", "2026-11-01T00:00:00+08:00")["closed"].size(), 1u);
  ASSERT_EQ(h.Send(RefundRequested("r1", "o1", "0.04", "2026-11-03T10:00:00+08:00")), "accepted");
  ASSERT_EQ(h.Send(RefundApproved("r1", "2026-11-04T10:00:00+08:00")), "accepted");
  const Json adjustment = Line(h.Statement("s1", "2026-11"), "o1");
  EXPECT_EQ(adjustment["type"], "adjustment");
  EXPECT_EQ(adjustment["refund_id"], "r1");
  EXPECT_EQ(adjustment["gross"], "-0.04");
  EXPECT_EQ(adjustment["platform_fee"], "-0.01");
  EXPECT_EQ(adjustment["seller_net"], "-0.03");
  EXPECT_EQ(Line(h.Statement("s1", "2026-10"), "o1")["platform_fee"], "1.01");
}

TEST_F(Settlement, DeficitIsCarriedForwardToTheNextStatement) {
  Sell("o1", "api", "100.00", "0", "2026-10-03T10:00:00+08:00");
  ASSERT_EQ(h.Settle("2026-10", "2026-11-01T00:00:00+08:00")["closed"][0]["payable"], "90.00");
  ASSERT_EQ(h.Send(RefundRequested("r1", "o1", "100.00", "2026-11-03T10:00:00+08:00")), "accepted");
  ASSERT_EQ(h.Send(RefundApproved("r1", "2026-11-04T10:00:00+08:00")), "accepted");
  ASSERT_EQ(h.Settle("2026-11", "2026-12-01T00:00:00+08:00")["closed"][0]["payable"], "0.00");
  const Json november = h.Statement("s1", "2026-11");
  EXPECT_EQ(november["net"], "-90.00");
  EXPECT_EQ(november["carried_out"], "90.00");
  Sell("o2", "api", "200.00", "0", "2026-12-03T10:00:00+08:00");
  ASSERT_EQ(h.Settle("2026-12", "2027-01-01T00:00:00+08:00")["closed"][0]["payable"], "90.00");
  const Json december = h.Statement("s1", "2026-12");
  EXPECT_EQ(december["carried_in"], "90.00");
  EXPECT_EQ(december["carried_out"], "0.00");
}

TEST_F(Settlement, PayoutIsHeldUntilTheVoucherInvoiceIsReceived) {
  Sell("o1", "api", "700.00", "300.00", "2026-10-03T10:00:00+08:00");
  Json received = Event("PlatformInvoiceReceived", "", "2026-10-25T10:00:00+08:00");
  received["period"] = "2026-10";
  received["amount"] = "100.00";
  ASSERT_EQ(h.Send(received), "accepted");
  ASSERT_EQ(h.Settle("2026-10", "2026-11-01T00:00:00+08:00")["closed"].size(), 1u);
  const Json st = h.Statement("s1", "2026-10");
  EXPECT_EQ(st["payable"], "900.00");
  EXPECT_EQ(st["voucher_invoice_due"], "300.00");
  EXPECT_EQ(st["payout_held"], "200.00");
  EXPECT_EQ(st["payout_releasable"], "700.00");
}

TEST_F(Settlement, ClosedStatementNeverChanges) {
  Sell("o1", "api", "100.00", "0", "2026-10-03T10:00:00+08:00");
  Sell("o2", "svc", "100.00", "0", "2026-10-03T10:00:00+08:00");
  ASSERT_EQ(h.Settle("2026-10", "2026-11-01T00:00:00+08:00")["closed"].size(), 1u);
  const Json frozen = h.Statement("s1", "2026-10");
  EXPECT_FALSE(frozen["head_hash"].is_null());
  // A refund after close, and a delivery that completed in October but is only
  // reported now: both land in November.
  ASSERT_EQ(h.Send(RefundRequested("r1", "o1", "10.00", "2026-11-03T10:00:00+08:00")), "accepted");
  ASSERT_EQ(h.Send(RefundApproved("r1", "2026-11-04T10:00:00+08:00")), "accepted");
  Deliver("o2", "2026-10-30");
  EXPECT_EQ(h.Statement("s1", "2026-10"), frozen);
  const Json november = h.Statement("s1", "2026-11");
  EXPECT_EQ(Line(november, "o1")["type"], "adjustment");
  EXPECT_EQ(Line(november, "o2")["type"], "sale");
  EXPECT_EQ(Line(november, "o2")["eligible_at"], "2026-10-30T11:00:00+08:00");
  h.Reopen();
  EXPECT_EQ(h.Statement("s1", "2026-10"), frozen);
}

TEST_F(Settlement, ResellerGetsCommissionsOnClosedLinesMinusClawbacks) {
  Sell("o1", "api", "1000.00", "0", "2026-10-03T10:00:00+08:00", "r1");
  EXPECT_EQ(h.ResellerStatement("r1", "2026-10")["commission"], "0.00");  // not closed yet
  ASSERT_EQ(h.Settle("2026-10", "2026-11-01T00:00:00+08:00")["closed"].size(), 1u);
  EXPECT_EQ(h.ResellerStatement("r1", "2026-10")["commission"], "200.00");
  ASSERT_EQ(h.Send(RefundRequested("r1x", "o1", "1000.00", "2026-11-03T10:00:00+08:00")), "accepted");
  ASSERT_EQ(h.Send(RefundApproved("r1x", "2026-11-04T10:00:00+08:00")), "accepted");
  ASSERT_EQ(h.Settle("2026-11", "2026-12-01T00:00:00+08:00")["closed"].size(), 1u);
  const Json november = h.ResellerStatement("r1", "2026-11");
  EXPECT_EQ(november["clawback"], "200.00");
  EXPECT_EQ(november["net"], "-200.00");
  EXPECT_EQ(november["payable"], "0.00");
  EXPECT_EQ(november["carried_out"], "200.00");
  Sell("o2", "api", "2000.00", "0", "2026-12-03T10:00:00+08:00", "r1");
  ASSERT_EQ(h.Settle("2026-12", "2027-01-01T00:00:00+08:00")["closed"].size(), 1u);
  const Json december = h.ResellerStatement("r1", "2026-12");
  EXPECT_EQ(december["carried_in"], "200.00");
  EXPECT_EQ(december["payable"], "200.00");
}

TEST_F(Settlement, RejectedRefundReleasesTheHold) {
  Sell("o1", "api", "100.00", "0", "2026-10-03T10:00:00+08:00");
  ASSERT_EQ(h.Send(RefundRequested("r1", "o1", "10.00", "2026-10-20T10:00:00+08:00")), "accepted");
  ASSERT_EQ(h.Send(Reject("r1", "2026-10-21T10:00:00+08:00")), "accepted");
  ASSERT_EQ(h.Settle("2026-10", "2026-11-01T00:00:00+08:00")["closed"][0]["payable"], "90.00");
}

TEST_F(Settlement, LedgerRefusesAClosedPeriodEvenWithoutTheJob) {
  // The job checks first; the ledger's own rule is the last line of defence.
  Sell("o1", "api", "100.00", "0", "2026-10-03T10:00:00+08:00");
  ASSERT_EQ(h.Settle("2026-10", "2026-11-01T00:00:00+08:00")["closed"].size(), 1u);
  Json forged = Event("SettlementClosed", "", "2026-11-02T00:00:00+08:00");
  forged["period"] = "2026-10";
  EXPECT_EQ(h.Send(forged), "unknown_type");  // upstream may not send it at all
}

}  // namespace
}  // namespace mkt::test
