// JSON of the `coupons` answer (INTERFACE.md), status evaluated at `as_of`.
#pragma once

#include "projections/coupon_list.h"
#include "projections/order_json.h"

namespace mkt {

Json CouponJson(const fb::CouponRowT& row, TzOffset tz, Micros as_of);
Json CouponListJson(const std::vector<fb::CouponRowT>& rows, TzOffset tz, Micros as_of);

}  // namespace mkt
