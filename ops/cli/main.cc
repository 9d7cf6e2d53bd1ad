// `ledger`: the command-line entry point (INTERFACE.md). Parses options with
// CLI11 and hands each command to its Run* function.
#include <CLI/CLI.hpp>
#include <iostream>

#include "ops/cli/commands.h"
#include "ops/gen/generator.h"
#include "ops/service/serve.h"

namespace {

using mkt::cli::kExitUsage;

void AddGlobalOptions(CLI::App& app, mkt::cli::GlobalOptions* g) {
  app.add_option("--data", g->data_dir, "embedded store directory")->capture_default_str();
  app.add_option("--policy", g->policy_path, "policy file (TOML); defaults are embedded");
  app.add_option("--kafka", g->kafka, "Kafka bootstrap servers instead of the embedded log");
  app.add_option("--kafka-prefix", g->kafka_prefix,
                 "prefix of every topic, group and transactional id (several ledgers on one cluster)");
  app.add_option("--format", g->format, "json or table (default: table on a terminal)")
      ->check(CLI::IsMember({"json", "table"}));
  app.add_option("--now", g->now,
                 "the clock as an RFC 3339 time, for reproducible output (default: wall clock)");
  app.add_option("--partitions", g->partitions,
                 "log partitions of a new store (default 4; fixed once created)")
      ->check(CLI::Range(1, 256));
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"ledger: event-sourced order and settlement ledger for a cloud marketplace"};
  app.require_subcommand(1);
  app.fallthrough();  // global options are accepted after the command too
  mkt::cli::GlobalOptions global;
  AddGlobalOptions(app, &global);

  std::string ingest_path = "-";
  CLI::App* ingest = app.add_subcommand("ingest", "validate and append NDJSON events");
  ingest->add_option("file", ingest_path, "NDJSON file, or - for stdin")->capture_default_str();

  mkt::cli::OrdersArgs orders_args;
  CLI::App* orders = app.add_subcommand("orders", "the seller's order list, newest first");
  orders->add_option("--seller", orders_args.seller, "seller id")->required();
  orders->add_option("--status", orders_args.status, "unpaid|paid|partially_refunded|refunded|voided");
  orders->add_option("--kind", orders_args.kind, "new|renew|trial|convert|upgrade, or refund for approved refunds");
  orders->add_option("--product", orders_args.product, "product id");
  orders->add_option("--buyer", orders_args.buyer, "buyer id");
  orders->add_option("--channel", orders_args.channel, "store|solution|reseller");
  orders->add_option("--from", orders_args.from, "placed at or after (RFC 3339)");
  orders->add_option("--to", orders_args.to, "placed before (RFC 3339)");
  orders->add_option("--limit", orders_args.limit, "rows per page, 1..1000")->capture_default_str();
  orders->add_option("--cursor", orders_args.cursor, "next_cursor of the previous page");

  std::string order_id, order_seller;
  CLI::App* order = app.add_subcommand("order", "one order with its full history");
  order->add_option("order_id", order_id, "order id")->required();
  order->add_option("--seller", order_seller, "seller id, when several sellers use the id");

  std::string coupons_seller, coupons_as_of;
  CLI::App* coupons = app.add_subcommand("coupons", "the seller's coupons with status and counts");
  coupons->add_option("--seller", coupons_seller, "seller id")->required();
  coupons->add_option("--as-of", coupons_as_of, "evaluate status at this time (default: now)");

  std::string invoices_seller, invoices_status, invoices_as_of;
  CLI::App* invoices = app.add_subcommand("invoices", "the seller's invoice queue");
  invoices->add_option("--seller", invoices_seller, "seller id")->required();
  invoices->add_option("--status", invoices_status, "requested|issued|rejected|overdue")
      ->check(CLI::IsMember({"requested", "issued", "rejected", "overdue"}));
  invoices->add_option("--as-of", invoices_as_of, "evaluate overdue at this time (default: now)");

  std::string tick_now;
  CLI::App* tick = app.add_subcommand("tick", "append every timer event due at --now");
  tick->add_option("--now", tick_now, "the instant to tick to (RFC 3339; default: the clock)");

