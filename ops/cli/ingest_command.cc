// `ledger ingest [FILE|-]`: NDJSON in, one report line per rejected event, then a
// summary. Batches of limits::kIngestBatchEventsMax lines are decoded, decided and
// committed (fsynced) together; progress goes to stderr when it is a terminal.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "ledger/limits.h"
#include "ops/cli/answers.h"

namespace mkt::cli {
namespace {

struct Totals {
  uint64_t accepted = 0;
  uint64_t duplicate = 0;
  uint64_t rejected = 0;
  uint64_t lines = 0;
  uint64_t bytes = 0;
};

struct PendingLine {
  uint64_t line_no;
  DecodeResult decoded;
};

void ReportRejection(const Context& ctx, uint64_t line_no, const std::string& event_id,
                     const Rejection& r) {
  PrintRejection(ctx, line_no, event_id, CodeName(r.code), r.message);
}

class Progress {
 public:
  explicit Progress(uint64_t total_bytes)
      : enabled_(isatty(STDERR_FILENO)), total_bytes_(total_bytes), start_(Clock::now()) {}
  void Update(const Totals& t, bool final) {
    if (!enabled_) return;
    const auto now = Clock::now();
    if (!final && now - last_ < std::chrono::milliseconds(250)) return;
    last_ = now;
    const double seconds = std::chrono::duration<double>(now - start_).count();
    const double rate = seconds > 0 ? static_cast<double>(t.lines) / seconds : 0;
    if (total_bytes_ > 0) {
      std::fprintf(stderr, "\ringest: %5.1f%%  %llu events  %.0f events/s  accepted %llu  rejected %llu ",
                   100.0 * static_cast<double>(t.bytes) / static_cast<double>(total_bytes_),
                   static_cast<unsigned long long>(t.lines), rate,
                   static_cast<unsigned long long>(t.accepted),
                   static_cast<unsigned long long>(t.rejected));
    } else {
      std::fprintf(stderr, "\ringest: %llu events  %.0f events/s ",
                   static_cast<unsigned long long>(t.lines), rate);
    }
    if (final) std::fprintf(stderr, "\n");
  }

 private:
  using Clock = std::chrono::steady_clock;
  bool enabled_;
  uint64_t total_bytes_;
  Clock::time_point start_;
  Clock::time_point last_{};
};

// Decides one batch and reports its rejections in line order.
std::optional<CommandError> RunBatch(Context& ctx, std::vector<PendingLine>* batch, Totals* t) {
  std::vector<const DecodedEvent*> events;
  for (const PendingLine& p : *batch) {
    if (p.decoded.event) events.push_back(&*p.decoded.event);
  }
  std::vector<EventResult> results;
  const std::string error = ctx.ledger().Process(events, &results);
  if (!error.empty()) return CommandError{kExitFatal, error};
  size_t next = 0;
  for (const PendingLine& p : *batch) {
    if (!p.decoded.event) {
      ++t->rejected;
      ReportRejection(ctx, p.line_no, p.decoded.event_id, *p.decoded.rejection);
      continue;
    }
    const EventResult& r = results[next++];
    if (r.outcome == Outcome::kAccepted) ++t->accepted;
    if (r.outcome == Outcome::kDuplicate) ++t->duplicate;
    if (r.outcome == Outcome::kRejected) {
      ++t->rejected;
      ReportRejection(ctx, p.line_no, std::string(p.decoded.event->event_id()), *r.rejection);
    }
  }
  batch->clear();
  return std::nullopt;
}

}  // namespace

Json RejectedLineJson(uint64_t line_no, std::string_view event_id, std::string_view code,
                      std::string_view message) {
  return Json{{"line", line_no},
              {"event_id", event_id.empty() ? Json(nullptr) : Json(event_id)},
              {"code", code},
              {"message", message}};
}

Json RejectedLineJson(uint64_t line_no, std::string_view event_id, const Rejection& r) {
  return RejectedLineJson(line_no, event_id, CodeName(r.code), r.message);
}

void PrintRejection(const Context& ctx, uint64_t line_no, const std::string& event_id,
                    std::string_view code, const std::string& message) {
  if (ctx.json()) {
    PrintJson(RejectedLineJson(line_no, event_id, code, message));
  } else {
    std::printf("line %-8llu %-24s %-28s %s\n", static_cast<unsigned long long>(line_no),
                event_id.c_str(), std::string(code).c_str(), message.c_str());
  }
}

void PrintIngestSummary(const Context& ctx, uint64_t accepted, uint64_t duplicate, uint64_t rejected) {
  const Json summary{{"accepted", accepted}, {"duplicate", duplicate}, {"rejected", rejected}};
  if (ctx.json()) {
    PrintJson(Json{{"summary", summary}});
  } else {
    std::printf("accepted %llu, duplicate %llu, rejected %llu\n",
                static_cast<unsigned long long>(accepted), static_cast<unsigned long long>(duplicate),
                static_cast<unsigned long long>(rejected));
  }
}

int RunIngest(Context& ctx, const std::string& path) {
  std::ifstream file;
  std::istream* in = &std::cin;
  uint64_t total_bytes = 0;
  if (!path.empty() && path != "-") {
    file.open(path, std::ios::binary);
    if (!file) return Fail({kExitFatal, "cannot read " + path});
    file.seekg(0, std::ios::end);
    total_bytes = static_cast<uint64_t>(file.tellg());
    file.seekg(0);
    in = &file;
  }
  if (auto error = ctx.OpenStoreForWriting()) return Fail(*error);
  JsonDecoder decoder;
  Totals totals;
  Progress progress(total_bytes);
  std::vector<PendingLine> batch;
  batch.reserve(limits::kIngestBatchEventsMax);
  std::string line;
  uint64_t line_no = 0;
  while (std::getline(*in, line)) {
    ++line_no;
    totals.bytes += line.size() + 1;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;  // blank line
    ++totals.lines;
    batch.push_back(PendingLine{line_no, decoder.Decode(line)});
    if (batch.size() == limits::kIngestBatchEventsMax) {
      if (auto error = RunBatch(ctx, &batch, &totals)) return Fail(*error);
      progress.Update(totals, false);
    }
  }
  if (in->bad()) return Fail({kExitFatal, "read error on " + (path.empty() ? "stdin" : path)});
  if (auto error = RunBatch(ctx, &batch, &totals)) return Fail(*error);
  progress.Update(totals, true);
  PrintIngestSummary(ctx, totals.accepted, totals.duplicate, totals.rejected);
  return totals.rejected > 0 ? kExitRejected : kExitOk;
}

}  // namespace mkt::cli
