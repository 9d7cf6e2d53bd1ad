// The embedded ledger, opened in one place: the store with every read model's
// families, the RocksDB-backed log, the projections and the ledger that writes
// them. The CLI, the tests and the benchmarks all open their stores here so the
// wiring cannot drift apart.
//
// Threading: as Ledger (one writer); the parts may be read from other threads
// through RocksDB.
#pragma once

#include <memory>
#include <string>
#include <variant>

#include "ledger/embedded_log.h"
#include "ledger/ledger.h"
#include "projections/projections.h"

namespace mkt {

struct StackOptions {
  std::string dir;
  // Partitions of a new store; 0 means the store's own count, or the default
  // for a new one. A non-zero count that differs from an existing store's is
  // an error.
  uint32_t partitions = 0;
  Policy policy;
  Ledger::Clock clock;
  // false: the ledger writes only its log and state (benchmarks of the core).
  bool attach_read_models = true;
};

struct StackError {
  bool bad_option = false;  // the options contradict the store (a usage error)
  std::string message;      // names the directory and what is wrong
};

class LedgerStack {
 public:
  static std::variant<std::unique_ptr<LedgerStack>, StackError> Open(StackOptions options);

  Store& store() { return *store_; }
  EmbeddedLog& log() { return *log_; }
  Ledger& ledger() { return *ledger_; }
  Projections& projections() { return *projections_; }

 private:
  LedgerStack() = default;

  // Declared in construction order; destroyed in reverse (ledger first).
  std::unique_ptr<Store> store_;
  std::unique_ptr<EmbeddedLog> log_;
  std::unique_ptr<Projections> projections_;
  std::unique_ptr<Ledger> ledger_;
};

}  // namespace mkt
