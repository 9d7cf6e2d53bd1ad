// Statement benchmark (issue 4): one seller with N paid orders eligible in one
// month, ingested durably through the CLI's path; then, on the reopened store,
// the time to answer `ledger settlement` for that month (running totals, plus
// the first 1,000 lines as the CLI prints by default), and the time of the
// close (`ledger settle`). Prints one JSON object.
//
//   statement_bench [--orders N] [--keep DIR]
#include <algorithm>
#include <chrono>
#include <cstdio>

#include "CLI/CLI.hpp"
#include "bench/bench_support.h"
#include "ledger/limits.h"
#include "nlohmann/json.hpp"
#include "projections/settle.h"

namespace mkt::bench {
namespace {

using Clock = std::chrono::steady_clock;
using Json = nlohmann::ordered_json;
constexpr int kQueries = 200;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

std::string Line(const Json& event) { return event.dump(); }

// ProductListed, then OrderPlaced + OrderPaid per order, all in October 2026
// (paid by 10-25, so eligible by 10-30 without a template).
void Ingest(LedgerStack& stack, int64_t orders) {
  JsonDecoder decoder;
  std::vector<DecodeResult> decoded;
  auto flush = [&] {
    std::vector<const DecodedEvent*> events;
    for (const DecodeResult& d : decoded) {
      if (!d.event) Die("bench event rejected by the decoder: " + d.rejection->message);
      events.push_back(&*d.event);
    }
    std::vector<EventResult> results;
    if (const std::string error = stack.ledger().Process(events, &results); !error.empty()) Die(error);
    for (const EventResult& r : results) {
      if (r.outcome != Outcome::kAccepted) Die("bench event not accepted");
    }
    decoded.clear();
  };
  decoded.push_back(decoder.Decode(Line({{"type", "ProductListed"}, {"event_id", "p"},
                                         {"at", "2026-10-01T00:00:00+08:00"}, {"seller_id", "big"},
                                         {"product_id", "api"}, {"name", "API"}, {"category", "api"}})));
  const Micros start = *ParseRfc3339("2026-10-01T01:00:00+08:00");
  const Micros span = 24LL * 24 * 3600 * kMicrosPerSecond;
  for (int64_t i = 0; i < orders; ++i) {
    const std::string id = "o" + std::to_string(i);
    const std::string at = FormatRfc3339(start + span / orders * i, TzOffset{});
    const std::string price = std::to_string(100 + i % 900) + ".00";
    decoded.push_back(decoder.Decode(Line({{"type", "OrderPlaced"}, {"event_id", "a" + id}, {"at", at},
                                           {"seller_id", "big"}, {"order_id", id}, {"product_id", "api"},
                                           {"buyer_id", "b" + std::to_string(i % 5000)}, {"kind", "new"},
                                           {"quantity", 1}, {"list_price", price}, {"channel", "store"}})));
    decoded.push_back(decoder.Decode(Line({{"type", "OrderPaid"}, {"event_id", "b" + id}, {"at", at},
                                           {"seller_id", "big"}, {"order_id", id}, {"cash", price},
                                           {"voucher", "0"}})));
    if (decoded.size() + 2 > limits::kIngestBatchEventsMax) flush();
    if (i % 100'000 == 0 && i > 0) std::fprintf(stderr, "statement_bench: %lld orders\n", static_cast<long long>(i));
  }
  flush();
}

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[static_cast<size_t>(p * static_cast<double>(v.size() - 1))];
}

}  // namespace
}  // namespace mkt::bench

int main(int argc, char** argv) {
  using namespace mkt;
  using namespace mkt::bench;
  int64_t orders = 1'000'000;
  std::string keep;
  CLI::App app{"statement_bench: statement and close times for one seller's month"};
  app.add_option("--orders", orders, "paid orders of the seller in October")->check(CLI::Range(1, 100'000'000));
  app.add_option("--keep", keep, "keep the store in this directory");
  CLI11_PARSE(app, argc, argv);

  TempDir temp("statement-bench");
  const std::string dir = keep.empty() ? temp.path() : keep;
  const Clock::time_point ingest_start = Clock::now();
  {
    auto stack = OpenLedgerStack(dir, ReadModels::kLikeCli);
    Ingest(*stack, orders);
  }
  const double ingest_seconds = Seconds(ingest_start);

  auto stack = OpenLedgerStack(dir, ReadModels::kLikeCli);
  const SettlementProjection& settlement = stack->projections().settlement;
  std::vector<double> totals_ms, page_ms;
  std::string gross;
  for (int q = 0; q < kQueries; ++q) {
    Clock::time_point t = Clock::now();
    auto totals = settlement.Statement("big", 202610, 0, "");
    totals_ms.push_back(Seconds(t) * 1e3);
    t = Clock::now();
    auto page = settlement.Statement("big", 202610, 1000, "");
    page_ms.push_back(Seconds(t) * 1e3);
    gross = FormatMoney(Fen(std::get<StatementView>(page).statement.totals->gross()));
  }
  const Clock::time_point close_start = Clock::now();
  SettleReport report;
  if (const std::string error = SettlePeriod(stack->ledger(), stack->log(), settlement, 202610,
                                             *ParseRfc3339("2026-11-01T00:00:00+08:00"), &report);
      !error.empty()) {
    Die(error);
  }
  const double close_seconds = Seconds(close_start);
  if (report.closed.size() != 1) Die("the close was refused");
  const Json out{{"orders", orders},
                 {"events", 2 * orders + 1},
                 {"ingest_seconds", ingest_seconds},
                 {"ingest_events_per_second", static_cast<double>(2 * orders + 1) / ingest_seconds},
                 {"statement_gross", gross},
                 {"statement_totals_ms_p50", Percentile(totals_ms, 0.5)},
                 {"statement_totals_ms_p99", Percentile(totals_ms, 0.99)},
                 {"statement_first_1000_lines_ms_p50", Percentile(page_ms, 0.5)},
                 {"statement_first_1000_lines_ms_p99", Percentile(page_ms, 0.99)},
                 {"close_seconds", close_seconds},
                 {"payable", FormatMoney(report.closed[0].payable)}};
  std::printf("%s\n", out.dump(2).c_str());
  return 0;
}
