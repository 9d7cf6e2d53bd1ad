#include "ops/service/embedded_writer.h"

#include <chrono>
#include <iostream>
#include <map>

#include "ops/service/limits.h"
#include "replay/verify.h"

namespace mkt::service {
namespace {

using SteadyClock = std::chrono::steady_clock;

double SecondsSince(SteadyClock::time_point start) {
  return std::chrono::duration<double>(SteadyClock::now() - start).count();
}

size_t DecodedCount(const std::vector<IngestLine>& lines) {
  size_t n = 0;
  for (const IngestLine& line : lines) n += line.decoded.event ? 1 : 0;
  return n;
}

cli::CommandError Unavailable(const std::string& why) {
  return cli::CommandError{cli::kExitFatal, why};
}

}  // namespace

Json IngestSummary::ToJson() const {
  return Json{{"summary", {{"accepted", accepted}, {"duplicate", duplicate}, {"rejected", rejected}}},
              {"rejected", rejected_lines}};
}

EmbeddedWriter::EmbeddedWriter(cli::Context* ctx, Probes* probes, bool run_timers)
    : ctx_(ctx), probes_(probes), run_timers_(run_timers), thread_([this] { Loop(); }) {}

EmbeddedWriter::~EmbeddedWriter() { Stop(); }

void EmbeddedWriter::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  work_cv_.notify_all();
  space_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool EmbeddedWriter::Ready() const {
  std::lock_guard lock(mu_);
  return !stopping_ && fatal_.empty();
}

bool EmbeddedWriter::Enqueue(Job job) {
  std::unique_lock lock(mu_);
  space_cv_.wait(lock, [&] { return stopping_ || queue_.size() < limits::kWriterQueueJobsMax; });
  if (stopping_) return false;
  queue_.push_back(job);
  lock.unlock();
  work_cv_.notify_one();
  return true;
}

std::variant<IngestSummary, cli::CommandError> EmbeddedWriter::Ingest(std::vector<IngestLine> lines) {
  {
    std::lock_guard lock(mu_);
    if (!fatal_.empty()) return Unavailable("the writer stopped after a storage error: " + fatal_);
  }
  IngestJob job;
  job.lines = std::move(lines);
  std::future<void> done = job.done.get_future();
  if (!Enqueue(&job)) return Unavailable("the service is shutting down");
  done.wait();
  if (!job.error.empty()) return Unavailable(job.error);
  return Summarise(job);
}

cli::Answer EmbeddedWriter::RunExclusive(std::function<cli::Answer()> work) {
  ExclusiveJob job;
  job.work = std::move(work);
  std::future<cli::Answer> done = job.done.get_future();
  if (!Enqueue(&job)) return Unavailable("the service is shutting down");
  return done.get();
}

cli::Answer EmbeddedWriter::Settle(const std::string& period) {
  return RunExclusive([this, period]() -> cli::Answer {
    {
      std::lock_guard lock(mu_);
      if (!fatal_.empty()) return Unavailable("the writer stopped after a storage error: " + fatal_);
    }
    cli::Answer answer = cli::SettleAnswer(*ctx_, period, "");
    if (const Json* json = std::get_if<Json>(&answer)) {
      probes_->settlement.Closed((*json)["closed"].size());
      for (const Json& refused : (*json)["refused"]) {
        probes_->settlement.Refused(refused["code"].get<std::string>(), 1);
      }
    } else if (std::get<cli::CommandError>(answer).exit_code == cli::kExitFatal) {
      SetFatal(std::get<cli::CommandError>(answer).message);
    }
    return answer;
  });
}

cli::Answer EmbeddedWriter::Verify() {
  return RunExclusive([this]() -> cli::Answer {
    const ChainReport report = VerifyChain(ctx_->log());
    probes_->store.ChainChecked(!report.first_break, report.events);
    return cli::VerifyJson(*ctx_, report);
  });
}

void EmbeddedWriter::SetFatal(const std::string& error) {
  std::cerr << "ledger serve: the writer stopped: " << error << std::endl;
  probes_->store.WriterHealthy(false);
  std::lock_guard lock(mu_);
  fatal_ = error;
}

void EmbeddedWriter::Loop() {
  auto next_tick = SteadyClock::now();  // the first tick catches up at start
  const auto interval = std::chrono::milliseconds(limits::kServeTickIntervalMs);
  std::unique_lock lock(mu_);
  for (;;) {
    const auto ready = [&] { return stopping_ || !queue_.empty(); };
    if (run_timers_ && fatal_.empty()) {
      work_cv_.wait_until(lock, next_tick, ready);
    } else {
      work_cv_.wait(lock, ready);
    }
    if (run_timers_ && fatal_.empty() && SteadyClock::now() >= next_tick) {
      lock.unlock();
      Tick();
      lock.lock();
      next_tick = SteadyClock::now() + interval;
    }
    if (queue_.empty()) {
      if (stopping_) return;  // every handed-over request is answered
      continue;
    }
    if (auto* exclusive = std::get_if<ExclusiveJob*>(&queue_.front())) {
      ExclusiveJob* job = *exclusive;
      queue_.pop_front();
      space_cv_.notify_all();
      lock.unlock();
      job->done.set_value(job->work());
      lock.lock();
      continue;
    }
    std::vector<IngestJob*> group = PopIngestGroup();
    space_cv_.notify_all();
    lock.unlock();
    Commit(group);
    for (IngestJob* job : group) job->done.set_value();
    lock.lock();
  }
}

std::vector<EmbeddedWriter::IngestJob*> EmbeddedWriter::PopIngestGroup() {
  std::vector<IngestJob*> group;
  size_t events = 0;
  while (!queue_.empty() && group.size() < limits::kGroupCommitRequestsMax) {
    auto* ingest = std::get_if<IngestJob*>(&queue_.front());
    if (ingest == nullptr) break;
    const size_t n = DecodedCount((*ingest)->lines);
    if (!group.empty() && events + n > limits::kIngestBatchEventsMax) break;
    events += n;
    group.push_back(*ingest);
    queue_.pop_front();
  }
  return group;
}

// Decides the group's events in queue order, kIngestBatchEventsMax per write
// (a single large request is split; several small ones share one write).
void EmbeddedWriter::Commit(const std::vector<IngestJob*>& group) {
  {
    std::lock_guard lock(mu_);
    if (!fatal_.empty()) {
      for (IngestJob* job : group) job->error = "the writer stopped after a storage error: " + fatal_;
      return;
    }
  }
  struct Slot {
    IngestJob* job;
    const DecodedEvent* event;
  };
  std::vector<Slot> slots;
  for (IngestJob* job : group) {
    for (const IngestLine& line : job->lines) {
      if (line.decoded.event) slots.push_back({job, &*line.decoded.event});
    }
  }
  std::vector<const DecodedEvent*> events;
  std::vector<EventResult> results;
  for (size_t begin = 0; begin < slots.size(); begin += limits::kIngestBatchEventsMax) {
    const size_t end = std::min(slots.size(), begin + limits::kIngestBatchEventsMax);
    events.clear();
    for (size_t i = begin; i < end; ++i) events.push_back(slots[i].event);
    const auto start = SteadyClock::now();
    const std::string error = ctx_->ledger().Process(events, &results);
    if (!error.empty()) {
      SetFatal(error);
      for (IngestJob* job : group) job->error = "storage error, nothing after the last commit was kept: " + error;
      return;
    }
    probes_->ingest.Committed(events.size(), group.size(), SecondsSince(start));
    for (size_t i = begin; i < end; ++i) slots[i].job->results.push_back(std::move(results[i - begin]));
  }
}

IngestSummary EmbeddedWriter::Summarise(const IngestJob& job) {
  IngestSummary summary;
  std::map<std::string_view, uint64_t> accepted, duplicate;
  std::map<std::pair<std::string_view, std::string_view>, uint64_t> rejected;
  size_t next = 0;
  for (const IngestLine& line : job.lines) {
    if (!line.decoded.event) {
      ++summary.rejected;
      ++rejected[{"undecoded", CodeName(line.decoded.rejection->code)}];
      summary.rejected_lines.push_back(
          cli::RejectedLineJson(line.line_no, line.decoded.event_id, *line.decoded.rejection));
      continue;
    }
    const EventResult& r = job.results[next++];
    const std::string_view type = EventTypeName(line.decoded.event->type());
    if (r.outcome == Outcome::kAccepted) {
      ++summary.accepted;
      ++accepted[type];
    } else if (r.outcome == Outcome::kDuplicate) {
      ++summary.duplicate;
      ++duplicate[type];
    } else {
      ++summary.rejected;
      ++rejected[{type, CodeName(r.rejection->code)}];
      summary.rejected_lines.push_back(
          cli::RejectedLineJson(line.line_no, line.decoded.event->event_id(), *r.rejection));
    }
  }
  for (const auto& [type, n] : accepted) probes_->ingest.Accepted(type, n);
  for (const auto& [type, n] : duplicate) probes_->ingest.Duplicate(type, n);
  for (const auto& [key, n] : rejected) probes_->ingest.Rejected(key.first, key.second, n);
  return summary;
}

void EmbeddedWriter::Tick() {
  const auto start = SteadyClock::now();
  TickReport report;
  cli::Answer answer = cli::TickAnswer(*ctx_, "", &report);
  if (auto* error = std::get_if<cli::CommandError>(&answer)) {
    SetFatal("tick: " + error->message);
    return;
  }
  probes_->timers.Ticked(SecondsSince(start));
  for (const auto& [type, n] : report.by_type) probes_->timers.Emitted(type, n);
}

}  // namespace mkt::service
