#include "projections/coupon_json.h"

#include "ledger/enum_names.h"
#include "ledger/money.h"

namespace mkt {
namespace {

Json OptionalMoney(const std::optional<int64_t>& fen) {
  return fen ? Json(FormatMoney(Fen(*fen))) : Json(nullptr);
}

// 8500 bp of the price paid -> "8.5" (zhe), as the seller entered it.
Json PayRate(const std::optional<int32_t>& bp) {
  if (!bp) return nullptr;
  return std::to_string(*bp / 1000) + "." + std::to_string(*bp / 100 % 10);
}

}  // namespace

Json CouponJson(const fb::CouponRowT& row, TzOffset tz, Micros as_of) {
  Json scenarios = Json::array();
  for (fb::Scenario s : row.scenarios) scenarios.push_back(SpecName(fb::EnumNameScenario(s)));
  return Json{{"coupon_id", row.coupon_id},
              {"name", row.name},
              {"kind", SpecName(fb::EnumNameCouponKind(row.kind))},
              {"status", CouponStatus(row, as_of)},
              {"claimed", row.claimed},
              {"redeemed", row.redeemed},
              {"total", row.total},
              {"scope", SpecName(fb::EnumNameCouponScope(row.scope))},
              {"product_ids", row.product_ids},
              {"pay_rate", PayRate(row.pay_rate_bp)},
              {"threshold", OptionalMoney(row.threshold)},
              {"amount_off", OptionalMoney(row.amount_off)},
              {"issue_from", FormatRfc3339(row.issue_from_us, tz)},
              {"issue_to", FormatRfc3339(row.issue_to_us, tz)},
              {"use_from", FormatRfc3339(row.use_from_us, tz)},
              {"use_to", FormatRfc3339(row.use_to_us, tz)},
              {"per_user_limit", row.per_user_limit},
              {"scenarios", std::move(scenarios)},
              {"visible", row.visible}};
}

Json CouponListJson(const std::vector<fb::CouponRowT>& rows, TzOffset tz, Micros as_of) {
  Json coupons = Json::array();
  for (const fb::CouponRowT& row : rows) coupons.push_back(CouponJson(row, tz, as_of));
  return Json{{"coupons", std::move(coupons)}};
}

}  // namespace mkt
