// `ledger audit statement --seller S --period M`: recompute a closed statement
// from the log alone (replay/audit_statement.h) and compare it field by field
// with its SettlementClosed event. Exit 0 when everything matches, 3 when the
// statement is missing, differs, or the chain broke before it.
#include <stdlib.h>

#include <cstdio>
#include <filesystem>

#include "ledger/money.h"
#include "ops/cli/commands.h"
#include "replay/audit_statement.h"

namespace mkt::cli {
namespace {

Json AuditJson(const StatementAudit& a, std::string_view seller, int32_t period, TzOffset tz) {
  Json fields = Json::array();
  for (const FieldCheck& f : a.fields) {
    fields.push_back(Json{{"field", f.field},
                          {"recorded", FormatMoney(Fen(f.recorded))},
                          {"recomputed", FormatMoney(Fen(f.recomputed))},
                          {"equal", f.recorded == f.recomputed}});
  }
  Json first_break = nullptr;
  if (a.chain_break) {
    first_break = Json{{"partition", a.chain_break->partition},
                       {"seq", a.chain_break->seq},
                       {"reason", a.chain_break->reason}};
  }
  return Json{{"seller_id", seller},
              {"period", FormatPeriod(period)},
              {"matches", a.matches()},
              {"found", a.found},
              {"partition", a.partition},
              {"seq", a.found ? Json(a.seq) : Json(nullptr)},
              {"closed_at", a.found ? Json(FormatRfc3339(a.closed_at, tz)) : Json(nullptr)},
              {"head_hash", a.found ? Json(a.head_hash) : Json(nullptr)},
              {"head_hash_matches", a.head_hash_matches},
              {"chain", a.chain_break ? "broken" : "ok"},
              {"first_break", first_break},
              {"events_replayed", a.events_replayed},
              {"fields", fields}};
}

}  // namespace

int RunAuditStatement(Context& ctx, const std::string& seller, const std::string& period_text) {
  const auto period = ParsePeriod(period_text);
  if (!period) return Fail({kExitUsage, "--period: \"" + period_text + "\" is not YYYY-MM"});
  if (auto error = ctx.OpenStore()) return Fail(*error);
  std::string scratch = (std::filesystem::temp_directory_path() / "ledger-audit-XXXXXX").string();
  if (mkdtemp(scratch.data()) == nullptr) return Fail({kExitFatal, "cannot create " + scratch});
  auto result = AuditStatement(ctx.log(), seller, *period, ctx.tz(), scratch);
  std::error_code ignored;
  std::filesystem::remove_all(scratch, ignored);
  if (auto* error = std::get_if<std::string>(&result)) return Fail({kExitFatal, *error});
  const StatementAudit& audit = std::get<StatementAudit>(result);
  const Json json = AuditJson(audit, seller, *period, ctx.tz());
  if (ctx.json()) {
    PrintJson(json);
  } else if (!audit.found) {
    std::printf("no closed statement of %s for %s in the log%s\n", seller.c_str(), period_text.c_str(),
                audit.chain_break ? " (the chain broke before the end)" : "");
  } else {
    std::printf("statement %s %s closed at partition %u seq %llu: %s\n", seller.c_str(),
                period_text.c_str(), audit.partition, static_cast<unsigned long long>(audit.seq),
                audit.matches() ? "MATCHES the log" : "DIFFERS from the log");
    std::printf("  head_hash %s %s\n", audit.head_hash.c_str(), audit.head_hash_matches ? "ok" : "WRONG");
    for (const Json& f : json["fields"]) {
      std::printf("  %-22s %16s %16s %s\n", f["field"].get<std::string>().c_str(),
                  f["recorded"].get<std::string>().c_str(), f["recomputed"].get<std::string>().c_str(),
                  f["equal"].get<bool>() ? "" : "<-- differs");
    }
  }
  return audit.matches() ? kExitOk : kExitRejected;
}

}  // namespace mkt::cli