  mkt::cli::SettlementArgs settlement_args;
  CLI::App* settlement = app.add_subcommand("settlement", "a seller's monthly statement (open ones are live)");
  settlement->add_option("--seller", settlement_args.seller, "seller id")->required();
  settlement->add_option("--period", settlement_args.period, "YYYY-MM")->required();
  settlement->add_option("--limit", settlement_args.limit, "lines per answer")->capture_default_str();
  settlement->add_option("--cursor", settlement_args.cursor, "next_cursor of the previous answer");

  std::string settle_period, settle_now;
  CLI::App* settle = app.add_subcommand("settle", "close a period for every seller with lines or held orders in it");
  settle->add_option("--period", settle_period, "YYYY-MM")->required();
  settle->add_option("--now", settle_now, "the closing time (RFC 3339; default: the clock)");

  std::string reseller_id, reseller_period;
  CLI::App* reseller = app.add_subcommand("reseller-statement", "a reseller's commissions of one period");
  reseller->add_option("--reseller", reseller_id, "reseller id")->required();
  reseller->add_option("--period", reseller_period, "YYYY-MM")->required();

  mkt::cli::StrengthArgs strength_args;
  CLI::App* strength = app.add_subcommand("strength", "the 30-day product-strength score");
  strength->add_option("--product", strength_args.product, "one product's score with every factor");
  strength->add_option("--seller", strength_args.seller, "the seller's products, best first");
  strength->add_option("--tier", strength_args.tier, "only super|premium|potential|ordinary");
  strength->add_option("--as-of", strength_args.as_of, "the day YYYY-MM-DD (default: today)");

  std::string export_out;
  CLI::App* export_cmd = app.add_subcommand("export", "write the ledger log to a portable archive");
  export_cmd->add_option("--out", export_out, "archive file")->required();

  mkt::cli::ReplayArgs replay_args;
  CLI::App* replay = app.add_subcommand("replay", "rebuild every read model from an archive into an empty store");
  replay->add_option("--from", replay_args.from, "archive file (from `export`)")->required();
  replay->add_option("--into", replay_args.into, "an empty or absent directory")->required();
  replay->add_option("--until", replay_args.until, "only events recorded at or before this time (RFC 3339)");

  CLI::App* audit = app.add_subcommand("audit", "recompute from the log and compare");
  audit->require_subcommand(1);
  std::string audit_seller, audit_period;
  CLI::App* audit_statement = audit->add_subcommand(
      "statement", "recompute a closed statement from the log up to its head_hash and compare");
  audit_statement->add_option("--seller", audit_seller, "seller id")->required();
  audit_statement->add_option("--period", audit_period, "YYYY-MM")->required();
  std::string audit_order_id, audit_order_seller;
  CLI::App* audit_order = audit->add_subcommand("order", "an order's history with each event's seq and hash");
  audit_order->add_option("order_id", audit_order_id, "order id")->required();
  audit_order->add_option("--seller", audit_order_seller, "seller id, when several sellers use the id");

  CLI::App* verify = app.add_subcommand("verify", "check every partition's hash chain; print projection digests");

  mkt::cli::ServeArgs serve_args;
  CLI::App* serve = app.add_subcommand("serve", "the long-running service: HTTP API, timers, metrics (with --kafka: validator, projector, timers)");
  serve->add_option("--http", serve_args.http, "HOST:PORT of the HTTP API (port 0: any free one)")->capture_default_str();
  serve->add_option("--metrics", serve_args.metrics, "HOST:PORT of GET /metrics, or \"\" for the --http port only")->capture_default_str();
  serve->add_option("--tokens", serve_args.tokens, "tokens file: SHA-256 hex and role per line (SIGHUP reloads)");
  serve->add_option("--body-max-bytes", serve_args.body_max_bytes, "larger request bodies get 413")
      ->check(CLI::Range(size_t{1}, mkt::limits::kHttpBodyBytesMax))->capture_default_str();
  serve->add_option("--threads", serve_args.threads, "HTTP worker threads")
      ->check(CLI::Range(1, mkt::limits::kHttpThreadsMax))->capture_default_str();
  serve->add_flag("--no-timers", serve_args.no_timers, "do not run the timers on the wall clock");

