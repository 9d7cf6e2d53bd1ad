// LEDGER.md section 4.4: delivery supervision.
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

class DeliveryRules : public ::testing::Test {
 protected:
  // A paid service order (template basic: submit_requirement (buyer) ->
  // deliver (seller) -> confirm_delivery (buyer, rejectable, 14 d)).
  void SetUp() override {
    ASSERT_EQ(h.Send(ProductListed("svc", "service")), "accepted");
    ASSERT_EQ(h.Send(OrderPlaced("o1", "svc", "500.00")), "accepted");
    ASSERT_EQ(h.Send(OrderPaid("o1", "500.00", "0.00")), "accepted");  // 10-02 11:00
  }
  Json Delivery() { return h.OrderRow("s1", "o1")["delivery"]; }
  void ToConfirm() {
    ASSERT_EQ(h.Send(Step("o1", "submit_requirement", "complete", "buyer", "2026-10-02T12:00:00+08:00")), "accepted");
    ASSERT_EQ(h.Send(Step("o1", "deliver", "complete", "seller", "2026-10-03T12:00:00+08:00")), "accepted");
  }
  Harness h;
};

TEST_F(DeliveryRules, NodesCompleteInOrderByTheirActor) {
  EXPECT_EQ(Delivery()["node"], "submit_requirement");
  EXPECT_EQ(h.Send(Step("o1", "deliver", "complete", "seller", "2026-10-02T12:00:00+08:00")),
            "delivery_step_invalid");
  EXPECT_EQ(h.Send(Step("o1", "submit_requirement", "complete", "seller", "2026-10-02T12:00:00+08:00")),
            "delivery_step_invalid");
  ToConfirm();
  EXPECT_EQ(Delivery()["node"], "confirm_delivery");
  EXPECT_EQ(Delivery()["state"], "in_progress");
  EXPECT_EQ(h.Send(Step("o1", "confirm_delivery", "complete", "buyer", "2026-10-04T12:00:00+08:00")), "accepted");
  EXPECT_EQ(Delivery()["state"], "completed");
}

TEST_F(DeliveryRules, CompletionMakesTheOrderEligible) {
  EXPECT_TRUE(h.OrderRow("s1", "o1")["settlement"]["eligible_at"].is_null());
  ToConfirm();
  ASSERT_EQ(h.Send(Step("o1", "confirm_delivery", "complete", "buyer", "2026-10-04T12:00:00+08:00")), "accepted");
  EXPECT_EQ(h.OrderRow("s1", "o1")["settlement"]["eligible_at"], "2026-10-04T12:00:00+08:00");
}

TEST_F(DeliveryRules, RejectMovesBackToThePreviousNodeOnlyOnRejectableNodes) {
  EXPECT_EQ(h.Send(Step("o1", "submit_requirement", "reject", "buyer", "2026-10-02T12:00:00+08:00")),
            "delivery_step_invalid");
  ToConfirm();
  EXPECT_EQ(h.Send(Step("o1", "confirm_delivery", "reject", "buyer", "2026-10-04T12:00:00+08:00")), "accepted");
  EXPECT_EQ(Delivery()["node"], "deliver");
}

TEST_F(DeliveryRules, AppealFreezesTheFlowUntilThePlatformResolves) {
  ASSERT_EQ(h.Send(Step("o1", "submit_requirement", "appeal", "seller", "2026-10-02T12:00:00+08:00")), "accepted");
  EXPECT_EQ(Delivery()["state"], "appeal");
  EXPECT_EQ(h.Send(Step("o1", "submit_requirement", "complete", "buyer", "2026-10-02T13:00:00+08:00")),
            "delivery_step_invalid");
  Json resolve = Step("o1", "submit_requirement", "resolve_appeal", "buyer", "2026-10-02T14:00:00+08:00");
  resolve["outcome"] = "continue";
  EXPECT_EQ(h.Send(resolve), "delivery_step_invalid");  // only the platform resolves
  resolve["actor"] = "platform";
  resolve.erase("outcome");
  resolve["event_id"] = "resolve-2";
  EXPECT_EQ(h.Send(resolve), "missing_field");
  resolve["outcome"] = "continue";
  resolve["event_id"] = "resolve-3";
  EXPECT_EQ(h.Send(resolve), "accepted");
  EXPECT_EQ(Delivery()["state"], "in_progress");
  EXPECT_EQ(h.Send(Step("o1", "submit_requirement", "complete", "buyer", "2026-10-02T15:00:00+08:00")), "accepted");
}

TEST_F(DeliveryRules, PlatformMayTerminateOnAppeal) {
  ASSERT_EQ(h.Send(Step("o1", "submit_requirement", "appeal", "buyer", "2026-10-02T12:00:00+08:00")), "accepted");
  Json resolve = Step("o1", "submit_requirement", "resolve_appeal", "platform", "2026-10-03T12:00:00+08:00");
  resolve["outcome"] = "terminate";
  ASSERT_EQ(h.Send(resolve), "accepted");
  EXPECT_EQ(Delivery()["state"], "terminated");
  EXPECT_EQ(h.OrderRow("s1", "o1")["settlement"]["eligible_at"], "2026-10-03T12:00:00+08:00");
  EXPECT_EQ(h.Send(Step("o1", "submit_requirement", "complete", "buyer", "2026-10-04T12:00:00+08:00")),
            "delivery_closed");
}

TEST_F(DeliveryRules, ResolveWithoutAnOpenAppealIsInvalid) {
  Json resolve = Step("o1", "submit_requirement", "resolve_appeal", "platform", "2026-10-02T12:00:00+08:00");
  resolve["outcome"] = "continue";
  EXPECT_EQ(h.Send(resolve), "delivery_step_invalid");
}

