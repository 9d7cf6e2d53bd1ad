// What every command needs: the global options, the policy, the clock, the
// output format, and (opened on demand) the store with its log, ledger and
// projections.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "ledger/policy.h"
#include "projections/order_json.h"
#include "projections/stack.h"

namespace mkt::cli {

// Exit codes of INTERFACE.md.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFatal = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitRejected = 3;

struct GlobalOptions {
  std::string data_dir = "./ledger-data";
  std::string policy_path;
  std::string kafka;
  std::string kafka_prefix;  // in front of every topic, group and transactional id
  std::string format;  // "", "json" or "table"
  std::string now;     // RFC 3339; empty = wall clock
  uint32_t partitions = 0;
};

// A usage error (exit 2) or a fatal error (exit 1), with the message for stderr.
// `not_found`: the thing asked for does not exist (HTTP 404 in `serve`).
struct CommandError {
  int exit_code;
  std::string message;
  bool not_found = false;
};

class Context {
 public:
  explicit Context(GlobalOptions options) : options_(std::move(options)) {}

  // Resolves policy, clock and format; call once before any command runs.
  std::optional<CommandError> Init();
  // Opens the embedded store (creating it when absent); a no-op once open.
  // `attach_read_models` = false leaves the projections for the caller to
  // attach to the ledger (`serve` wraps them to time each one).
  std::optional<CommandError> OpenStore(bool attach_read_models = true);
  // As OpenStore, for commands that append to the ledger: refuses a store that
  // `replay` rebuilt (it has read models but no ledger state to validate with).
  std::optional<CommandError> OpenStoreForWriting(bool attach_read_models = true);

  const GlobalOptions& options() const { return options_; }
  bool json() const { return json_; }
  const Policy& policy() const { return policy_; }
  TzOffset tz() const { return policy_.timezone; }
  Micros Now() const;
  Store& store() { return stack_->store(); }
  Log& log() { return stack_->log(); }
  Ledger& ledger() { return stack_->ledger(); }
  Projections& projections() { return stack_->projections(); }
  OrderListProjection& orders() { return stack_->projections().orders; }

 private:
  GlobalOptions options_;
  Policy policy_;
  bool json_ = true;
  std::optional<Micros> fixed_now_;
  std::unique_ptr<LedgerStack> stack_;
};

// Prints one JSON document on its own line.
void PrintJson(const Json& json);

}  // namespace mkt::cli
