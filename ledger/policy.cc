#include "ledger/policy.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <toml++/toml.h>


namespace mkt {
namespace {

constexpr const char* kDefaults = R"(# Marketplace ledger policy (LEDGER.md section 2). Every key is optional.
timezone = "+08:00"
no_reason_refund_days = 5
refund_auto_approve_days = 3
review_default_days = 30
invoice_sla_working_days = 10
invoice_seller_pays_postage_above = "200.00"
holidays = []   # ["2026-10-01", ...] local dates that are not working days

[unpaid_expiry_days]
new = 7
trial = 7
convert = 7
renew = 7
upgrade = 7

[platform_fee_bp]
image = 1000
api = 1000
saas = 1000
service = 1000
license = 1000
hardware = 1000

[reseller_rate_bp]
min = 2000
max = 6000
step = 100
)";

using Error = std::string;

// Reads an integer key in [lo, hi] into `out`; absent keys leave `out` alone.
template <typename T>
bool ReadInt(const toml::node* node, const std::string& key, int64_t lo, int64_t hi, T* out,
             Error* error) {
  if (node == nullptr) return true;
  const auto value = node->value<int64_t>();
  if (!node->is_integer() || !value || *value < lo || *value > hi) {
    *error = "policy key " + key + " must be an integer in " + std::to_string(lo) + ".." +
             std::to_string(hi);
    return false;
  }
  *out = static_cast<T>(*value);
  return true;
}

bool CheckKeys(const toml::table& table, const std::string& prefix,
               std::initializer_list<std::string_view> allowed, Error* error) {
  for (const auto& [key, node] : table) {
    if (std::find(allowed.begin(), allowed.end(), key.str()) == allowed.end()) {
      *error = "unknown policy key " + prefix + std::string(key.str());
      return false;
    }
  }
  return true;
}

template <size_t N>
bool ReadEnumTable(const toml::table& root, const char* section, const char* const* names,
                   int64_t lo, int64_t hi, std::array<int32_t, N>* out, Error* error) {
  const toml::node* node = root.get(section);
  if (node == nullptr) return true;
  const toml::table* table = node->as_table();
  if (table == nullptr) {
    *error = std::string("policy key ") + section + " must be a table";
    return false;
  }
  for (const auto& [key, value] : *table) {
    size_t i = 0;
    while (i < N && key.str() != names[i]) ++i;
    if (i == N) {
      *error = std::string("unknown policy key ") + section + "." + std::string(key.str());
      return false;
    }
    if (!ReadInt(&value, std::string(section) + "." + std::string(key.str()), lo, hi, &(*out)[i],
                 error)) {
      return false;
    }
  }
  return true;
}

bool ReadScalars(const toml::table& root, Policy* p, Error* error) {
  if (const toml::node* tz = root.get("timezone")) {
    const auto text = tz->value<std::string>();
    const auto offset = text ? ParseOffset(*text) : std::nullopt;
    if (!offset) {
      *error = "policy key timezone must be an offset like \"+08:00\"";
      return false;
    }
    p->timezone = *offset;
  }
  if (const toml::node* postage = root.get("invoice_seller_pays_postage_above")) {
    const auto text = postage->value<std::string>();
    const auto fen = text ? ParseMoney(*text) : std::nullopt;
    if (!fen) {
      *error = "policy key invoice_seller_pays_postage_above must be a money string like \"200.00\"";
      return false;
    }
    p->invoice_seller_pays_postage_above = *fen;
  }
  return ReadInt(root.get("no_reason_refund_days"), "no_reason_refund_days", 0, 365,
                 &p->no_reason_refund_days, error) &&
         ReadInt(root.get("refund_auto_approve_days"), "refund_auto_approve_days", 1, 365,
                 &p->refund_auto_approve_days, error) &&
         ReadInt(root.get("review_default_days"), "review_default_days", 1, 365,
                 &p->review_default_days, error) &&
         ReadInt(root.get("invoice_sla_working_days"), "invoice_sla_working_days", 1, 365,
                 &p->invoice_sla_working_days, error);
}

bool ReadHolidays(const toml::table& root, Policy* p, Error* error) {
  const toml::node* node = root.get("holidays");
  if (node == nullptr) return true;
  const toml::array* array = node->as_array();
  if (array == nullptr) {
    *error = "policy key holidays must be an array of \"YYYY-MM-DD\" strings";
    return false;
  }
  p->holidays.clear();
  for (const toml::node& item : *array) {
    const auto text = item.value<std::string>();
    const auto day = text ? ParseDate(*text) : std::nullopt;
    if (!day) {
      *error = "policy key holidays: every entry must be a \"YYYY-MM-DD\" string";
      return false;
    }
    p->holidays.push_back(*day);
  }
  std::sort(p->holidays.begin(), p->holidays.end());
  p->holidays.erase(std::unique(p->holidays.begin(), p->holidays.end()), p->holidays.end());
  return true;
}

bool ReadResellerRange(const toml::table& root, Policy* p, Error* error) {
  const toml::node* node = root.get("reseller_rate_bp");
  if (node == nullptr) return true;
  const toml::table* table = node->as_table();
  if (table == nullptr) {
    *error = "policy key reseller_rate_bp must be a table";
    return false;
  }
  if (!CheckKeys(*table, "reseller_rate_bp.", {"min", "max", "step"}, error) ||
      !ReadInt(table->get("min"), "reseller_rate_bp.min", 0, 10000, &p->reseller_rate_min_bp,
               error) ||
      !ReadInt(table->get("max"), "reseller_rate_bp.max", 0, 10000, &p->reseller_rate_max_bp,
               error) ||
      !ReadInt(table->get("step"), "reseller_rate_bp.step", 1, 10000, &p->reseller_rate_step_bp,
               error)) {
    return false;
  }
  if (p->reseller_rate_min_bp > p->reseller_rate_max_bp) {
    *error = "policy: reseller_rate_bp.min must not exceed reseller_rate_bp.max";
    return false;
  }
  return true;
}

bool Overlay(const toml::table& root, Policy* p, Error* error) {
  static const char* const kKinds[] = {"new", "renew", "trial", "convert", "upgrade"};
  static const char* const kCats[] = {"image", "api", "saas", "service", "license", "hardware"};
  static_assert(std::size(kKinds) == kOrderKinds && std::size(kCats) == kCategories);
  return CheckKeys(root, "",
                   {"timezone", "no_reason_refund_days", "refund_auto_approve_days",
                    "review_default_days", "invoice_sla_working_days",
                    "invoice_seller_pays_postage_above", "holidays", "unpaid_expiry_days",
                    "platform_fee_bp", "reseller_rate_bp"},
                   error) &&
         ReadScalars(root, p, error) && ReadHolidays(root, p, error) &&
         ReadEnumTable(root, "unpaid_expiry_days", kKinds, 1, 365, &p->unpaid_expiry_days,
                       error) &&
         ReadEnumTable(root, "platform_fee_bp", kCats, 0, 10000, &p->platform_fee_bp, error) &&
         ReadResellerRange(root, p, error);
}

}  // namespace

const char* DefaultPolicyToml() { return kDefaults; }

namespace {

std::variant<Policy, std::string> OverlayText(const std::string& text, const std::string& source,
                                              Policy policy) {
  toml::table root;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    std::ostringstream msg;
    msg << "policy " << source << ": " << e.description() << " at line "
        << e.source().begin.line;
    return msg.str();
  }
  Error error;
  if (!Overlay(root, &policy, &error)) return source + ": " + error;
  return policy;
}

}  // namespace

std::variant<Policy, std::string> ParsePolicy(const std::string& text, const std::string& source) {
  auto defaults = OverlayText(kDefaults, "<defaults>", Policy{});
  if (std::holds_alternative<std::string>(defaults)) return defaults;
  return OverlayText(text, source, std::get<Policy>(defaults));
}

std::variant<Policy, std::string> LoadPolicy(const std::string& path) {
  if (path.empty()) return ParsePolicy("", "<defaults>");
  std::ifstream in(path);
  if (!in) return "cannot read policy file " + path;
  std::stringstream text;
  text << in.rdbuf();
  return ParsePolicy(text.str(), path);
}

}  // namespace mkt
