// `orders`, `order` and `verify`: read the projections, print JSON or a table.
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "ledger/enum_names.h"
#include "ledger/limits.h"
#include "ops/cli/answers.h"
#include "projections/coupon_json.h"
#include "projections/invoice_json.h"
#include "replay/verify.h"

namespace mkt::cli {
namespace {

template <typename Enum>
std::optional<CommandError> ParseEnumOption(const std::string& option, const std::string& text,
                                            const char* const* names, std::optional<Enum>* out) {
  if (text.empty()) return std::nullopt;
  if (const auto value = FindSpecName(names, text)) {
    *out = static_cast<Enum>(*value);
    return std::nullopt;
  }
  std::string allowed;
  for (int i = 0; names[i] != nullptr; ++i) allowed += (i ? "|" : "") + std::string(SpecName(names[i]));
  return CommandError{kExitUsage, option + ": \"" + text + "\" is not one of " + allowed};
}

std::optional<CommandError> ParseTimeOption(const std::string& option, const std::string& text,
                                            std::optional<Micros>* out) {
  if (text.empty()) return std::nullopt;
  *out = ParseRfc3339(text);
  if (*out) return std::nullopt;
  return CommandError{kExitUsage, option + ": \"" + text +
                                      "\" is not an RFC 3339 timestamp with offset"};
}

// The names arrays flatc generates end with nullptr, as ParseEnumOption expects.
std::optional<CommandError> BuildQuery(const OrdersArgs& a, OrderListQuery* q) {
  q->seller_id = a.seller;
  if (a.limit < 1 || a.limit > limits::kOrderListLimitMax) {
    return CommandError{kExitUsage, "--limit: must be 1.." +
                                        std::to_string(limits::kOrderListLimitMax)};
  }
  q->limit = a.limit;
  q->cursor = a.cursor;
  if (!a.product.empty()) q->product_id = a.product;
  if (!a.buyer.empty()) q->buyer_id = a.buyer;
  if (auto e = ParseEnumOption("--status", a.status, fb::EnumNamesOrderStatus(), &q->status)) return e;
  q->refunds_only = a.kind == "refund";  // approved refunds, listed as reverse orders
  if (!q->refunds_only) {
    if (auto e = ParseEnumOption("--kind", a.kind, fb::EnumNamesOrderKind(), &q->kind)) return e;
  }
  if (auto e = ParseEnumOption("--channel", a.channel, fb::EnumNamesChannel(), &q->channel)) return e;
  if (auto e = ParseTimeOption("--from", a.from, &q->from)) return e;
  return ParseTimeOption("--to", a.to, &q->to);
}

void PrintOrderTable(const Json& rows) {
  const char* kRowFormat = "%-22s %-25s %-18s %-8s %-22s %-10s %12s %12s %12s\n";
  std::printf(kRowFormat, "ORDER", "PLACED", "STATUS", "KIND", "PRODUCT", "BUYER", "PAYABLE",
              "CASH", "VOUCHER");
  auto text = [](const Json& row, const char* field) { return row[field].get<std::string>(); };
  for (const Json& r : rows) {
    std::printf(kRowFormat, text(r, "order_id").c_str(), text(r, "placed_at").c_str(),
                text(r, "status").c_str(), text(r, "kind").c_str(), text(r, "product_id").c_str(),
                text(r, "buyer_id").c_str(), text(r, "payable").c_str(),
                text(r, "paid_cash").c_str(), text(r, "paid_voucher").c_str());
  }
}

}  // namespace

int Fail(const CommandError& error) {
  std::cerr << "ledger: " << error.message << std::endl;
  return error.exit_code;
}

std::variant<std::string, CommandError> OrdersAnswerText(Context& ctx, const OrdersArgs& args) {
  OrderListQuery query;
  if (auto error = BuildQuery(args, &query)) return *error;
  if (auto error = ctx.OpenStore()) return *error;
  auto page = ctx.orders().List(query);
  if (auto* error = std::get_if<std::string>(&page)) return CommandError{kExitUsage, *error};
  return OrderPageText(std::get<OrderListPage>(page), ctx.tz(), ctx.Now());
}

Answer OrdersAnswer(Context& ctx, const OrdersArgs& args) {
  auto text = OrdersAnswerText(ctx, args);
  if (auto* error = std::get_if<CommandError>(&text)) return *error;
  return Json::parse(std::get<std::string>(text));
}

int RunOrders(Context& ctx, const OrdersArgs& args) {
  Answer answer = OrdersAnswer(ctx, args);
  if (auto* error = std::get_if<CommandError>(&answer)) return Fail(*error);
  const Json& json = std::get<Json>(answer);
  if (ctx.json()) {
    PrintJson(json);
    return kExitOk;
  }
  PrintOrderTable(json["orders"]);
  if (!json["next_cursor"].is_null()) {
    std::printf("more: --cursor %s\n", json["next_cursor"].get<std::string>().c_str());
  }
  return kExitOk;
}

Answer OrderAnswer(Context& ctx, const std::string& order_id, const std::string& seller) {
  if (auto error = ctx.OpenStore()) return *error;
  std::string owner = seller;
  if (owner.empty()) {
    const std::vector<std::string> sellers = ctx.orders().SellersOf(order_id);
    if (sellers.size() > 1) {
      return CommandError{kExitUsage, "order " + order_id + " exists for " +
                                          std::to_string(sellers.size()) +
                                          " sellers; name one with --seller"};
    }
    if (!sellers.empty()) owner = sellers.front();
  }
  const auto detail = ctx.orders().Get(owner, order_id);
  if (!detail) return CommandError{kExitFatal, "no order " + order_id, /*not_found=*/true};
  return OrderDetailJson(*detail, ctx.tz(), ctx.Now());
}

int RunOrder(Context& ctx, const std::string& order_id, const std::string& seller) {
  Answer answer = OrderAnswer(ctx, order_id, seller);
  if (auto* error = std::get_if<CommandError>(&answer)) return Fail(*error);
  const Json& json = std::get<Json>(answer);
  if (ctx.json()) {
    PrintJson(json);
    return kExitOk;
  }
  PrintOrderTable(Json::array({json["order"]}));
  std::printf("\n%-6s %-20s %-25s %s\n", "SEQ", "TYPE", "AT", "EVENT");
  for (const Json& h : json["history"]) {
    std::printf("%-6llu %-20s %-25s %s\n", h["seq"].get<unsigned long long>(),
                h["type"].get<std::string>().c_str(), h["at"].get<std::string>().c_str(),
                h["event_id"].get<std::string>().c_str());
  }
  return kExitOk;
}

int RunVerify(Context& ctx) {
  if (auto error = ctx.OpenStore()) return Fail(*error);
  const bool show_progress = isatty(STDERR_FILENO);
  const ChainReport report = VerifyChain(ctx.log(), [&](uint64_t n) {
    if (show_progress) std::fprintf(stderr, "\rverify: %llu events", static_cast<unsigned long long>(n));
  });
  if (show_progress) std::fprintf(stderr, "\n");
  return PrintVerify(ctx, report);
}

Json VerifyJson(Context& ctx, const ChainReport& report) {
  Json first_break = nullptr;
  if (report.first_break) {
    first_break = Json{{"partition", report.first_break->partition},
                       {"seq", report.first_break->seq},
                       {"reason", report.first_break->reason}};
  }
  return Json{{"events", report.events},
              {"chain", report.first_break ? "broken" : "ok"},
              {"first_break", first_break},
              {"digests", Json(ctx.projections().Digests())}};
}

int PrintVerify(Context& ctx, const ChainReport& report) {
  const Json json = VerifyJson(ctx, report);
  if (ctx.json()) {
    PrintJson(json);
  } else {
    std::printf("events %llu, chain %s\n", static_cast<unsigned long long>(report.events),
                report.first_break ? "BROKEN" : "ok");
    if (report.first_break) {
      std::printf("first break: partition %u seq %llu: %s\n", report.first_break->partition,
                  static_cast<unsigned long long>(report.first_break->seq),
                  report.first_break->reason.c_str());
    }
    for (const auto& [name, digest] : json["digests"].items()) {
      std::printf("digest %-8s %s\n", name.c_str(), digest.get<std::string>().c_str());
    }
  }
  return report.first_break ? kExitFatal : kExitOk;
}

}  // namespace mkt::cli

