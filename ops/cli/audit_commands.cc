// `ledger audit statement --seller S --period M`: recompute a closed statement
// from the log alone (replay/audit_statement.h) and compare it field by field
// with its SettlementClosed event. Exit 0 when everything matches, 3 when the
// statement is missing, differs, or the chain broke before it.
// `ledger audit order O`: the order's history with each event's seq, recorded
// time and hashes, each entry's own hash recomputed (exit 3 if one is wrong).
#include <stdlib.h>

#include <cstdio>
#include <filesystem>

#include "ledger/hash.h"
#include "ledger/ledger.h"
#include "ledger/money.h"
#include "ops/cli/commands.h"
#include "projections/settlement_json.h"
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
  const Restatement& k = a.known_now;
  Json known_now = nullptr;
  if (a.found) {
    Json later = Json::array();
    for (const fb::SettlementLineT& line : k.later_lines) {
      Json row = SettlementLineJson(line, tz);
      row["period"] = FormatPeriod(line.period);
      later.push_back(std::move(row));
    }
    Json known_break = nullptr;
    if (k.chain_break) {
      known_break = Json{{"partition", k.chain_break->partition},
                         {"seq", k.chain_break->seq},
                         {"reason", k.chain_break->reason}};
    }
    known_now = Json{{"known_at", FormatRfc3339(k.known_at, tz)},
                     {"gross", FormatMoney(Fen(k.totals.gross()))},
                     {"voucher", FormatMoney(Fen(k.totals.voucher()))},
                     {"platform_fee", FormatMoney(Fen(k.totals.platform_fee()))},
                     {"reseller_commission", FormatMoney(Fen(k.totals.reseller_commission()))},
                     {"net", FormatMoney(Fen(k.totals.seller_net()))},
                     {"first_break", known_break},
                     {"later_lines", std::move(later)}};
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
              {"fields", fields},
              {"known_now", known_now}};
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
    const Json& k = json["known_now"];
    std::printf("as known at %s%s: net %s after %zu later line(s)\n", k["known_at"].get<std::string>().c_str(),
                k["first_break"].is_null() ? "" : " (the chain breaks after the close)",
                k["net"].get<std::string>().c_str(), k["later_lines"].size());
    for (const Json& line : k["later_lines"]) {
      std::printf("  %s %-10s %-24s net %12s\n", line["period"].get<std::string>().c_str(),
                  line["type"].get<std::string>().c_str(), line["order_id"].get<std::string>().c_str(),
                  line["seller_net"].get<std::string>().c_str());
    }
  }
  return audit.matches() ? kExitOk : kExitRejected;
}

}  // namespace mkt::cli

namespace mkt::cli {

int RunAuditOrder(Context& ctx, const std::string& order_id, const std::string& seller_option) {
  if (auto error = ctx.OpenStore()) return Fail(*error);
  std::string seller = seller_option;
  if (seller.empty()) {
    const auto sellers = ctx.orders().SellersOf(order_id);
    if (sellers.empty()) return Fail({kExitUsage, "order " + order_id + " is not in the ledger"});
    if (sellers.size() > 1) return Fail({kExitUsage, "order " + order_id + " exists for several sellers; give --seller"});
    seller = sellers.front();
  }
  const auto detail = ctx.orders().Get(seller, order_id);
  if (!detail) return Fail({kExitUsage, "order " + order_id + " of seller " + seller + " is not in the ledger"});
  const uint32_t partition = PartitionOf(seller, ctx.log().partition_count());
  Json events = Json::array();
  bool all_ok = true;
  std::vector<LogEntry> entries;
  for (const fb::HistoryEntryT& h : detail->history) {
    if (std::string error = ctx.log().Read(partition, h.seq, 1, &entries); !error.empty()) {
      return Fail({kExitFatal, error});
    }
    const auto view = entries.empty() ? std::nullopt : ViewStoredEvent(entries.front().bytes);
    if (!view) return Fail({kExitFatal, "log entry " + std::to_string(h.seq) + " of partition " +
                                            std::to_string(partition) + " is missing or corrupt"});
    const auto* stored = fb::GetStoredEvent(entries.front().bytes.data());
    Hash prev;
    std::copy_n(stored->prev_hash()->begin(), prev.size(), prev.begin());
    const Hash own = ChainHash(prev, {reinterpret_cast<const char*>(stored->record()->data()),
                                      stored->record()->size()});
    const bool hash_ok = std::equal(own.begin(), own.end(), stored->hash()->begin());
    all_ok = all_ok && hash_ok;
    events.push_back(Json{{"seq", h.seq},
                          {"type", h.type},
                          {"event_id", h.event_id},
                          {"at", FormatRfc3339(h.at_us, ctx.tz())},
                          {"recorded_at", FormatRfc3339(view->record->recorded_at_us(), ctx.tz())},
                          {"prev_hash", ToHex({stored->prev_hash()->data(), stored->prev_hash()->size()})},
                          {"hash", ToHex({stored->hash()->data(), stored->hash()->size()})},
                          {"hash_ok", hash_ok}});
  }
  const Json json{{"order_id", order_id}, {"seller_id", seller}, {"partition", partition},
                  {"hashes_ok", all_ok}, {"events", events}};
  if (ctx.json()) {
    PrintJson(json);
  } else {
    std::printf("order %s of %s, partition %u\n", order_id.c_str(), seller.c_str(), partition);
    for (const Json& e : events) {
      std::printf("  %8llu %-20s %-26s %s %s\n", e["seq"].get<unsigned long long>(),
                  e["type"].get<std::string>().c_str(), e["at"].get<std::string>().c_str(),
                  e["hash"].get<std::string>().substr(0, 16).c_str(), e["hash_ok"].get<bool>() ? "" : "HASH WRONG");
    }
  }
  return all_ok ? kExitOk : kExitRejected;
}

}  // namespace mkt::cli
