// Strength benchmark (issue 5): one seller with N products (default 10,000),
// each with orders from several buyers, payments, a refund now and then and
// daily metrics every third day over October; then, on the reopened store, the
// time to score every product of the seller for one day (`ledger strength
// --seller S`). Prints one JSON object.
//
//   strength_bench [--products N]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "CLI/CLI.hpp"
#include "bench/bench_support.h"
#include "ledger/limits.h"
#include "nlohmann/json.hpp"

namespace mkt::bench {
namespace {

using Clock = std::chrono::steady_clock;
using Json = nlohmann::ordered_json;

double Seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

// CPU time of this thread: the ranking runs on one thread, so this figure holds
// when other processes share the cores and the wall time does not.
double ThreadCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

class Feeder {
 public:
  explicit Feeder(Ledger& ledger) : ledger_(ledger) {}
  void Send(const Json& event) {
    decoded_.push_back(decoder_.Decode(event.dump()));
    if (!decoded_.back().event) Die("bench event rejected: " + decoded_.back().rejection->message);
    if (decoded_.size() == limits::kIngestBatchEventsMax) Flush();
  }
  void Flush() {
    std::vector<const DecodedEvent*> events;
    for (const DecodeResult& d : decoded_) events.push_back(&*d.event);
    std::vector<EventResult> results;
    if (const std::string error = ledger_.Process(events, &results); !error.empty()) Die(error);
    for (const EventResult& r : results) {
      if (r.outcome != Outcome::kAccepted) Die("bench event not accepted: " + r.rejection->message);
    }
    events_ += decoded_.size();
    decoded_.clear();
  }
  uint64_t events() const { return events_; }

 private:
  Ledger& ledger_;
  JsonDecoder decoder_;
  std::vector<DecodeResult> decoded_;
  uint64_t events_ = 0;
};

Json Base(const std::string& type, const std::string& id, const std::string& at) {
  return Json{{"type", type}, {"event_id", id}, {"at", at}, {"seller_id", "big"}};
}

std::string At(int day, int hour) {
  char text[40];
  std::snprintf(text, sizeof(text), "2026-10-%02dT%02d:00:00+08:00", day, hour);
  return text;
}

void Build(Ledger& ledger, int products, Feeder* f) {
  for (int p = 0; p < products; ++p) {
    const std::string product = "p" + std::to_string(p);
    Json listed = Base("ProductListed", "l" + product, At(1, 0));
    listed["product_id"] = product;
    listed["name"] = "Product " + product;
    listed["category"] = p % 4 == 0 ? "service" : "saas";
    f->Send(listed);
    for (int o = 0; o < 5; ++o) {
      const std::string order = product + "-" + std::to_string(o), at = At(2 + (p + o * 5) % 28, 10);
      Json placed = Base("OrderPlaced", "a" + order, at);
      placed.update({{"order_id", order}, {"product_id", product}, {"buyer_id", "b" + std::to_string((p * 7 + o) % 3000)},
                     {"kind", o == 4 ? "renew" : "new"}, {"quantity", 1}, {"list_price", "199.00"}, {"channel", "store"}});
      f->Send(placed);
      if (o == 3) continue;  // one unpaid order per product
      Json paid = Base("OrderPaid", "b" + order, at);
      paid.update({{"order_id", order}, {"cash", "199.00"}, {"voucher", "0"}});
      f->Send(paid);
    }
    for (int day = 2; day <= 31; day += 3) {
      Json m = Base("ProductDailyMetrics", "m" + product + "-" + std::to_string(day), At(day, 23));
      char date[16];
      std::snprintf(date, sizeof(date), "2026-10-%02d", day);
      m.update({{"product_id", product}, {"date", date}, {"uv", 100 + p % 50}, {"visitors", 60}, {"avg_dwell_seconds", 45.5},
                {"quotes", 1}, {"tickets_opened", 2}, {"tickets_resolved", 2}, {"avg_ticket_hours", 12}});
      f->Send(m);
    }
  }
  f->Flush();
}

}  // namespace
}  // namespace mkt::bench

int main(int argc, char** argv) {
  using namespace mkt;
  using namespace mkt::bench;
  int products = 10'000;
  CLI::App app{"strength_bench: score every product of a large seller for one day"};
  app.add_option("--products", products, "products of the seller")->check(CLI::Range(1, 1'000'000));
  CLI11_PARSE(app, argc, argv);
  TempDir dir("strength-bench");
  uint64_t events = 0;
  const Clock::time_point build_start = Clock::now();
  {
    auto stack = OpenLedgerStack(dir.path(), ReadModels::kLikeCli);
    Feeder feeder(stack->ledger());
    Build(stack->ledger(), products, &feeder);
    events = feeder.events();
  }
  const double build_seconds = Seconds(build_start);
  auto stack = OpenLedgerStack(dir.path(), ReadModels::kLikeCli);
  const int32_t day = *ParseDate("2026-10-31");
  std::vector<double> ms, cpu_ms;
  size_t scored = 0;
  for (int run = 0; run < 7; ++run) {
    const Clock::time_point t = Clock::now();
    const double cpu = ThreadCpuSeconds();
    scored = stack->projections().strength.Ranking("big", day).size();
    cpu_ms.push_back((ThreadCpuSeconds() - cpu) * 1e3);
    ms.push_back(Seconds(t) * 1e3);
  }
  std::sort(ms.begin(), ms.end());
  std::sort(cpu_ms.begin(), cpu_ms.end());
  const Json out{{"products", products}, {"events", events}, {"build_seconds", build_seconds},
                 {"scored", scored}, {"rank_all_ms_min", ms.front()}, {"rank_all_ms_median", ms[ms.size() / 2]},
                 {"rank_all_ms_max", ms.back()}, {"rank_all_cpu_ms_min", cpu_ms.front()},
                 {"rank_all_cpu_ms_median", cpu_ms[cpu_ms.size() / 2]}};
  std::printf("%s\n", out.dump(2).c_str());
  return scored == static_cast<size_t>(products) ? 0 : 1;
}
