// Micro benchmarks of the ingest path's pieces, one at a time: JSON decoding,
// FlatBuffers verification of a stored event, the SHA-256 chain hash, and
// Ledger::Process on a real (fsynced) store. Input comes from the generator, so
// lines and events look like production traffic rather than hand-made samples.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "bench/bench_support.h"
#include "ledger/hash.h"
#include "ledger/json_decode.h"
#include "ledger/limits.h"

namespace mkt::bench {
namespace {

constexpr size_t kBatchEvents = limits::kIngestBatchEventsMax;
// About a month of a small marketplace: ~29 full batches of today's stream.
constexpr int64_t kCorpusOrders = 30'000;
constexpr int kCorpusSellers = 50;
// Bounds the decoded corpus's memory whatever the generator's events per order
// become; a prefix of the time-sorted stream is itself a valid stream.
constexpr size_t kCorpusLinesMax = 48 * kBatchEvents;
// Batches BM_LedgerProcess runs per timing run (see there).
constexpr size_t kProcessBatches = 24;

// The generated stream, built once and shared by every benchmark.
const std::vector<std::string>& Corpus() {
  static const std::vector<std::string> lines = [] {
    std::vector<std::string> all = GenerateLines(
        gen::GenOptions{.seed = 1, .sellers = kCorpusSellers, .orders = kCorpusOrders});
    if (all.size() > kCorpusLinesMax) all.resize(kCorpusLinesMax);
    return all;
  }();
  return lines;
}

const std::string& FirstLineOfType(std::string_view type) {
  const std::string needle = "\"type\":\"" + std::string(type) + "\"";
  for (const std::string& line : Corpus()) {
    if (line.find(needle) != std::string::npos) return line;
  }
  Die("the generated stream has no " + std::string(type));
}

DecodedEvent DecodeOrDie(JsonDecoder& decoder, const std::string& line) {
  DecodeResult result = decoder.Decode(line);
  if (!result.event) Die("generated line rejected: " + result.rejection->message);
  return std::move(*result.event);
}

// The whole corpus decoded, cut into full batches of pointers into it (a
// partial last batch is dropped so every timed iteration is kBatchEvents).
struct DecodedCorpus {
  std::vector<DecodedEvent> events;
  std::vector<std::vector<const DecodedEvent*>> batches;
};

DecodedCorpus DecodeCorpus() {
  DecodedCorpus corpus;
  JsonDecoder decoder;
  for (const std::string& line : Corpus()) corpus.events.push_back(DecodeOrDie(decoder, line));
  // Pointers are taken only now that `events` no longer grows (moving the
  // corpus later moves the vector's buffer, so they stay valid).
  for (size_t i = 0; i + kBatchEvents <= corpus.events.size(); i += kBatchEvents) {
    std::vector<const DecodedEvent*>& batch = corpus.batches.emplace_back();
    for (size_t j = i; j < i + kBatchEvents; ++j) batch.push_back(&corpus.events[j]);
  }
  return corpus;
}

const DecodedCorpus& Decoded() {
  static const DecodedCorpus corpus = DecodeCorpus();
  return corpus;
}

// The log bytes of the first accepted OrderPlaced, as the ledger really stores
// them: the first batch is processed on a throwaway store and read back.
std::string StoredOrderPlaced() {
  TempDir dir("micro_bench");
  auto stack = OpenLedgerStack(dir.path(), ReadModels::kNone);
  std::vector<EventResult> results;
  const std::string error = stack->ledger().Process(Decoded().batches.front(), &results);
  if (!error.empty()) Die(error);
  for (uint32_t p = 0; p < stack->log().partition_count(); ++p) {
    std::vector<LogEntry> entries;
    if (!stack->log().Read(p, 0, kBatchEvents, &entries).empty()) Die("log read failed");
    for (LogEntry& entry : entries) {
      const auto view = ViewStoredEvent(entry.bytes);
      if (view && view->input->event_type() == fb::Event::OrderPlaced) return entry.bytes;
    }
  }
  Die("no OrderPlaced in the first batch");
}

void BM_DecodeOrderPlaced(benchmark::State& state) {
  const std::string& line = FirstLineOfType("OrderPlaced");
  JsonDecoder decoder;
  for (auto _ : state) {
    DecodeResult result = decoder.Decode(line);
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(line.size()));
}
BENCHMARK(BM_DecodeOrderPlaced);

// Every line of the stream in turn: the real mix of types and sizes.
void BM_DecodeStreamMix(benchmark::State& state) {
  const std::vector<std::string>& lines = Corpus();
  JsonDecoder decoder;
  size_t next = 0;
  int64_t bytes = 0;
  for (auto _ : state) {
    const std::string& line = lines[next];
    next = next + 1 == lines.size() ? 0 : next + 1;
    DecodeResult result = decoder.Decode(line);
    benchmark::DoNotOptimize(result);
    bytes += static_cast<int64_t>(line.size());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(bytes);
}
BENCHMARK(BM_DecodeStreamMix);

// Verifying the outer StoredEvent and its two nested buffers, as every reader
// of the log and the ledger's own assert-before-write do.
void BM_ViewStoredEvent(benchmark::State& state) {
  static const std::string bytes = StoredOrderPlaced();
  for (auto _ : state) {
    auto view = ViewStoredEvent(bytes);
    benchmark::DoNotOptimize(view);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["stored_bytes"] = static_cast<double>(bytes.size());
}
BENCHMARK(BM_ViewStoredEvent);

// SHA-256(prev ‖ record) with each hash feeding the next, as a partition chains.
void BM_ChainHash(benchmark::State& state) {
  std::string record(static_cast<size_t>(state.range(0)), '\0');
  for (size_t i = 0; i < record.size(); ++i) record[i] = static_cast<char>(i * 131 + 7);
  Hash hash = kGenesisHash;
  for (auto _ : state) {
    hash = ChainHash(hash, record);
    benchmark::DoNotOptimize(hash);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_ChainHash)->Arg(400);

// One Ledger::Process call per iteration on the corpus's first kProcessBatches
// batches, in stream order, on a store created (untimed) for each run, fsync on
// as in production. The iteration count is fixed: the cost of a batch depends
// on where it is in the stream and how full the store is, so letting the
// library pick the count would change what is measured from run to run.
void BM_LedgerProcess(benchmark::State& state) {
  const auto read_models = state.range(0) != 0 ? ReadModels::kLikeCli : ReadModels::kNone;
  const DecodedCorpus& corpus = Decoded();
  if (corpus.batches.size() < kProcessBatches) Die("the corpus is too short for BM_LedgerProcess");
  TempDir dir("micro_bench");
  auto stack = OpenLedgerStack(dir.path(), read_models);
  std::vector<EventResult> results;
  size_t next = 0;
  int64_t not_accepted = 0;
  for (auto _ : state) {
    const std::string error = stack->ledger().Process(corpus.batches[next++], &results);
    if (!error.empty()) {
      state.SkipWithError(error.c_str());
      break;
    }
    for (const EventResult& r : results) not_accepted += r.outcome != Outcome::kAccepted;
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kBatchEvents));
  // Must stay 0: the generated stream is valid, so anything else is a bug.
  state.counters["not_accepted"] = static_cast<double>(not_accepted);
  stack.reset();  // close the store before its directory goes
}
BENCHMARK(BM_LedgerProcess)
    ->ArgName("projections")
    ->Arg(0)
    ->Arg(1)
    ->Iterations(kProcessBatches)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();  // fsync waits off-CPU: CPU time would flatter it

}  // namespace
}  // namespace mkt::bench
