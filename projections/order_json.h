// JSON shapes of INTERFACE.md for the order list: ROW and the `order` answer.
// Money as two-decimal strings, times as RFC 3339 in the policy timezone.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "ledger/time.h"
#include "projections/order_list.h"

namespace mkt {

using Json = nlohmann::ordered_json;

// `now` decides the settlement state (eligible once now >= eligible_at) unless
// the settlement read model says the order is held or settled.
Json OrderRowJson(const fb::OrderRowT& row, const OrderSettlement& settlement, TzOffset tz,
                  Micros now);
// An approved refund as its own row (a reverse order): the order's descriptive
// fields, kind "refund", negative amounts, placed_at = approval time.
Json RefundListRowJson(const fb::OrderRowT& order, const fb::RefundRowT& refund, TzOffset tz);
Json RefundJson(const fb::RefundRowT& refund, TzOffset tz);
Json OrderDetailJson(const OrderDetail& detail, TzOffset tz, Micros now);
Json OrderPageJson(const OrderListPage& page, TzOffset tz, Micros now);
// The same page as JSON text, written directly, without building a Json
// document first (the `serve` hot path): equal to OrderPageJson(…).dump().
// ROW is defined once, by this writer; the Json functions above parse it.
std::string OrderPageText(const OrderListPage& page, TzOffset tz, Micros now);

}  // namespace mkt
