// End-to-end benchmark: generates a stream, ingests it durably through the
// CLI's path (JsonDecoder, Ledger::Process in batches of
// limits::kIngestBatchEventsMax, the CLI's projections, EmbeddedLog, fsync per
// batch), times order-list queries on the result, then exports the log and
// replays the archive into a new store as `ledger export` and `ledger replay`
// do. Prints one JSON object.
//
//   ingest_bench [--orders N] [--sellers N] [--seed N] [--keep DIR]
//
// The stream is written to a file first and read back line by line, as
// `ledger ingest FILE` reads it, so the generator's time and memory stay out of
// the figures. Everything is removed at the end unless --keep names the store's
// directory (after a fatal error the temporary directory is left for inspection).
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>

#include "CLI/CLI.hpp"
#include "bench/bench_support.h"
#include "ledger/limits.h"
#include "nlohmann/json.hpp"
#include "replay/archive.h"

namespace mkt::bench {
namespace {

using Clock = std::chrono::steady_clock;
using Json = nlohmann::ordered_json;

constexpr int kQueries = 1000;
constexpr size_t kQueryLimit = 50;

struct Options {
  int64_t orders = 250'000;
  int sellers = 50;
  uint64_t seed = 1;
  std::string keep;  // store directory to keep; empty: a temporary one
};

struct IngestFigures {
  uint64_t events = 0;
  uint64_t accepted = 0;
  uint64_t rejected = 0;  // decode or rule rejections, duplicates included: must be 0
  double seconds = 0;
  double decode_seconds = 0;   // reading lines and decoding JSON
  double process_seconds = 0;  // Ledger::Process: rules, log, projections, commit + fsync
};

struct QueryFigures {
  double reopen_seconds = 0;  // Store::Open replays the WAL the ingest left behind
  double p50_us = 0;
  double p99_us = 0;
  double rows_mean = 0;
};

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Reads up to one batch of non-blank lines and decodes them. False at the end.
bool ReadBatch(std::istream& in, JsonDecoder& decoder, std::vector<DecodeResult>* batch) {
  batch->clear();
  std::string line;
  while (batch->size() < limits::kIngestBatchEventsMax && std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;  // as the CLI does
    batch->push_back(decoder.Decode(line));
  }
  if (in.bad()) Die("read error on the generated stream");
  return !batch->empty();
}

void ProcessBatch(Ledger& ledger, const std::vector<DecodeResult>& batch, IngestFigures* f) {
  std::vector<const DecodedEvent*> events;
  events.reserve(batch.size());
  for (const DecodeResult& d : batch) {
    if (d.event) events.push_back(&*d.event);
  }
  std::vector<EventResult> results;
  const std::string error = ledger.Process(events, &results);
  if (!error.empty()) Die(error);
  f->events += batch.size();
  for (const EventResult& r : results) f->accepted += r.outcome == Outcome::kAccepted;
  f->rejected = f->events - f->accepted;
}

IngestFigures Ingest(const std::string& events_path, const std::string& store_dir) {
  std::ifstream in(events_path, std::ios::binary);
  if (!in) Die("cannot read " + events_path);
  auto stack = OpenLedgerStack(store_dir, ReadModels::kLikeCli);
  JsonDecoder decoder;
  std::vector<DecodeResult> batch;
  batch.reserve(limits::kIngestBatchEventsMax);
  IngestFigures f;
  const Clock::time_point start = Clock::now();
  while (true) {
    const Clock::time_point decode_start = Clock::now();
    const bool more = ReadBatch(in, decoder, &batch);
    const Clock::time_point process_start = Clock::now();
    f.decode_seconds += std::chrono::duration<double>(process_start - decode_start).count();
    if (!more) break;
    ProcessBatch(stack->ledger(), batch, &f);
    f.process_seconds += SecondsSince(process_start);
  }
  f.seconds = SecondsSince(start);
  return f;  // `stack` closes the store here, outside the timed span
}

// Latency of first pages (limit 50, no filter) for uniformly random sellers,
// on the store just reopened: the operating system's page cache is warm, the
// store's block cache is not.
QueryFigures MeasureOrderList(const std::string& store_dir, const Options& options) {
  const Clock::time_point open_start = Clock::now();
  auto store = OpenStore(store_dir);
  const double reopen_seconds = SecondsSince(open_start);
  const OrderListProjection orders(store.get());
  std::mt19937_64 random(options.seed);
  std::vector<double> latencies_us;
  uint64_t rows = 0;
  for (int i = 0; i < kQueries; ++i) {
    OrderListQuery query;
    char seller[16];
    std::snprintf(seller, sizeof(seller), "s%04d",
                  static_cast<int>(random() % static_cast<uint64_t>(options.sellers)) + 1);
    query.seller_id = seller;
    query.limit = kQueryLimit;
    const Clock::time_point start = Clock::now();
    auto page = orders.List(query);
    latencies_us.push_back(SecondsSince(start) * 1e6);
    if (auto* error = std::get_if<std::string>(&page)) Die(*error);
    rows += std::get<OrderListPage>(page).rows.size();
  }
  std::sort(latencies_us.begin(), latencies_us.end());
  // Nearest-rank percentiles.
  auto percentile = [&](double p) {
    const auto rank = static_cast<size_t>(std::ceil(p / 100 * latencies_us.size()));
    return latencies_us[std::max<size_t>(rank, 1) - 1];
  };
  return {reopen_seconds, percentile(50), percentile(99), static_cast<double>(rows) / kQueries};
}

struct ReplayFigures {
  uint64_t events = 0;
  uint64_t archive_bytes = 0;
  double export_seconds = 0;
  double seconds = 0;  // ReplayArchive: read, verify the chain, rebuild every read model, flush
  double user_cpu_seconds = 0;  // of the whole process during the replay: holds when cores are shared
};

double ProcessCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

ReplayFigures ExportAndReplay(const std::string& store_dir, const std::string& work_dir) {
  ReplayFigures f;
  const std::string archive = work_dir + "/ledger.arc";
  {
    auto stack = OpenLedgerStack(store_dir, ReadModels::kLikeCli);
    ExportReport exported;
    const Clock::time_point start = Clock::now();
    if (std::string e = ExportArchive(stack->log(), 0, archive, &exported); !e.empty()) Die(e);
    f.export_seconds = SecondsSince(start);
    f.archive_bytes = exported.bytes;
  }
  ReplayOptions options;
  options.from = archive;
  options.into = work_dir + "/replayed";
  ReplayReport report;
  const double cpu = ProcessCpuSeconds();
  const Clock::time_point start = Clock::now();
  if (std::string e = ReplayArchive(options, &report); !e.empty()) Die(e);
  f.seconds = SecondsSince(start);
  f.user_cpu_seconds = ProcessCpuSeconds() - cpu;
  if (report.first_break) Die("the fresh archive's chain breaks: " + report.first_break->reason);
  f.events = report.events;
  std::filesystem::remove(archive);
  std::filesystem::remove_all(options.into);
  return f;
}

// A "Key:   value kB" line of a /proc file, in bytes; 0 when absent.
uint64_t ProcKilobytes(const char* path, std::string_view key) {
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with(key) && line.size() > key.size() && line[key.size()] == ':') {
      return std::stoull(line.substr(key.size() + 1)) * 1024;
    }
  }
  return 0;
}

