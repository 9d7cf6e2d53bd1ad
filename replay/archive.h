// `ledger export` and `ledger replay` (LEDGER.md section 9, issue 7): a portable
// archive of the log (schemas/archive.fbs) and the rebuild of every read model
// from it into an empty store, verifying the chain while reading.
//
// Replay writes the archived log itself (so `verify` and every query work on
// the rebuilt store) and every projection, in large batches without the WAL,
// and flushes once at the end (a crash midway leaves a store every command
// refuses: replay again); it does not
// rebuild the ledger's own state (aggregates, idempotency, timers), so a
// rebuilt store is marked as a replica and refuses writing commands.
// Single-threaded.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "ledger/log.h"
#include "ledger/time.h"
#include "replay/verify.h"

namespace mkt {

struct ExportReport {
  uint64_t events = 0;
  uint64_t bytes = 0;
};

// Writes the whole log to `path` (replacing it). Returns "" or an error.
std::string ExportArchive(const Log& log, Micros now, const std::string& path, ExportReport* report);

struct ReplayOptions {
  std::string from;               // archive file
  std::string into;               // an empty or absent directory
  std::optional<Micros> until;    // only entries recorded at or before this instant
  TzOffset tz;
  std::function<void(uint64_t)> progress;  // events replayed so far, now and then
};

struct ReplayReport {
  uint64_t events = 0;
  uint32_t partitions = 0;
  std::optional<ChainBreak> first_break;  // replay stopped there
};

// Rebuilds the store in `into`. Returns "" or a fatal error (I/O, not an
// archive, a non-empty target). A chain break is not fatal: the report names it
// and nothing past it is applied.
std::string ReplayArchive(const ReplayOptions& options, ReplayReport* report);

// The meta key that marks a store rebuilt by replay.
inline constexpr const char* kReplicaKey = "replica";
// Present while a replay runs (it writes without the WAL and makes the store
// durable at the end): a store that still has it is an interrupted rebuild.
inline constexpr const char* kReplayIncompleteKey = "replay_incomplete";

}  // namespace mkt
