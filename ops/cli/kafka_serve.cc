// `ledger serve --kafka B`: the validator (main thread), the projector (its own
// thread) and the timers (what `tick` does, every limits::kKafkaTickIntervalMs,
// at the clock), on the store in --data, until SIGTERM or SIGINT. On a signal
// the validator stops between rounds and the projector applies ledger.events to
// its end before serve exits 0, so the stopped store shows every committed event.
// Exit 1 when a part stopped with an error (a restart resumes safely).
//
// `ledger --kafka B verify`: the hash chain of ledger.events and the digests of
// the local read models (the store of a `serve` that has stopped).
#include <signal.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <thread>

#include "ledger/limits.h"
#include "ledger/validator.h"
#include "ops/cli/commands.h"
#include "ops/cli/kafka_cluster.h"
#include "projections/projector.h"

namespace mkt::cli {
namespace {

std::atomic<bool> g_stop{false};

void OnSignal(int) { g_stop.store(true); }

// The projector's thread: rounds until stop, then (once the validator stopped)
// everything up to the end of ledger.events. Returns the error that stopped it.
std::string RunProjector(Projector& p, const std::atomic<bool>& validator_done) {
  std::string error;
  while (!g_stop.load() && error.empty()) error = p.RunOnce();
  g_stop.store(true);
  if (!error.empty()) return error;
  while (!validator_done.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(limits::kKafkaRequestTimeoutMs);
  std::vector<int64_t> ends;
  error = p.EndOffsets(&ends);
  while (error.empty() && !p.Reached(ends)) {
    if (std::chrono::steady_clock::now() > deadline) return "did not reach the end of the log";
    error = p.RunOnce();
  }
  return error;
}

}  // namespace

int RunKafkaServe(Context& ctx) {
  if (ctx.options().kafka.empty()) {
    return Fail({kExitUsage, "serve: needs --kafka BOOTSTRAP (the Kafka cluster to serve)"});
  }
  // From the start: a signal while opening stops serve once it is open.
  signal(SIGTERM, OnSignal);
  signal(SIGINT, OnSignal);
  const kafka::ClusterOptions cluster = ClusterOf(ctx);
  auto partitions = kafka::EnsureTopics(cluster, ctx.options().partitions, limits::kPartitionsDefault);
  if (auto* error = std::get_if<std::string>(&partitions)) return Fail({kExitFatal, *error});
  const uint32_t n = std::get<uint32_t>(partitions);
  auto opened = Store::Open(ctx.options().data_dir, Projections::Families());
  if (auto* error = std::get_if<std::string>(&opened)) return Fail({kExitFatal, *error});
  std::unique_ptr<Store> store = std::move(std::get<std::unique_ptr<Store>>(opened));
  Projections projections(store.get(), ctx.policy().timezone);
  projections.strength.set_model(ctx.policy().strength);

  auto validator = Validator::Open(store.get(), cluster, n, ctx.policy(), [&ctx] { return ctx.Now(); });
  if (auto* error = std::get_if<std::string>(&validator)) return Fail({kExitFatal, *error});
  auto projector = Projector::Open(store.get(), &projections, cluster, n, ValidatorMember(store.get()));
  if (auto* error = std::get_if<std::string>(&projector)) return Fail({kExitFatal, *error});
  Validator& v = *std::get<std::unique_ptr<Validator>>(validator);
  Projector& p = *std::get<std::unique_ptr<Projector>>(projector);

  std::cerr << "ledger serve: " << n << " partitions on " << cluster.bootstrap << ", store "
            << ctx.options().data_dir << '\n';
  std::string projector_error;
  std::atomic<bool> validator_done{false};
  std::thread projector_thread([&] { projector_error = RunProjector(p, validator_done); });
  std::string validator_error;
  auto next_tick = std::chrono::steady_clock::now();
  while (!g_stop.load() && validator_error.empty()) {
    validator_error = v.RunOnce();
    if (!validator_error.empty() || std::chrono::steady_clock::now() < next_tick) continue;
    TickReport report;
    validator_error = v.Tick(ctx.Now(), &report);
    next_tick += std::chrono::milliseconds(limits::kKafkaTickIntervalMs);
  }
  g_stop.store(true);
  v.Close();
  validator_done.store(true);
  projector_thread.join();
  if (!validator_error.empty()) return Fail({kExitFatal, "validator: " + validator_error});
  if (!projector_error.empty()) return Fail({kExitFatal, "projector: " + projector_error});
  return kExitOk;
}

int RunKafkaVerify(Context& ctx) {
  const kafka::ClusterOptions cluster = ClusterOf(ctx);
  auto partitions = kafka::EnsureTopics(cluster, ctx.options().partitions, limits::kPartitionsDefault);
  if (auto* error = std::get_if<std::string>(&partitions)) return Fail({kExitFatal, *error});
  if (auto error = ctx.OpenStore()) return Fail(*error);
  const uint32_t n = std::get<uint32_t>(partitions);
  auto log = KafkaLog::Open(&ctx.store(), cluster, n, /*member=*/"");
  if (auto* error = std::get_if<std::string>(&log)) return Fail({kExitFatal, *error});
  const ChainReport report = VerifyChain(*std::get<std::unique_ptr<KafkaLog>>(log));
  const int code = PrintVerify(ctx, report);
  // The digests describe the read models only if they hold exactly this chain.
  uint64_t projected = 0;
  for (uint32_t p = 0; p < n; ++p) projected += Projector::StoredPosition(ctx.store(), p).next_seq;
  if (projected != report.events) {
    return Fail({kExitFatal, "the read models in " + ctx.options().data_dir + " hold " +
                                 std::to_string(projected) + " of the " + std::to_string(report.events) +
                                 " events of " + cluster.events() + " (is its serve still catching up?)"});
  }
  return code;
}

}  // namespace mkt::cli