std::string CpuModel() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("model name")) return line.substr(line.find(':') + 2);
  }
  return "unknown";
}

// Bytes of the regular files under `dir` whose name ends with `suffix` ("" for all).
uint64_t DirectoryBytes(const std::string& dir, std::string_view suffix = "") {
  uint64_t bytes = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().string().ends_with(suffix)) {
      bytes += entry.file_size();
    }
  }
  return bytes;
}

Json MachineJson() {
  utsname uts{};
  uname(&uts);
  return Json{{"nproc", sysconf(_SC_NPROCESSORS_ONLN)},
              {"mem_total_bytes", ProcKilobytes("/proc/meminfo", "MemTotal")},
              {"cpu", CpuModel()},
              {"kernel", uts.release}};
}

// --keep DIR is created when absent; an existing store there would turn the
// ingest into a replay of duplicates, so it must be empty.
void CheckKeepDir(const std::string& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error || !std::filesystem::is_empty(dir, error) || error) {
    Die("--keep " + dir + ": cannot use it (it must be a new or empty directory)");
  }
}

int Run(const Options& options) {
  if (!options.keep.empty()) CheckKeepDir(options.keep);  // before anything is generated
  TempDir work("ingest_bench");
  const std::string events_path = work.path() + "/events.ndjson";
  const Clock::time_point gen_start = Clock::now();
  {
    std::ofstream out(events_path, std::ios::binary);
    gen::Generate({.seed = options.seed, .sellers = options.sellers, .orders = options.orders},
                  out);
    if (!out.flush()) Die("cannot write " + events_path);
  }
  const double generate_seconds = SecondsSince(gen_start);

  const std::string store_dir = options.keep.empty() ? work.path() + "/store" : options.keep;
  const IngestFigures f = Ingest(events_path, store_dir);
  const uint64_t peak_rss_bytes = ProcKilobytes("/proc/self/status", "VmHWM");  // of the ingest
  const uint64_t disk_bytes = DirectoryBytes(store_dir);
  // Closing does not flush memtables: their rows are still only in the WAL.
  const uint64_t wal_bytes = DirectoryBytes(store_dir, ".log");
  const QueryFigures q = MeasureOrderList(store_dir, options);
  const ReplayFigures r = ExportAndReplay(store_dir, work.path());

  const auto events = static_cast<double>(f.events);
  const Json report{{"orders", options.orders},
                    {"sellers", options.sellers},
                    {"seed", options.seed},
                    {"events", f.events},
                    {"rejected", f.rejected},
                    {"seconds", f.seconds},
                    {"events_per_s", events / f.seconds},
                    {"decode_seconds", f.decode_seconds},
                    {"process_seconds", f.process_seconds},
                    {"generate_seconds", generate_seconds},
                    {"peak_rss_bytes", peak_rss_bytes},
                    {"disk_bytes", disk_bytes},
                    {"bytes_per_event", static_cast<double>(disk_bytes) / events},
                    {"wal_bytes", wal_bytes},
                    {"reopen_seconds", q.reopen_seconds},
                    {"order_list_p50_us", q.p50_us},
                    {"order_list_p99_us", q.p99_us},
                    {"order_list_rows_mean", q.rows_mean},
                    {"export_seconds", r.export_seconds},
                    {"archive_bytes", r.archive_bytes},
                    {"replay_events", r.events},
                    {"replay_seconds", r.seconds},
                    {"replay_events_per_s", static_cast<double>(r.events) / r.seconds},
                    {"replay_cpu_seconds", r.user_cpu_seconds},
                    {"store", options.keep.empty() ? Json(nullptr) : Json(options.keep)},
                    {"machine", MachineJson()}};
  std::cout << report.dump() << std::endl;
  if (r.events != f.accepted) Die("replay rebuilt " + std::to_string(r.events) + " of " + std::to_string(f.accepted) + " events");
  return f.rejected == 0 ? 0 : 3;  // 3, as `ledger ingest`: the stream was not all accepted
}

}  // namespace
}  // namespace mkt::bench

int main(int argc, char** argv) {
  mkt::bench::Options options;
  CLI::App app{"Generates a stream, ingests it durably and prints one JSON report."};
  app.add_option("--orders", options.orders, "orders to generate")
      ->check(CLI::Range(1, 10'000'000));
  app.add_option("--sellers", options.sellers, "sellers")->check(CLI::Range(1, 100'000));
  app.add_option("--seed", options.seed, "generator seed");
  app.add_option("--keep", options.keep, "keep the store in this (new or empty) directory");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;  // --help is 0; usage errors are 2, as in the CLI
  }
  return mkt::bench::Run(options);
}
