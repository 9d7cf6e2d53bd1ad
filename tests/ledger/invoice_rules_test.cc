// LEDGER.md section 6: invoicing buyers for cash paid.
#include <gtest/gtest.h>

#include "tests/harness.h"

namespace mkt::test {
namespace {

Json Request(const std::string& invoice, std::vector<std::string> orders, const std::string& amount,
             const std::string& at = "2026-10-05T10:00:00+08:00", const std::string& buyer = "b1") {
  Json e = Event("InvoiceRequested", "", at);
  e["invoice_id"] = invoice;
  e["buyer_id"] = buyer;
  e["order_ids"] = orders;
  e["amount"] = amount;
  e["invoice_type"] = "normal";
  e["title"] = "杭州某某科技有限公司";
  return e;
}

Json Decide(const std::string& type, const std::string& invoice, const std::string& at) {
  Json e = Event(type, "", at);
  e["invoice_id"] = invoice;
  if (type == "InvoiceIssued") {
    e["invoice_no"] = "No.0012345";
    e["carrier"] = "SF Express";
    e["tracking_no"] = "SF100200300";
  } else {
    e["reason"] = "wrong title";
  }
  return e;
}

class InvoiceRules : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(h.Send(ProductListed("p1")), "accepted");
    ASSERT_EQ(h.Send(OrderPlaced("o1", "p1", "300.00")), "accepted");
    ASSERT_EQ(h.Send(OrderPaid("o1", "200.00", "100.00")), "accepted");  // only cash is invoiceable
    ASSERT_EQ(h.Send(OrderPlaced("o2", "p1", "150.00", "2026-10-02T10:05:00+08:00")), "accepted");
    ASSERT_EQ(h.Send(OrderPaid("o2", "150.00", "0.00", "2026-10-02T11:05:00+08:00")), "accepted");
  }
  Json Invoice(const std::string& id, const std::string& as_of = "2026-10-06T00:00:00+08:00") {
    const Json all = h.Invoices("s1", T(as_of));
    for (const Json& i : all["invoices"]) {
      if (i["invoice_id"] == id) return i;
    }
    return nullptr;
  }
  Harness h;
};

TEST_F(InvoiceRules, AmountIsAtMostTheCashStillInvoiceable) {
  EXPECT_EQ(h.Send(Request("i1", {"o1"}, "200.01")), "invoice_exceeds_invoiceable");
  EXPECT_EQ(h.Send(Request("i1", {"o1", "o2"}, "350.01")), "invoice_exceeds_invoiceable");
  EXPECT_EQ(h.Send(Request("i1", {"o1", "o2"}, "350.00")), "accepted");
  EXPECT_EQ(h.OrderRow("s1", "o1")["invoiceable"], "0.00");
  EXPECT_EQ(h.Send(Request("i2", {"o2"}, "0.01", "2026-10-05T11:00:00+08:00")), "invoice_exceeds_invoiceable");
}

TEST_F(InvoiceRules, AmountIsAllocatedToOrdersInTheListedOrder) {
  ASSERT_EQ(h.Send(Request("i1", {"o2", "o1"}, "180.00")), "accepted");
  EXPECT_EQ(h.OrderRow("s1", "o2")["invoiced"], "150.00");
  EXPECT_EQ(h.OrderRow("s1", "o1")["invoiced"], "30.00");
  EXPECT_EQ(h.OrderRow("s1", "o1")["invoiceable"], "170.00");
  EXPECT_EQ(h.Order("s1", "o1")["history"].back()["type"], "InvoiceRequested");
}

TEST_F(InvoiceRules, OrdersMustBePaidAndTheBuyers) {
  ASSERT_EQ(h.Send(OrderPlaced("o3", "p1", "10.00", "2026-10-03T10:00:00+08:00")), "accepted");
  EXPECT_EQ(h.Send(Request("i1", {"o3"}, "1.00")), "order_not_paid");
  EXPECT_EQ(h.Send(Request("i1", {"nope"}, "1.00")), "unknown_order");
  EXPECT_EQ(h.Send(Request("i1", {"o1"}, "1.00", "2026-10-05T10:00:00+08:00", "b2")), "invoice_buyer_mismatch");
  EXPECT_EQ(h.Send(Request("i1", {"o1", "o1"}, "1.00")), "malformed");
}

TEST_F(InvoiceRules, SpecialInvoiceNeedsATaxId) {
  Json e = Request("i1", {"o1"}, "100.00");
  e["invoice_type"] = "special";
  EXPECT_EQ(h.Send(e), "missing_field");
  e["tax_id"] = "91330100MA2XXXXXX1";
  e["event_id"] = "special-2";
  EXPECT_EQ(h.Send(e), "accepted");
}

TEST_F(InvoiceRules, DueDateCountsWorkingDaysSkippingWeekendsAndHolidays) {
  // Monday 2026-10-05 10:00 + 10 working days = Monday 2026-10-19 10:00.
  ASSERT_EQ(h.Send(Request("i1", {"o1"}, "10.00")), "accepted");
  EXPECT_EQ(Invoice("i1")["due_at"], "2026-10-19T10:00:00+08:00");
  Policy policy = Harness::DefaultPolicy();
  policy.holidays = {*ParseDate("2026-10-06"), *ParseDate("2026-10-07")};
  Harness other(policy);
  ASSERT_EQ(other.Send(ProductListed("p1")), "accepted");
  ASSERT_EQ(other.Send(OrderPlaced("o1", "p1", "300.00")), "accepted");
  ASSERT_EQ(other.Send(OrderPaid("o1", "300.00", "0.00")), "accepted");
  ASSERT_EQ(other.Send(Request("i1", {"o1"}, "10.00")), "accepted");
  const Json all = other.Invoices("s1", T("2026-10-06T00:00:00+08:00"));
  EXPECT_EQ(all["invoices"][0]["due_at"], "2026-10-21T10:00:00+08:00");
}

