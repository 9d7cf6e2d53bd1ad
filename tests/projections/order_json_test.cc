// ROW's JSON text (projections/order_json.h): written directly, it must be
// exactly what nlohmann would print, so the CLI (which parses it) and `serve`
// (which sends it) print the same bytes.
#include "projections/order_json.h"

#include <gtest/gtest.h>

namespace mkt {
namespace {

OrderListEntry Order(std::string name) {
  OrderListEntry e;
  e.order.order_id = "o-1";
  e.order.seller_id = "s1";
  e.order.product_id = "p1";
  e.order.product_name = std::move(name);
  e.order.buyer_id = "b1";
  e.order.quantity = 3;
  e.order.status = fb::OrderStatus::paid;
  e.order.reseller_rate_bp = 1500;
  e.order.list_price = 200000;
  e.order.price = 180000;
  e.order.paid_cash = 150000;
  e.order.paid_voucher = 30000;
  e.order.placed_at_us = 1'790'000'000'000'000;
  e.order.expires_at_us = 1'790'604'800'000'000;
  e.order.paid_at_us = 1'790'000'100'000'000;
  e.order.eligible_at_us = 1'790'400'000'000'000;
  e.order.delivery_state = fb::DeliveryState::in_progress;
  e.order.delivery_template = "basic";
  return e;
}

TEST(OrderJson, PageTextIsWhatNlohmannPrintsForEveryKindOfCharacter) {
  OrderListPage page;
  page.rows.push_back(Order("quote \" backslash \\ newline \n tab \t bell \x07 del \x7f 标准版 end"));
  OrderListEntry refund = Order("plain");
  refund.refund = fb::RefundRowT();
  refund.refund->refund_id = "rf-1";
  refund.refund->amount = 50000;
  refund.refund->cash = 40000;
  refund.refund->voucher = 10000;
  refund.refund->decided_at_us = 1'790'500'000'000'000;
  page.rows.push_back(std::move(refund));
  page.next_cursor = "abc";
  const TzOffset tz{480};
  const std::string text = OrderPageText(page, tz, 1'790'450'000'000'000);
  const Json parsed = Json::parse(text);
  EXPECT_EQ(parsed.dump(), text);  // canonical: escaping, order and spacing as nlohmann's
  EXPECT_NE(text.find(R"("quote \" backslash \\ newline \n tab \t bell \u0007 del )"), std::string::npos) << text;
  EXPECT_EQ(parsed["orders"][0]["product_name"], "quote \" backslash \\ newline \n tab \t bell \x07 del \x7f 标准版 end");
  EXPECT_EQ(parsed["orders"][0]["payable"], "1800.00");
  EXPECT_EQ(parsed["orders"][0]["reseller_rate_bp"], 1500);
  EXPECT_EQ(parsed["orders"][0]["spec"], nullptr);
  EXPECT_EQ(parsed["orders"][0]["delivery"]["template"], "basic");
  EXPECT_EQ(parsed["orders"][0]["settlement"]["state"], "eligible");
  EXPECT_EQ(parsed["orders"][1]["kind"], "refund");
  EXPECT_EQ(parsed["orders"][1]["amount"], "-500.00");
  EXPECT_EQ(parsed["orders"][1]["settlement"], nullptr);
  EXPECT_EQ(parsed["next_cursor"], "abc");
  EXPECT_EQ(OrderPageJson(page, tz, 1'790'450'000'000'000), parsed);
}

TEST(OrderJson, AnEmptyPageHasNoRowsAndANullCursor) {
  EXPECT_EQ(OrderPageText(OrderListPage(), TzOffset{0}, 0), R"({"orders":[],"next_cursor":null})");
}

}  // namespace
}  // namespace mkt
