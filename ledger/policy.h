// Operator policy (LEDGER.md section 2): one TOML file over embedded defaults.
// Values that change what is derived at acceptance (deadlines, fee rates) are
// snapshotted into each accepted event's Derived table, so a later policy change
// never rewrites history.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "ledger/money.h"
#include "ledger/time.h"

namespace mkt {

inline constexpr size_t kOrderKinds = 5;  // fb::OrderKind values
inline constexpr size_t kCategories = 6;  // fb::Category values

// The strength model of LEDGER.md section 7: dimension weights, "target t"
// values, "lower is better, 0 at L" limits and tier thresholds.
struct StrengthModel {
  int32_t weight_transaction = 30, weight_delivery = 25, weight_expression = 20,
          weight_marketing = 15, weight_service = 10;
  double paying_buyer_rate = 0.8, orders = 100, paid_orders = 100;
  Fen gmv{10'000'000};  // 100000.00
  double renewal_rate = 0.3, repurchase_rate = 0.3, projects_opened = 20, projects_completed = 20;
  double five_star_orders = 50, uv = 10000, visitors = 5000, avg_dwell_seconds = 120;
  double quotes = 20, ticket_resolution_rate = 0.95;
  double refunds_zero_at = 10, refund_rate_zero_at = 0.2, avg_ticket_hours_zero_at = 72;
  double tier_super = 80, tier_premium = 60, tier_potential = 20;
};

struct Policy {
  TzOffset timezone{480};
  std::array<int32_t, kOrderKinds> unpaid_expiry_days{7, 7, 7, 7, 7};  // by fb::OrderKind
  int32_t no_reason_refund_days = 5;
  int32_t refund_auto_approve_days = 3;
  int32_t review_default_days = 30;
  std::array<Bp, kCategories> platform_fee_bp{1000, 1000, 1000, 1000, 1000, 1000};
  Bp reseller_rate_min_bp = 2000;
  Bp reseller_rate_max_bp = 6000;
  Bp reseller_rate_step_bp = 100;
  int32_t invoice_sla_working_days = 10;
  Fen invoice_seller_pays_postage_above{20000};
  std::vector<int32_t> holidays;  // local days since epoch, sorted
  StrengthModel strength;
};

// The defaults as TOML text: also the reference for the file's format.
const char* DefaultPolicyToml();

// Loads defaults, then overlays `path` if non-empty. Unknown keys, wrong types and
// out-of-range values are errors naming the key.
std::variant<Policy, std::string> LoadPolicy(const std::string& path);
std::variant<Policy, std::string> ParsePolicy(const std::string& toml_text,
                                              const std::string& source_name);

}  // namespace mkt
