// LedgerWriter over the embedded store: one thread owns the Ledger. It takes
// requests from a bounded queue (limits::kWriterQueueJobsMax; callers block
// when it is full), commits consecutive ingest requests together in one
// fsynced write (group commit, up to kGroupCommitRequestsMax requests and
// kIngestBatchEventsMax events), runs settle and verify between writes, and
// ticks the timers on the wall clock every kServeTickIntervalMs.
//
// After a storage error the writer stops appending (Ready() is false) and
// every later request fails: the store needs an operator (ops/README.md).
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>

#include "ops/service/probes.h"
#include "ops/service/writer.h"

namespace mkt::service {

class EmbeddedWriter final : public LedgerWriter {
 public:
  // `ctx` has its store open for writing with the read models attached; it
  // and `probes` outlive the writer. `run_timers` = false: no wall-clock tick.
  EmbeddedWriter(cli::Context* ctx, Probes* probes, bool run_timers);
  ~EmbeddedWriter() override;

  std::variant<IngestSummary, cli::CommandError> Ingest(std::vector<IngestLine> lines) override;
  cli::Answer Settle(const std::string& period) override;
  cli::Answer Verify() override;
  bool Ready() const override;
  void Stop() override;

 private:
  struct IngestJob {
    std::vector<IngestLine> lines;
    std::vector<EventResult> results;  // one per decoded line, filled by the writer
    std::string error;                 // set when the write failed
    std::promise<void> done;
  };
  struct ExclusiveJob {
    std::function<cli::Answer()> work;
    std::promise<cli::Answer> done;
  };
  using Job = std::variant<IngestJob*, ExclusiveJob*>;

  // Queues `job` (blocking while the queue is full); false when stopping.
  bool Enqueue(Job job);
  cli::Answer RunExclusive(std::function<cli::Answer()> work);
  void Loop();
  // Pops the group of ingest jobs at the front of the queue (lock held).
  std::vector<IngestJob*> PopIngestGroup();
  void Commit(const std::vector<IngestJob*>& group);
  IngestSummary Summarise(const IngestJob& job);
  void Tick();
  void SetFatal(const std::string& error);

  cli::Context* ctx_;
  Probes* probes_;
  const bool run_timers_;

  mutable std::mutex mu_;
  std::condition_variable work_cv_;   // queue not empty, or stopping
  std::condition_variable space_cv_;  // queue below its bound
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::string fatal_;  // the storage error that stopped the writer
  std::thread thread_;
};

}  // namespace mkt::service
