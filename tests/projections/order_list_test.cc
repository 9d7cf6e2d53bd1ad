// The order list: newest first, filters, cursor pagination, one order's history.
#include <gtest/gtest.h>

#include <set>

#include "tests/harness.h"

namespace mkt::test {
namespace {

class OrderList : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(h.Send(ProductListed("p1")), "accepted");
    ASSERT_EQ(h.Send(ProductListed("p2", "api")), "accepted");
  }
  void Place(const std::string& order, const std::string& product, const std::string& at,
             const std::string& buyer = "b1", const std::string& kind = "new") {
    Json e = OrderPlaced(order, product, "10.00", at);
    e["buyer_id"] = buyer;
    e["kind"] = kind;
    ASSERT_EQ(h.Send(e), "accepted");
  }
  static std::vector<std::string> Ids(const std::vector<Json>& rows) {
    std::vector<std::string> ids;
    for (const Json& r : rows) ids.push_back(r["order_id"]);
    return ids;
  }
  OrderListQuery Query() {
    OrderListQuery q;
    q.seller_id = "s1";
    return q;
  }
  Harness h;
};

TEST_F(OrderList, NewestFirstThenOrderIdDescending) {
  Place("a", "p1", "2026-10-02T10:00:00+08:00");
  Place("c", "p1", "2026-10-03T10:00:00+08:00");
  Place("b", "p1", "2026-10-03T10:00:00+08:00");
  Place("bb", "p1", "2026-10-03T10:00:00+08:00");
  Place("d", "p1", "2026-10-01T10:00:00+08:00");
  EXPECT_EQ(Ids(h.OrderRows(Query())), (std::vector<std::string>{"c", "bb", "b", "a", "d"}));
}

TEST_F(OrderList, OnlyTheSellersOwnOrders) {
  Place("a", "p1", "2026-10-02T10:00:00+08:00");
  Json other = ProductListed("p1");
  other["seller_id"] = "s10";
  ASSERT_EQ(h.Send(other), "accepted");
  Json placed = OrderPlaced("x", "p1", "1.00");
  placed["seller_id"] = "s10";
  ASSERT_EQ(h.Send(placed), "accepted");
  EXPECT_EQ(Ids(h.OrderRows(Query())), (std::vector<std::string>{"a"}));
}

TEST_F(OrderList, FiltersByStatusKindProductBuyerChannel) {
  Place("a", "p1", "2026-10-02T10:00:00+08:00", "b1", "new");
  Place("b", "p2", "2026-10-02T11:00:00+08:00", "b2", "renew");
  Place("c", "p1", "2026-10-02T12:00:00+08:00", "b2", "new");
  ASSERT_EQ(h.Send(OrderPaid("c", "10.00", "0.00", "2026-10-02T13:00:00+08:00")), "accepted");
  OrderListQuery q = Query();
  q.status = fb::OrderStatus::paid;
  EXPECT_EQ(Ids(h.OrderRows(q)), (std::vector<std::string>{"c"}));
  q = Query();
  q.kind = fb::OrderKind::renew;
  EXPECT_EQ(Ids(h.OrderRows(q)), (std::vector<std::string>{"b"}));
  q = Query();
  q.product_id = "p1";
  EXPECT_EQ(Ids(h.OrderRows(q)), (std::vector<std::string>{"c", "a"}));
  q = Query();
  q.buyer_id = "b2";
  q.status = fb::OrderStatus::unpaid;
  EXPECT_EQ(Ids(h.OrderRows(q)), (std::vector<std::string>{"b"}));
  q = Query();
  q.channel = fb::Channel::reseller;
  EXPECT_TRUE(h.OrderRows(q).empty());
}

TEST_F(OrderList, FromIsInclusiveAndToIsExclusive) {
  Place("a", "p1", "2026-10-01T00:00:00+08:00");
  Place("b", "p1", "2026-10-01T23:59:59+08:00");
  Place("c", "p1", "2026-10-02T00:00:00+08:00");
  OrderListQuery q = Query();
  q.from = T("2026-10-01T00:00:00+08:00");
  q.to = T("2026-10-02T00:00:00+08:00");
  EXPECT_EQ(Ids(h.OrderRows(q)), (std::vector<std::string>{"b", "a"}));
}