TEST_F(DeliveryRules, TimedOutNodeIsCompletedBySystemOnlyWhenDue) {
  ToConfirm();  // confirm_delivery entered 10-03 12:00, times out after 14 days
  EXPECT_EQ(h.Send(Step("o1", "confirm_delivery", "complete", "system", "2026-10-17T11:59:59+08:00")), "not_due");
  EXPECT_EQ(h.Send(Step("o1", "confirm_delivery", "complete", "system", "2026-10-17T12:00:00+08:00")), "accepted");
  EXPECT_EQ(Delivery()["state"], "completed");
}

TEST_F(DeliveryRules, ProductWithoutTemplateIsDeliveryNotApplicable) {
  ASSERT_EQ(h.Send(ProductListed("img", "image")), "accepted");
  ASSERT_EQ(h.Send(OrderPlaced("o2", "img", "10.00")), "accepted");
  ASSERT_EQ(h.Send(OrderPaid("o2", "10.00", "0.00")), "accepted");
  EXPECT_EQ(h.Send(Step("o2", "deliver", "complete", "seller", "2026-10-03T12:00:00+08:00")),
            "delivery_not_applicable");
}

TEST_F(DeliveryRules, UnpaidOrderHasNoDeliveryYet) {
  ASSERT_EQ(h.Send(OrderPlaced("o2", "svc", "10.00")), "accepted");
  EXPECT_EQ(h.Send(Step("o2", "submit_requirement", "complete", "buyer", "2026-10-03T12:00:00+08:00")),
            "delivery_step_invalid");
}

TEST_F(DeliveryRules, ImmediateRefundTerminatesDelivery) {
  Json request = Event("RefundRequested", "", "2026-10-02T12:00:00+08:00");
  request["refund_id"] = "r1";
  request["order_id"] = "o1";
  request["amount"] = "100.00";
  request["initiator"] = "buyer";
  request["reason"] = "changed plans";
  request["release"] = "immediate";
  ASSERT_EQ(h.Send(request), "accepted");
  EXPECT_EQ(Delivery()["state"], "in_progress");  // only approval ends it
  Json approve = Event("RefundApproved", "", "2026-10-02T13:00:00+08:00");
  approve["refund_id"] = "r1";
  approve["by"] = "seller";
  ASSERT_EQ(h.Send(approve), "accepted");
  EXPECT_EQ(Delivery()["state"], "terminated");
  EXPECT_EQ(h.OrderRow("s1", "o1")["settlement"]["eligible_at"], "2026-10-02T13:00:00+08:00");
}

TEST_F(DeliveryRules, ActualStartMayAccompanyTheSellersDelivery) {
  ASSERT_EQ(h.Send(Step("o1", "submit_requirement", "complete", "buyer", "2026-10-02T12:00:00+08:00")), "accepted");
  Json deliver = Step("o1", "deliver", "complete", "seller", "2026-10-03T12:00:00+08:00");
  deliver["actual_start"] = "2026-10-03T09:00:00+08:00";
  ASSERT_EQ(h.Send(deliver), "accepted");
  EXPECT_EQ(Delivery()["service_start"], "2026-10-03T09:00:00+08:00");
  Json confirm = Step("o1", "confirm_delivery", "complete", "buyer", "2026-10-04T12:00:00+08:00");
  confirm["actual_start"] = "2026-10-03T09:00:00+08:00";
  EXPECT_EQ(h.Send(confirm), "delivery_step_invalid");
}

TEST_F(DeliveryRules, SellerDefinedTemplateDrivesItsProducts) {
  Json defined = Event("DeliveryTemplateDefined", "", "2026-10-01T08:00:00+08:00");
  defined["template_id"] = "install";
  defined["nodes"] = Json::array({Json{{"name", "install"}, {"actor", "seller"}, {"rejectable", false}},
                                  Json{{"name", "sign_off"}, {"actor", "buyer"}, {"rejectable", true},
                                       {"timeout_days", 2.5}}});
  ASSERT_EQ(h.Send(defined), "accepted");
  EXPECT_EQ(h.Send(defined), "duplicate");
  defined["event_id"] = "again";
  EXPECT_EQ(h.Send(defined), "malformed");  // template_id exists
  Json listed = ProductListed("hw2", "hardware", "2026-10-01T09:00:00+08:00");
  listed["delivery_template"] = "install";
  ASSERT_EQ(h.Send(listed), "accepted");
  ASSERT_EQ(h.Send(OrderPlaced("o2", "hw2", "80.00")), "accepted");
  ASSERT_EQ(h.Send(OrderPaid("o2", "80.00", "0.00")), "accepted");
  EXPECT_EQ(h.OrderRow("s1", "o2")["delivery"]["node"], "install");
  ASSERT_EQ(h.Send(Step("o2", "install", "complete", "seller", "2026-10-03T00:00:00+08:00")), "accepted");
  EXPECT_EQ(h.Send(Step("o2", "sign_off", "complete", "system", "2026-10-05T11:59:59+08:00")), "not_due");
  EXPECT_EQ(h.Send(Step("o2", "sign_off", "complete", "system", "2026-10-05T12:00:00+08:00")), "accepted");
}

TEST_F(DeliveryRules, TemplateMustEndWithTheBuyer) {
  Json defined = Event("DeliveryTemplateDefined", "", "2026-10-01T08:00:00+08:00");
  defined["template_id"] = "bad";
  defined["nodes"] = Json::array({Json{{"name", "ship"}, {"actor", "seller"}, {"rejectable", false}}});
  EXPECT_EQ(h.Send(defined), "malformed");
  EXPECT_NE(h.last_message().find("buyer"), std::string::npos);
}

}  // namespace
}  // namespace mkt::test
