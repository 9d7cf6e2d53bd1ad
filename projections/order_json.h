// JSON shapes of INTERFACE.md for the order list: ROW and the `order` answer.
// Money as two-decimal strings, times as RFC 3339 in the policy timezone.
#pragma once

#include <nlohmann/json.hpp>

#include "ledger/time.h"
#include "projections/order_list.h"

namespace mkt {

using Json = nlohmann::ordered_json;

// `now` decides the settlement state (eligible once now >= eligible_at).
Json OrderRowJson(const fb::OrderRowT& row, TzOffset tz, Micros now);
Json OrderDetailJson(const OrderDetail& detail, TzOffset tz, Micros now);
Json OrderPageJson(const OrderListPage& page, TzOffset tz, Micros now);

}  // namespace mkt
