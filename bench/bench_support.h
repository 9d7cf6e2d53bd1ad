// Set-up shared by the benchmarks: temporary directories, generated input, and
// a ledger wired the way `ledger ingest` wires it (ops/cli/context.cc), so that
// what is measured here is what the CLI runs.
//
// A benchmark has no caller to report to: set-up failures print a message and
// exit(1) instead of returning errors.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/store.h"
#include "ops/gen/generator.h"
#include "projections/stack.h"

namespace mkt::bench {

// Prints "<program>: <message>" to stderr and exits with status 1.
[[noreturn]] void Die(std::string_view message);

// A new directory under $TMPDIR (default /tmp), removed with its contents when
// this object is destroyed.
class TempDir {
 public:
  explicit TempDir(std::string_view prefix);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The generator's NDJSON lines, in stream order.
std::vector<std::string> GenerateLines(const gen::GenOptions& options);

// Which read models the ledger feeds. kLikeCli attaches every projection the
// CLI attaches (mkt::Projections); kNone measures the ledger alone (log, state,
// idempotency). The store always has every family, as the CLI's has.
enum class ReadModels { kNone, kLikeCli };

// Opens (creating when absent) the store in `dir` with every family the CLI
// opens, the default number of log partitions and the default policy; the
// ledger's clock is the wall clock, as in the CLI without --now.
std::unique_ptr<LedgerStack> OpenLedgerStack(const std::string& dir, ReadModels read_models);

// Opens only the store (for queries on an ingested directory).
std::unique_ptr<Store> OpenStore(const std::string& dir);

}  // namespace mkt::bench