TEST_F(InvoiceRules, RequestNotIssuedByItsDueTimeIsOverdue) {
  ASSERT_EQ(h.Send(Request("i1", {"o1"}, "10.00")), "accepted");
  EXPECT_FALSE(Invoice("i1", "2026-10-19T10:00:00+08:00")["overdue"].get<bool>());
  EXPECT_TRUE(Invoice("i1", "2026-10-19T10:00:01+08:00")["overdue"].get<bool>());
  ASSERT_EQ(h.Send(Decide("InvoiceIssued", "i1", "2026-10-20T09:00:00+08:00")), "accepted");
  EXPECT_FALSE(Invoice("i1", "2026-10-21T00:00:00+08:00")["overdue"].get<bool>());
  EXPECT_EQ(Invoice("i1")["status"], "issued");
}

TEST_F(InvoiceRules, PostageIsOnTheSellerStrictlyAboveTheThreshold) {
  ASSERT_EQ(h.Send(Request("i1", {"o1"}, "200.00")), "accepted");
  ASSERT_EQ(h.Send(Request("i2", {"o2"}, "150.00", "2026-10-05T10:01:00+08:00")), "accepted");
  EXPECT_EQ(Invoice("i1")["postage"], "cod_allowed");
  Harness other;
  ASSERT_EQ(other.Send(ProductListed("p1")), "accepted");
  ASSERT_EQ(other.Send(OrderPlaced("o1", "p1", "300.00")), "accepted");
  ASSERT_EQ(other.Send(OrderPaid("o1", "300.00", "0.00")), "accepted");
  ASSERT_EQ(other.Send(Request("i1", {"o1"}, "200.01")), "accepted");
  EXPECT_EQ(other.Invoices("s1", 0)["invoices"][0]["postage"], "seller_pays");
}

TEST_F(InvoiceRules, OnlyAPendingRequestIsIssuedOrRejected) {
  ASSERT_EQ(h.Send(Request("i1", {"o1"}, "10.00")), "accepted");
  ASSERT_EQ(h.Send(Decide("InvoiceIssued", "i1", "2026-10-06T10:00:00+08:00")), "accepted");
  EXPECT_EQ(h.Send(Decide("InvoiceRejected", "i1", "2026-10-06T11:00:00+08:00")), "invoice_not_pending");
  EXPECT_EQ(h.Send(Decide("InvoiceIssued", "nope", "2026-10-06T11:00:00+08:00")), "unknown_invoice");
  EXPECT_EQ(h.Send(Request("i1", {"o2"}, "1.00", "2026-10-06T12:00:00+08:00")), "invoice_exists");
}

TEST_F(InvoiceRules, RejectionGivesTheAmountBack) {
  ASSERT_EQ(h.Send(Request("i1", {"o1"}, "200.00")), "accepted");
  ASSERT_EQ(h.Send(Decide("InvoiceRejected", "i1", "2026-10-06T10:00:00+08:00")), "accepted");
  EXPECT_EQ(h.OrderRow("s1", "o1")["invoiceable"], "200.00");
  EXPECT_EQ(Invoice("i1")["reason"], "wrong title");
  EXPECT_EQ(h.Send(Request("i2", {"o1"}, "200.00", "2026-10-06T11:00:00+08:00")), "accepted");
}

TEST_F(InvoiceRules, RefundAfterIssueBeyondCashNetNeedsACreditNote) {
  ASSERT_EQ(h.Send(Request("i1", {"o2"}, "150.00")), "accepted");
  ASSERT_EQ(h.Send(Decide("InvoiceIssued", "i1", "2026-10-06T10:00:00+08:00")), "accepted");
  EXPECT_FALSE(Invoice("i1")["needs_credit_note"].get<bool>());
  Json request = Event("RefundRequested", "", "2026-10-07T10:00:00+08:00");
  request["refund_id"] = "r1";
  request["order_id"] = "o2";
  request["amount"] = "50.00";
  request["initiator"] = "buyer";
  request["reason"] = "downgrade";
  request["release"] = "immediate";
  ASSERT_EQ(h.Send(request), "accepted");
  Json approve = Event("RefundApproved", "", "2026-10-07T11:00:00+08:00");
  approve["refund_id"] = "r1";
  approve["by"] = "seller";
  ASSERT_EQ(h.Send(approve), "accepted");
  EXPECT_TRUE(Invoice("i1")["needs_credit_note"].get<bool>());
  EXPECT_EQ(h.OrderRow("s1", "o2")["invoiceable"], "0.00");
}

TEST_F(InvoiceRules, PlatformInvoiceReceivedIsRecorded) {
  Json e = Event("PlatformInvoiceReceived", "", "2026-11-03T10:00:00+08:00");
  e["period"] = "2026-10";
  e["amount"] = "100.00";
  EXPECT_EQ(h.Send(e), "accepted");
}

}  // namespace
}  // namespace mkt::test
