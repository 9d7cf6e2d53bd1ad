// The CLI commands of INTERFACE.md. Each returns the process exit code.
#pragma once

#include <string>

#include "ops/cli/context.h"
#include "projections/order_list.h"
#include "replay/verify.h"

namespace mkt::cli {

// Prints the error to stderr and returns its exit code.
int Fail(const CommandError& error);

int RunIngest(Context& ctx, const std::string& path);
// The ingest report (INTERFACE.md): one line per rejected event, then the summary.
void PrintRejection(const Context& ctx, uint64_t line_no, const std::string& event_id,
                    std::string_view code, const std::string& message);
void PrintIngestSummary(const Context& ctx, uint64_t accepted, uint64_t duplicate, uint64_t rejected);

// Cluster mode (--kafka): kafka_ingest.cc, kafka_serve.cc.
int RunKafkaIngest(Context& ctx, const std::string& path);
int RunKafkaServe(Context& ctx);
int RunKafkaVerify(Context& ctx);

struct OrdersArgs {
  std::string seller, status, kind, product, buyer, channel, from, to, cursor;
  size_t limit = 50;
};
int RunOrders(Context& ctx, const OrdersArgs& args);
int RunOrder(Context& ctx, const std::string& order_id, const std::string& seller);
int RunVerify(Context& ctx);
// Prints the `verify` object for `report` and the opened store's digests.
int PrintVerify(Context& ctx, const ChainReport& report);
struct ReplayArgs {
  std::string from, into, until;
};
int RunExport(Context& ctx, const std::string& out);
int RunReplay(const GlobalOptions& global, const ReplayArgs& args);
int RunInvoices(Context& ctx, const std::string& seller, const std::string& status,
                const std::string& as_of);
int RunTick(Context& ctx, const std::string& now);
int RunCoupons(Context& ctx, const std::string& seller, const std::string& as_of);

struct SettlementArgs {
  std::string seller, period, cursor;
  size_t limit = 1000;  // lines per answer
};
int RunSettlement(Context& ctx, const SettlementArgs& args);
int RunSettle(Context& ctx, const std::string& period, const std::string& now);
struct StrengthArgs {
  std::string product, seller, tier, as_of;
};
int RunStrength(Context& ctx, const StrengthArgs& args);
int RunAuditStatement(Context& ctx, const std::string& seller, const std::string& period);
int RunAuditOrder(Context& ctx, const std::string& order_id, const std::string& seller);
int RunResellerStatement(Context& ctx, const std::string& reseller, const std::string& period);

}  // namespace mkt::cli
