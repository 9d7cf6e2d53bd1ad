// The order list over HTTP under concurrent ingest: p50/p99 of
// `GET /v1/sellers/{s}/orders?limit=50` against a real `ledger serve` on
// loopback (issue 8: 1,000,000 orders, p99 <= 1 ms). Prints one JSON object.
//
//   http_bench [--orders N] [--sellers N] [--seed N] [--readers N] [--seconds S]
//              [--tail F] [--ingest-batch N]
//
// Set-up: generates N orders, ingests all but the last fraction F of the
// stream in process (the CLI's path, as ingest_bench does), then starts the
// `ledger serve` binary on the store. Phase "idle": R reader clients (one
// keep-alive connection each, a random seller per request) for S/3 seconds.
// Phase "ingest": the same readers while one client POSTs the held-back tail
// to /v1/events in batches, for S seconds or until the tail is sent.
// Latency is measured in the client, request sent to body received.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <thread>

#include "CLI/CLI.hpp"
#include "bench/bench_support.h"
#include "httplib.h"
#include "ledger/hash.h"
#include "ledger/limits.h"
#include "nlohmann/json.hpp"

extern char** environ;

namespace mkt::bench {
namespace {

using Clock = std::chrono::steady_clock;
using Json = nlohmann::ordered_json;

struct Options {
  int64_t orders = 100'000;
  int sellers = 50;
  uint64_t seed = 1;
  int readers = 4;
  double seconds = 10;
  double tail = 0.1;  // fraction of the stream sent over HTTP during the measurement
  size_t ingest_batch = 200;
};

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Ingests `lines` durably in process, as `ledger ingest` does.
void IngestInProcess(const std::string& dir, const std::vector<std::string>& lines) {
  auto stack = OpenLedgerStack(dir, ReadModels::kLikeCli);
  JsonDecoder decoder;
  std::vector<DecodeResult> decoded;
  std::vector<const DecodedEvent*> events;
  std::vector<EventResult> results;
  for (size_t begin = 0; begin < lines.size(); begin += limits::kIngestBatchEventsMax) {
    decoded.clear();
    events.clear();
    const size_t end = std::min(lines.size(), begin + limits::kIngestBatchEventsMax);
    for (size_t i = begin; i < end; ++i) decoded.push_back(decoder.Decode(lines[i]));
    for (const DecodeResult& d : decoded) {
      if (!d.event) Die("the generated stream has an undecodable line");
      events.push_back(&*d.event);
    }
    if (std::string error = stack->ledger().Process(events, &results); !error.empty()) Die(error);
  }
}

struct Server {
  pid_t pid = -1;
  int port = 0;
};

// Starts `ledger --data DIR serve` with a one-token tokens file; waits for its address.
Server StartServer(const std::string& dir, const std::string& scratch, const std::string& token) {
  const std::string tokens = scratch + "/tokens", out = scratch + "/serve.out";
  std::ofstream(tokens) << ToHex(Sha256(token)) << " auditor\n" << ToHex(Sha256(token)) << " ingest\n";
  std::vector<std::string> args = {LEDGER_BIN, "--data", dir, "serve", "--http", "127.0.0.1:0", "--metrics", "",
                                   "--tokens", tokens, "--no-timers"};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  Server server;
  if (posix_spawn(&server.pid, argv[0], &actions, nullptr, argv.data(), environ) != 0) Die("cannot start ledger serve");
  posix_spawn_file_actions_destroy(&actions);
  const auto deadline = Clock::now() + std::chrono::seconds(120);
  while (Clock::now() < deadline) {
    std::ifstream in(out);
    std::string line;
    if (std::getline(in, line) && !line.empty()) {
      const std::string http = nlohmann::json::parse(line)["serving"]["http"];
      server.port = std::stoi(http.substr(http.rfind(':') + 1));
      return server;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  Die("ledger serve printed no address");
}

struct Latencies {
  std::vector<double> us;
  uint64_t rows = 0;
  uint64_t errors = 0;
};

Json Percentiles(std::vector<double> us, double seconds) {
  if (us.empty()) return Json{{"requests", 0}};
  std::sort(us.begin(), us.end());
  auto at = [&](double q) { return us[std::min(us.size() - 1, static_cast<size_t>(q * static_cast<double>(us.size())))]; };
  return Json{{"requests", us.size()},
              {"requests_per_second", static_cast<double>(us.size()) / seconds},
              {"p50_us", at(0.50)},
              {"p90_us", at(0.90)},
              {"p99_us", at(0.99)},
              {"p999_us", at(0.999)},
              {"max_us", us.back()}};
}

// R readers until `stop`; returns every latency.
Latencies Read(int port, const std::string& token, const std::vector<std::string>& sellers, int readers,
               const std::atomic<bool>& stop) {
  std::vector<Latencies> per_reader(static_cast<size_t>(readers));
  std::vector<std::thread> threads;
  for (int r = 0; r < readers; ++r) {
    threads.emplace_back([&, r] {
      httplib::Client client("127.0.0.1", port);
      client.set_bearer_token_auth(token);
      client.set_keep_alive(true);
      client.set_tcp_nodelay(true);
      std::mt19937_64 random(static_cast<uint64_t>(r) + 1);
      Latencies& mine = per_reader[static_cast<size_t>(r)];
      while (!stop) {
        const std::string path = "/v1/sellers/" + sellers[random() % sellers.size()] + "/orders?limit=50";
        const auto start = Clock::now();
        auto result = client.Get(path);
        const double us = SecondsSince(start) * 1e6;
        if (!result || result->status != 200) {
          ++mine.errors;
          continue;
        }
        mine.us.push_back(us);
        mine.rows += result->body.size() > 20 ? 1 : 0;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  Latencies all;
  for (Latencies& l : per_reader) {
    all.us.insert(all.us.end(), l.us.begin(), l.us.end());
    all.errors += l.errors;
    all.rows += l.rows;
  }
  return all;
}

// The server's own view of the route: handler time (after the request is read,
// before the answer is written) from ledger_http_request_seconds, so client
// and network time can be told apart from the server's work.
Json ServerSide(int port) {
  httplib::Client client("127.0.0.1", port);
  auto result = client.Get("/metrics");
  if (!result || result->status != 200) Die("cannot scrape /metrics");
  const std::string route = R"(route="/v1/sellers/{s}/orders")";
  double sum = 0, count = 0;
  std::vector<std::pair<double, double>> buckets;  // (le, cumulative count)
  std::istringstream in(result->body);
  for (std::string line; std::getline(in, line);) {
    if (!line.starts_with("ledger_http_request_seconds") || line.find(route) == std::string::npos) continue;
    const double value = std::stod(line.substr(line.rfind(' ') + 1));
    if (line.starts_with("ledger_http_request_seconds_sum")) sum = value;
    if (line.starts_with("ledger_http_request_seconds_count")) count = value;
    if (line.starts_with("ledger_http_request_seconds_bucket")) {
      const size_t le = line.find("le=\"") + 4;
      const std::string bound = line.substr(le, line.find('"', le) - le);
      buckets.emplace_back(bound == "+Inf" ? 1e9 : std::stod(bound), value);
    }
  }
  // The upper bound of the bucket that holds the 99th percentile.
  double p99_le = 0;
  for (const auto& [le, cumulative] : buckets) {
    if (cumulative >= 0.99 * count) {
      p99_le = le;
      break;
    }
  }
  return Json{{"requests", count},
              {"handler_mean_us", count > 0 ? sum / count * 1e6 : 0},
              {"handler_p99_at_most_us", p99_le * 1e6}};
}

void Run(const Options& o) {
  TempDir scratch("ledger-http-bench");
  const std::string dir = scratch.path() + "/store";
  const auto gen_start = Clock::now();
  const std::vector<std::string> lines =
      GenerateLines(gen::GenOptions{.seed = o.seed, .sellers = o.sellers, .orders = o.orders});
  const size_t split = lines.size() - static_cast<size_t>(static_cast<double>(lines.size()) * o.tail);
  std::vector<std::string> sellers;
  for (size_t i = 0; i < split && sellers.size() < static_cast<size_t>(o.sellers); i += 1) {
    const std::string id = nlohmann::json::parse(lines[i])["seller_id"];
    if (std::find(sellers.begin(), sellers.end(), id) == sellers.end()) sellers.push_back(id);
  }
  const double gen_seconds = SecondsSince(gen_start);
  const auto ingest_start = Clock::now();
  IngestInProcess(dir, std::vector<std::string>(lines.begin(), lines.begin() + static_cast<ptrdiff_t>(split)));
  const double preload_seconds = SecondsSince(ingest_start);

  const std::string token = "bench-token";
  const Server server = StartServer(dir, scratch.path(), token);
  std::atomic<bool> stop{false};
  Latencies idle;
  const auto idle_start = Clock::now();
  std::thread idle_readers([&] { idle = Read(server.port, token, sellers, o.readers, stop); });
  std::this_thread::sleep_for(std::chrono::duration<double>(o.seconds / 3));
  stop = true;
  idle_readers.join();
  const double idle_seconds = SecondsSince(idle_start);

  stop = false;
  Latencies busy;
  uint64_t posted = 0, accepted = 0, ingest_errors = 0;
  const auto busy_start = Clock::now();
  std::thread busy_readers([&] { busy = Read(server.port, token, sellers, o.readers, stop); });
  {
    httplib::Client client("127.0.0.1", server.port);
    client.set_bearer_token_auth(token);
    client.set_read_timeout(60, 0);
    for (size_t i = split; i < lines.size() && SecondsSince(busy_start) < o.seconds; i += o.ingest_batch) {
      std::string body;
      for (size_t j = i; j < std::min(lines.size(), i + o.ingest_batch); ++j) body += lines[j] + "\n";
      auto result = client.Post("/v1/events", body, "application/x-ndjson");
      if (!result || result->status != 200) {
        ++ingest_errors;
        continue;
      }
      posted += std::min(lines.size(), i + o.ingest_batch) - i;
      accepted += nlohmann::json::parse(result->body)["summary"]["accepted"].get<uint64_t>();
    }
  }
  const double ingest_seconds = SecondsSince(busy_start);
  while (SecondsSince(busy_start) < o.seconds / 3) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  stop = true;
  busy_readers.join();
  const double busy_seconds = SecondsSince(busy_start);

  const Json server_side = ServerSide(server.port);
  kill(server.pid, SIGTERM);
  int status = 0;
  waitpid(server.pid, &status, 0);
  const Json out = {
      {"bench", "http_bench"},
      {"orders", o.orders},
      {"sellers", o.sellers},
      {"events_total", lines.size()},
      {"events_preloaded", split},
      {"generate_seconds", gen_seconds},
      {"preload_seconds", preload_seconds},
      {"readers", o.readers},
      {"query", "GET /v1/sellers/{s}/orders?limit=50"},
      {"idle", Percentiles(idle.us, idle_seconds)},
      {"under_ingest", Percentiles(busy.us, busy_seconds)},
      {"read_errors", idle.errors + busy.errors},
      {"server_side", server_side},
      {"ingest",
       {{"events_posted", posted},
        {"events_accepted", accepted},
        {"errors", ingest_errors},
        {"batch_lines", o.ingest_batch},
        {"seconds", ingest_seconds},
        {"events_per_second", static_cast<double>(posted) / ingest_seconds}}},
      {"serve_exit", WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status)},
      {"hardware_threads", std::thread::hardware_concurrency()},
  };
  std::cout << out.dump(2) << std::endl;
  if (accepted != posted || ingest_errors != 0 || idle.errors + busy.errors != 0) {
    Die("events were rejected or requests failed (see the figures above)");
  }
}

}  // namespace
}  // namespace mkt::bench

int main(int argc, char** argv) {
  mkt::bench::Options o;
  CLI::App app{"http_bench: order-list latency over HTTP under concurrent ingest"};
  app.add_option("--orders", o.orders, "orders in the generated store")->check(CLI::Range(int64_t{1000}, int64_t{100'000'000}))->capture_default_str();
  app.add_option("--sellers", o.sellers, "sellers")->check(CLI::Range(1, 100000))->capture_default_str();
  app.add_option("--seed", o.seed, "generator seed")->capture_default_str();
  app.add_option("--readers", o.readers, "concurrent reader clients")->check(CLI::Range(1, 64))->capture_default_str();
  app.add_option("--seconds", o.seconds, "length of the phase under ingest")->check(CLI::Range(1.0, 3600.0))->capture_default_str();
  app.add_option("--tail", o.tail, "fraction of the stream held back and sent over HTTP")->check(CLI::Range(0.01, 0.9))->capture_default_str();
  app.add_option("--ingest-batch", o.ingest_batch, "lines per POST /v1/events")->check(CLI::Range(size_t{1}, size_t{4096}))->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  mkt::bench::Run(o);
  return 0;
}