namespace mkt::cli {

Answer CouponsAnswer(Context& ctx, const std::string& seller, const std::string& as_of_text) {
  std::optional<Micros> as_of;
  if (auto error = ParseTimeOption("--as-of", as_of_text, &as_of)) return *error;
  if (auto error = ctx.OpenStore()) return *error;
  return CouponListJson(ctx.projections().coupons.List(seller), ctx.tz(), as_of.value_or(ctx.Now()));
}

int RunCoupons(Context& ctx, const std::string& seller, const std::string& as_of_text) {
  Answer answer = CouponsAnswer(ctx, seller, as_of_text);
  if (auto* error = std::get_if<CommandError>(&answer)) return Fail(*error);
  const Json& json = std::get<Json>(answer);
  if (ctx.json()) {
    PrintJson(json);
    return kExitOk;
  }
  const char* kFormat = "%-20s %-28s %-10s %-12s %8s %8s %8s  %s\n";
  std::printf(kFormat, "COUPON", "NAME", "KIND", "STATUS", "CLAIMED", "REDEEMED", "TOTAL", "USE UNTIL");
  for (const Json& c : json["coupons"]) {
    std::printf(kFormat, c["coupon_id"].get<std::string>().c_str(), c["name"].get<std::string>().c_str(),
                c["kind"].get<std::string>().c_str(), c["status"].get<std::string>().c_str(),
                std::to_string(c["claimed"].get<int>()).c_str(),
                std::to_string(c["redeemed"].get<int>()).c_str(),
                std::to_string(c["total"].get<int>()).c_str(), c["use_to"].get<std::string>().c_str());
  }
  return kExitOk;
}

}  // namespace mkt::cli