  mkt::gen::GenOptions gen_options;
  CLI::App* gen = app.add_subcommand("gen", "a deterministic synthetic marketplace event stream (NDJSON)");
  gen->add_option("--seed", gen_options.seed, "random seed")->capture_default_str();
  gen->add_option("--sellers", gen_options.sellers, "number of sellers")->check(CLI::Range(1, 100000))->capture_default_str();
  gen->add_option("--orders", gen_options.orders, "number of orders")->check(CLI::Range(int64_t{0}, int64_t{1'000'000'000}))->capture_default_str();
  gen->add_option("--invalid-rate", gen_options.invalid_rate, "fraction of extra invalid events")->check(CLI::Range(0.0, 1.0))->capture_default_str();
  gen->add_option("--start", gen_options.start_date, "first day (YYYY-MM-DD)")->capture_default_str();
  gen->add_option("--months", gen_options.months, "months of orders")->check(CLI::Range(1, 120))->capture_default_str();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : kExitUsage;
  }

  if (gen->parsed()) {
    std::ios::sync_with_stdio(false);
    try {
      mkt::gen::Generate(gen_options, std::cout);
    } catch (const std::invalid_argument& e) {
      return mkt::cli::Fail({kExitUsage, std::string("gen: ") + e.what()});
    }
    std::cout.flush();
    return std::cout ? 0 : mkt::cli::kExitFatal;
  }
  const bool cluster = !global.kafka.empty();
  if (cluster && (tick->parsed() || settle->parsed() || export_cmd->parsed() || replay->parsed() ||
                  audit->parsed())) {
    return mkt::cli::Fail({kExitUsage, "this command does not work with --kafka yet (in cluster mode "
                                       "the timers run in `serve --kafka`)"});
  }
  if (replay->parsed()) return mkt::cli::RunReplay(global, replay_args);
  mkt::cli::Context ctx(global);
  if (auto error = ctx.Init()) return mkt::cli::Fail(*error);
  if (serve->parsed() && cluster) {
    for (const char* option : {"--http", "--metrics", "--tokens", "--body-max-bytes", "--threads", "--no-timers"}) {
      if (serve->count(option) > 0) {
        return mkt::cli::Fail({kExitUsage, std::string("serve --kafka: ") + option +
                                               " is for the embedded service; cluster mode serves no HTTP yet"});
      }
    }
    return mkt::cli::RunKafkaServe(ctx);
  }
  if (serve->parsed()) return mkt::cli::RunServe(ctx, serve_args);
  if (ingest->parsed()) return cluster ? mkt::cli::RunKafkaIngest(ctx, ingest_path) : mkt::cli::RunIngest(ctx, ingest_path);
  if (orders->parsed()) return mkt::cli::RunOrders(ctx, orders_args);
  if (order->parsed()) return mkt::cli::RunOrder(ctx, order_id, order_seller);
  if (verify->parsed()) return cluster ? mkt::cli::RunKafkaVerify(ctx) : mkt::cli::RunVerify(ctx);
  if (invoices->parsed()) return mkt::cli::RunInvoices(ctx, invoices_seller, invoices_status, invoices_as_of);
  if (tick->parsed()) return mkt::cli::RunTick(ctx, tick_now);
  if (coupons->parsed()) return mkt::cli::RunCoupons(ctx, coupons_seller, coupons_as_of);
  if (settlement->parsed()) return mkt::cli::RunSettlement(ctx, settlement_args);
  if (settle->parsed()) return mkt::cli::RunSettle(ctx, settle_period, settle_now);
  if (strength->parsed()) return mkt::cli::RunStrength(ctx, strength_args);
  if (export_cmd->parsed()) return mkt::cli::RunExport(ctx, export_out);
  if (audit_order->parsed()) return mkt::cli::RunAuditOrder(ctx, audit_order_id, audit_order_seller);
  if (audit_statement->parsed()) return mkt::cli::RunAuditStatement(ctx, audit_seller, audit_period);
  if (reseller->parsed()) return mkt::cli::RunResellerStatement(ctx, reseller_id, reseller_period);
  return kExitUsage;
}
