#include "ops/cli/context.h"

#include "ledger/kafka_log.h"
#include "replay/archive.h"

#include <unistd.h>

#include <chrono>
#include <iostream>


namespace mkt::cli {

std::optional<CommandError> Context::Init() {
  auto policy = LoadPolicy(options_.policy_path);
  if (auto* error = std::get_if<std::string>(&policy)) return CommandError{kExitUsage, *error};
  policy_ = std::get<Policy>(policy);
  if (options_.format.empty()) {
    json_ = !isatty(STDOUT_FILENO);
  } else {
    json_ = options_.format == "json";
  }
  if (!options_.now.empty()) {
    fixed_now_ = ParseRfc3339(options_.now);
    if (!fixed_now_) {
      return CommandError{kExitUsage, "--now: \"" + options_.now +
                                          "\" is not an RFC 3339 timestamp with offset"};
    }
  }
  return std::nullopt;
}

Micros Context::Now() const {
  if (fixed_now_) return *fixed_now_;
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::optional<CommandError> Context::OpenStore(bool attach_read_models) {
  if (stack_) return std::nullopt;
  auto stack = LedgerStack::Open({.dir = options_.data_dir,
                                  .partitions = options_.partitions,
                                  .policy = policy_,
                                  .clock = [this] { return Now(); },
                                  .attach_read_models = attach_read_models});
  if (auto* error = std::get_if<StackError>(&stack)) {
    return CommandError{error->bad_option ? kExitUsage : kExitFatal, error->message};
  }
  stack_ = std::move(std::get<std::unique_ptr<LedgerStack>>(stack));
  std::string source;
  if (store().Get(store().cf(kCfMeta), kReplayIncompleteKey, &source)) {
    stack_.reset();
    return CommandError{kExitFatal, "the store at " + options_.data_dir + " is a `replay` of " + source +
                                        " that did not finish; delete the directory and replay again"};
  }
  return std::nullopt;
}

std::optional<CommandError> Context::OpenStoreForWriting(bool attach_read_models) {
  if (auto error = OpenStore(attach_read_models)) return error;
  std::string source;
  if (store().Get(store().cf(kCfMeta), kReplicaKey, &source)) {
    return CommandError{kExitUsage, "the store at " + options_.data_dir + " was rebuilt by `replay` from " +
                                        source + " for audit and queries; it has no ledger state, so "
                                        "ingest, tick and settle go to the original store"};
  }
  if (store().Get(store().cf(kCfMeta), kClusterModeKey, &source)) {
    return CommandError{kExitUsage, "the store at " + options_.data_dir + " holds the state of a "
                                        "cluster-mode ledger (" + source + "): its log is in Kafka, "
                                        "so ingest with --kafka, and timers run in `serve --kafka`"};
  }
  return std::nullopt;
}

void PrintJson(const Json& json) { std::cout << json.dump() << '\n'; }

}  // namespace mkt::cli