namespace mkt::cli {

Answer TickAnswer(Context& ctx, const std::string& now_text, TickReport* report_out) {
  std::optional<Micros> now;
  if (auto error = ParseTimeOption("--now", now_text, &now)) return *error;
  if (auto error = ctx.OpenStoreForWriting()) return *error;
  TickReport report;
  const std::string error = ctx.ledger().Tick(now.value_or(ctx.Now()), &report);
  if (!error.empty()) return CommandError{kExitFatal, error};
  Json by_type = Json::object();
  for (const auto& [type, count] : report.by_type) by_type[type] = count;
  if (report_out != nullptr) *report_out = report;
  return Json{{"emitted", report.emitted}, {"by_type", by_type}};
}

int RunTick(Context& ctx, const std::string& now_text) {
  TickReport report;
  Answer answer = TickAnswer(ctx, now_text, &report);
  if (auto* error = std::get_if<CommandError>(&answer)) return Fail(*error);
  const Json& json = std::get<Json>(answer);
  if (ctx.json()) {
    PrintJson(json);
  } else {
    std::printf("emitted %llu timer events\n", static_cast<unsigned long long>(report.emitted));
    for (const auto& [type, count] : report.by_type) {
      std::printf("  %-20s %llu\n", type.c_str(), static_cast<unsigned long long>(count));
    }
  }
  return kExitOk;
}

}  // namespace mkt::cli

namespace mkt::cli {

Answer InvoicesAnswer(Context& ctx, const std::string& seller, const std::string& status,
                      const std::string& as_of_text) {
  std::optional<Micros> as_of;
  if (auto error = ParseTimeOption("--as-of", as_of_text, &as_of)) return *error;
  std::optional<std::string> filter;
  if (!status.empty()) {
    if (status != "requested" && status != "issued" && status != "rejected" && status != "overdue") {
      return CommandError{kExitUsage, "--status: \"" + status +
                                          "\" is not one of requested|issued|rejected|overdue"};
    }
    filter = status;
  }
  if (auto error = ctx.OpenStore()) return *error;
  const Micros at = as_of.value_or(ctx.Now());
  return InvoiceListJson(ctx.projections().invoices.List(seller, filter, at), ctx.tz(), at);
}

int RunInvoices(Context& ctx, const std::string& seller, const std::string& status,
                const std::string& as_of_text) {
  Answer answer = InvoicesAnswer(ctx, seller, status, as_of_text);
  if (auto* error = std::get_if<CommandError>(&answer)) return Fail(*error);
  const Json& json = std::get<Json>(answer);
  if (ctx.json()) {
    PrintJson(json);
    return kExitOk;
  }
  const char* kFormat = "%-16s %-12s %12s %-9s %-26s %-8s %-12s %s\n";
  std::printf(kFormat, "INVOICE", "BUYER", "AMOUNT", "STATUS", "DUE", "OVERDUE", "POSTAGE", "ORDERS");
  for (const Json& i : json["invoices"]) {
    std::string orders;
    for (const Json& o : i["order_ids"]) orders += (orders.empty() ? "" : ",") + o.get<std::string>();
    std::printf(kFormat, i["invoice_id"].get<std::string>().c_str(), i["buyer_id"].get<std::string>().c_str(),
                i["amount"].get<std::string>().c_str(), i["status"].get<std::string>().c_str(),
                i["due_at"].get<std::string>().c_str(), i["overdue"].get<bool>() ? "yes" : "no",
                i["postage"].get<std::string>().c_str(), orders.c_str());
  }
  return kExitOk;
}

}  // namespace mkt::cli
