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
};

// The defaults as TOML text: also the reference for the file's format.
const char* DefaultPolicyToml();

// Loads defaults, then overlays `path` if non-empty. Unknown keys, wrong types and
// out-of-range values are errors naming the key.
std::variant<Policy, std::string> LoadPolicy(const std::string& path);
std::variant<Policy, std::string> ParsePolicy(const std::string& toml_text,
                                              const std::string& source_name);

}  // namespace mkt
