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

# The 30-day product-strength score (LEDGER.md section 7).
[strength.weights]
transaction = 30
delivery = 25
expression = 20
marketing = 15
service = 10

[strength.targets]   # "target t": 100 * min(1, x / t)
paying_buyer_rate = 0.8
orders = 100
paid_orders = 100
gmv = "100000.00"
renewal_rate = 0.3
repurchase_rate = 0.3
projects_opened = 20
projects_completed = 20
five_star_orders = 50
uv = 10000
visitors = 5000
avg_dwell_seconds = 120
quotes = 20
ticket_resolution_rate = 0.95

[strength.zero_at]   # "lower is better, 0 at L": 100 * max(0, 1 - x / L)
refunds = 10
refund_rate = 0.2
avg_ticket_hours = 72

[strength.tiers]     # score at least
super = 80
premium = 60
potential = 20
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

// A positive number (integer or float) into `out`; absent keys leave it alone.
bool ReadPositive(const toml::table& table, const std::string& section, const char* key, double* out,
                  Error* error) {
  const toml::node* node = table.get(key);
  if (node == nullptr) return true;
  const auto value = node->value<double>();
  if (!(node->is_integer() || node->is_floating_point()) || !value || !(*value > 0)) {
    *error = "policy key " + section + key + " must be a number above 0";
    return false;
  }
  *out = *value;
  return true;
}

const toml::table* SubTable(const toml::table& parent, const char* key, const std::string& name,
                            bool* ok, Error* error) {
  const toml::node* node = parent.get(key);
  if (node == nullptr) return nullptr;
  if (!node->is_table()) {
    *error = "policy key " + name + " must be a table";
    *ok = false;
  }
  return node->as_table();
}

bool ReadStrengthTargets(const toml::table& t, StrengthModel* m, Error* error) {
  const std::string s = "strength.targets.";
  if (!CheckKeys(t, s, {"paying_buyer_rate", "orders", "paid_orders", "gmv", "renewal_rate",
                        "repurchase_rate", "projects_opened", "projects_completed", "five_star_orders",
                        "uv", "visitors", "avg_dwell_seconds", "quotes", "ticket_resolution_rate"},
                 error)) {
    return false;
  }
  if (const toml::node* gmv = t.get("gmv")) {
    const auto text = gmv->value<std::string>();
    const auto fen = text ? ParseMoney(*text) : std::nullopt;
    if (!gmv->is_string() || !fen || *fen == Fen(0)) {
      *error = "policy key strength.targets.gmv must be a money string above \"0.00\"";
      return false;
    }
    m->gmv = *fen;
  }
  return ReadPositive(t, s, "paying_buyer_rate", &m->paying_buyer_rate, error) &&
         ReadPositive(t, s, "orders", &m->orders, error) && ReadPositive(t, s, "paid_orders", &m->paid_orders, error) &&
         ReadPositive(t, s, "renewal_rate", &m->renewal_rate, error) &&
         ReadPositive(t, s, "repurchase_rate", &m->repurchase_rate, error) &&
         ReadPositive(t, s, "projects_opened", &m->projects_opened, error) &&
         ReadPositive(t, s, "projects_completed", &m->projects_completed, error) &&
         ReadPositive(t, s, "five_star_orders", &m->five_star_orders, error) && ReadPositive(t, s, "uv", &m->uv, error) &&
         ReadPositive(t, s, "visitors", &m->visitors, error) &&
         ReadPositive(t, s, "avg_dwell_seconds", &m->avg_dwell_seconds, error) &&
         ReadPositive(t, s, "quotes", &m->quotes, error) &&
         ReadPositive(t, s, "ticket_resolution_rate", &m->ticket_resolution_rate, error);
}

bool ReadStrength(const toml::table& root, StrengthModel* m, Error* error) {
  bool ok = true;
  const toml::table* strength = SubTable(root, "strength", "strength", &ok, error);
  if (strength == nullptr) return ok;
  if (!CheckKeys(*strength, "strength.", {"weights", "targets", "zero_at", "tiers"}, error)) return false;
  const toml::table* weights = SubTable(*strength, "weights", "strength.weights", &ok, error);
  const toml::table* targets = SubTable(*strength, "targets", "strength.targets", &ok, error);
  const toml::table* zero_at = SubTable(*strength, "zero_at", "strength.zero_at", &ok, error);
  const toml::table* tiers = SubTable(*strength, "tiers", "strength.tiers", &ok, error);
  if (!ok) return false;
  if (weights != nullptr &&
      !(CheckKeys(*weights, "strength.weights.", {"transaction", "delivery", "expression", "marketing", "service"}, error) &&
        ReadInt(weights->get("transaction"), "strength.weights.transaction", 1, 100, &m->weight_transaction, error) &&
        ReadInt(weights->get("delivery"), "strength.weights.delivery", 1, 100, &m->weight_delivery, error) &&
        ReadInt(weights->get("expression"), "strength.weights.expression", 1, 100, &m->weight_expression, error) &&
        ReadInt(weights->get("marketing"), "strength.weights.marketing", 1, 100, &m->weight_marketing, error) &&
        ReadInt(weights->get("service"), "strength.weights.service", 1, 100, &m->weight_service, error))) {
    return false;
  }
  if (targets != nullptr && !ReadStrengthTargets(*targets, m, error)) return false;
  const std::string z = "strength.zero_at.", t = "strength.tiers.";
  if (zero_at != nullptr &&
      !(CheckKeys(*zero_at, z, {"refunds", "refund_rate", "avg_ticket_hours"}, error) &&
        ReadPositive(*zero_at, z, "refunds", &m->refunds_zero_at, error) &&
        ReadPositive(*zero_at, z, "refund_rate", &m->refund_rate_zero_at, error) &&
        ReadPositive(*zero_at, z, "avg_ticket_hours", &m->avg_ticket_hours_zero_at, error))) {
    return false;
  }
  if (tiers != nullptr &&
      !(CheckKeys(*tiers, t, {"super", "premium", "potential"}, error) &&
        ReadPositive(*tiers, t, "super", &m->tier_super, error) &&
        ReadPositive(*tiers, t, "premium", &m->tier_premium, error) &&
        ReadPositive(*tiers, t, "potential", &m->tier_potential, error))) {
    return false;
  }
  if (!(m->tier_potential <= m->tier_premium && m->tier_premium <= m->tier_super)) {
    *error = "policy: strength.tiers must satisfy potential <= premium <= super";
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
                    "platform_fee_bp", "reseller_rate_bp", "strength"},
                   error) &&
         ReadScalars(root, p, error) && ReadHolidays(root, p, error) &&
         ReadEnumTable(root, "unpaid_expiry_days", kKinds, 1, 365, &p->unpaid_expiry_days,
                       error) &&
         ReadEnumTable(root, "platform_fee_bp", kCats, 0, 10000, &p->platform_fee_bp, error) &&
         ReadResellerRange(root, p, error) && ReadStrength(root, &p->strength, error);
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