TEST_F(OrderList, CursorPagesVisitEveryOrderExactlyOnce) {
  for (int i = 0; i < 23; ++i) {
    // Several orders share a timestamp so pages split inside a tie.
    Place("o" + std::to_string(i), "p1",
          "2026-10-0" + std::to_string(1 + i / 5) + "T10:00:00+08:00");
  }
  OrderListQuery q = Query();
  q.limit = 4;
  std::vector<std::string> seen;
  std::optional<std::string> next;
  int pages = 0;
  do {
    const auto rows = h.OrderRows(q, &next);
    for (const auto& id : Ids(rows)) seen.push_back(id);
    q.cursor = next.value_or("");
    ++pages;
  } while (next && pages < 100);
  EXPECT_EQ(seen.size(), 23u);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 23u);
  q = Query();
  q.limit = 1000;
  EXPECT_EQ(Ids(h.OrderRows(q)), seen);
}

TEST_F(OrderList, LastPageHasNoCursor) {
  Place("a", "p1", "2026-10-02T10:00:00+08:00");
  Place("b", "p1", "2026-10-02T11:00:00+08:00");
  OrderListQuery q = Query();
  q.limit = 2;
  std::optional<std::string> next = "unset";
  EXPECT_EQ(h.OrderRows(q, &next).size(), 2u);
  EXPECT_FALSE(next);
}

TEST_F(OrderList, GarbageCursorIsAnError) {
  OrderListQuery q = Query();
  q.cursor = "zz";
  const auto page = h.orders().List(q);
  ASSERT_TRUE(std::holds_alternative<std::string>(page));
  EXPECT_NE(std::get<std::string>(page).find("cursor"), std::string::npos);
}

TEST_F(OrderList, OrderShowsItsFullHistoryInSeqOrder) {
  Place("a", "p1", "2026-10-02T10:00:00+08:00");
  ASSERT_EQ(h.Send(OrderPriceChanged("a", "8.00", "2026-10-02T10:10:00+08:00")), "accepted");
  ASSERT_EQ(h.Send(OrderPaid("a", "8.00", "0.00", "2026-10-02T10:20:00+08:00")), "accepted");
  const Json order = h.Order("s1", "a");
  ASSERT_EQ(order["history"].size(), 3u);
  EXPECT_EQ(order["history"][0]["type"], "OrderPlaced");
  EXPECT_EQ(order["history"][1]["type"], "OrderPriceChanged");
  EXPECT_EQ(order["history"][2]["type"], "OrderPaid");
  EXPECT_EQ(order["history"][2]["at"], "2026-10-02T10:20:00+08:00");
  EXPECT_LT(order["history"][0]["seq"].get<uint64_t>(), order["history"][1]["seq"].get<uint64_t>());
  EXPECT_EQ(order["order"]["price"], "8.00");
  EXPECT_EQ(h.orders().SellersOf("a"), (std::vector<std::string>{"s1"}));
}

TEST_F(OrderList, RowHasEveryInterfaceField) {
  Place("a", "p1", "2026-10-02T10:00:00+08:00");
  const Json row = h.OrderRow("s1", "a");
  for (const char* field :
       {"order_id", "seller_id", "product_id", "product_name", "buyer_id", "kind", "spec",
        "quantity", "channel", "reseller_id", "reseller_rate_bp", "status", "list_price", "price",
        "discount", "payable", "paid_cash", "paid_voucher", "refunded", "invoiced", "invoiceable",
        "placed_at", "paid_at", "expires_at", "coupon_id", "delivery", "settlement"}) {
    EXPECT_TRUE(row.contains(field)) << field;
  }
  EXPECT_TRUE(row["paid_at"].is_null());
  EXPECT_TRUE(row["reseller_id"].is_null());
}

}  // namespace
}  // namespace mkt::test
