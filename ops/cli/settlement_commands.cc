// `settlement`, `settle` and `reseller-statement` (INTERFACE.md): statements
// from the settlement read model, and the monthly close that appends
// SettlementClosed through the ledger like any other event.
#include <cstdio>

#include "ledger/limits.h"
#include "ops/cli/answers.h"
#include "projections/settle.h"
#include "projections/settlement_json.h"

namespace mkt::cli {
namespace {

std::optional<CommandError> ParsePeriodOption(const std::string& text, int32_t* out) {
  const auto period = ParsePeriod(text);
  if (!period) return CommandError{kExitUsage, "--period: \"" + text + "\" is not YYYY-MM"};
  *out = *period;
  return std::nullopt;
}

}  // namespace

Answer SettlementAnswer(Context& ctx, const SettlementArgs& args) {
  int32_t period = 0;
  if (auto error = ParsePeriodOption(args.period, &period)) return *error;
  if (args.limit > limits::kStatementLinesLimitMax) {
    return CommandError{kExitUsage, "--limit: must be 0.." + std::to_string(limits::kStatementLinesLimitMax)};
  }
  if (auto error = ctx.OpenStore()) return *error;
  auto view = ctx.projections().settlement.Statement(args.seller, period, args.limit, args.cursor);
  if (auto* error = std::get_if<std::string>(&view)) return CommandError{kExitUsage, *error};
  return StatementJson(std::get<StatementView>(view), ctx.tz());
}

int RunSettlement(Context& ctx, const SettlementArgs& args) {
  Answer answer = SettlementAnswer(ctx, args);
  if (auto* error = std::get_if<CommandError>(&answer)) return Fail(*error);
  const Json& json = std::get<Json>(answer);
  if (ctx.json()) {
    PrintJson(json);
    return kExitOk;
  }
  std::printf("statement %s %s  %s\n", args.seller.c_str(), args.period.c_str(),
              json["status"].get<std::string>().c_str());
  for (const char* field : {"gross", "voucher", "platform_fee", "reseller_commission", "net",
                            "carried_in", "payable", "carried_out", "voucher_invoice_due",
                            "payout_held", "payout_releasable"}) {
    std::printf("  %-22s %16s\n", field, json[field].get<std::string>().c_str());
  }
  const char* kFormat = "%-24s %-10s %-16s %14s %12s %12s %12s %14s %s\n";
  std::printf(kFormat, "ORDER", "TYPE", "REFUND", "GROSS", "VOUCHER", "FEE", "COMMISSION",
              "SELLER_NET", "HELD_FROM");
  for (const Json& l : json["lines"]) {
    auto text = [](const Json& v) { return v.is_null() ? std::string("-") : v.get<std::string>(); };
    std::printf(kFormat, l["order_id"].get<std::string>().c_str(), l["type"].get<std::string>().c_str(),
                text(l["refund_id"]).c_str(), l["gross"].get<std::string>().c_str(),
                l["voucher"].get<std::string>().c_str(), l["platform_fee"].get<std::string>().c_str(),
                l["reseller_commission"].get<std::string>().c_str(),
                l["seller_net"].get<std::string>().c_str(), text(l["held_from"]).c_str());
  }
  if (!json["next_cursor"].is_null()) {
    std::printf("more lines: --cursor %s\n", json["next_cursor"].get<std::string>().c_str());
  }
  return kExitOk;
}

Answer SettleAnswer(Context& ctx, const std::string& period_text, const std::string& now_text) {
  int32_t period = 0;
  if (auto error = ParsePeriodOption(period_text, &period)) return *error;
  std::optional<Micros> now_option;
  if (!now_text.empty() && !(now_option = ParseRfc3339(now_text))) {
    return CommandError{kExitUsage, "--now: \"" + now_text + "\" is not an RFC 3339 timestamp with offset"};
  }
  if (auto error = ctx.OpenStoreForWriting()) return *error;
  SettleReport report;
  const std::string error = SettlePeriod(ctx.ledger(), ctx.log(), ctx.projections().settlement,
                                         period, now_option.value_or(ctx.Now()), &report);
  if (!error.empty()) return CommandError{kExitFatal, error};
  Json closed = Json::array(), refused = Json::array();
  for (const auto& c : report.closed) {
    closed.push_back(Json{{"seller_id", c.seller_id},
                          {"period", FormatPeriod(period)},
                          {"payable", FormatMoney(c.payable)}});
  }
  for (const auto& r : report.refused) {
    refused.push_back(Json{{"seller_id", r.seller_id},
                           {"code", CodeName(r.rejection.code)},
                           {"message", r.rejection.message}});
  }
  return Json{{"closed", closed}, {"refused", refused}};
}

int RunSettle(Context& ctx, const std::string& period_text, const std::string& now_text) {
  Answer answer = SettleAnswer(ctx, period_text, now_text);
  if (auto* error = std::get_if<CommandError>(&answer)) return Fail(*error);
  const Json& json = std::get<Json>(answer);
  const int exit_code = json["refused"].empty() ? kExitOk : kExitRejected;
  if (ctx.json()) {
    PrintJson(json);
    return exit_code;
  }
  for (const Json& c : json["closed"]) {
    std::printf("closed   %-20s %s  payable %s\n", c["seller_id"].get<std::string>().c_str(),
                period_text.c_str(), c["payable"].get<std::string>().c_str());
  }
  for (const Json& r : json["refused"]) {
    std::printf("refused  %-20s %s: %s\n", r["seller_id"].get<std::string>().c_str(),
                r["code"].get<std::string>().c_str(), r["message"].get<std::string>().c_str());
  }
  return exit_code;
}

Answer ResellerStatementAnswer(Context& ctx, const std::string& reseller, const std::string& period_text) {
  int32_t period = 0;
  if (auto error = ParsePeriodOption(period_text, &period)) return *error;
  if (auto error = ctx.OpenStore()) return *error;
  return ResellerStatementJson(ctx.projections().settlement.ResellerStatement(reseller, period));
}

int RunResellerStatement(Context& ctx, const std::string& reseller, const std::string& period_text) {
  Answer answer = ResellerStatementAnswer(ctx, reseller, period_text);
  if (auto* error = std::get_if<CommandError>(&answer)) return Fail(*error);
  const Json& json = std::get<Json>(answer);
  if (ctx.json()) {
    PrintJson(json);
    return kExitOk;
  }
  std::printf("reseller %s %s\n", reseller.c_str(), period_text.c_str());
  for (const char* field : {"commission", "clawback", "net", "carried_in", "payable", "carried_out"}) {
    std::printf("  %-12s %16s\n", field, json[field].get<std::string>().c_str());
  }
  for (const Json& l : json["lines"]) {
    std::printf("  %-16s %-24s %-10s %14s\n", l["seller_id"].get<std::string>().c_str(),
                l["order_id"].get<std::string>().c_str(), l["type"].get<std::string>().c_str(),
                l["commission"].get<std::string>().c_str());
  }
  return kExitOk;
}

}  // namespace mkt::cli
