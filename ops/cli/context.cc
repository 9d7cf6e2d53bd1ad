#include "ops/cli/context.h"

#include <unistd.h>

#include <chrono>
#include <iostream>

#include "ledger/limits.h"

namespace mkt::cli {

std::optional<CommandError> Context::Init() {
  if (!options_.kafka.empty()) {
    return CommandError{kExitUsage, "--kafka: the Kafka back end is not available in this "
                                    "version; use the embedded store (--data)"};
  }
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

std::optional<CommandError> Context::OpenStore() {
  auto store = Store::Open(options_.data_dir, Projections::Families());
  if (auto* error = std::get_if<std::string>(&store)) return CommandError{kExitFatal, *error};
  store_ = std::move(std::get<std::unique_ptr<Store>>(store));
  const uint32_t partitions =
      options_.partitions == 0 ? limits::kPartitionsDefault : options_.partitions;
  auto log = EmbeddedLog::Open(store_.get(), partitions);
  if (auto* error = std::get_if<std::string>(&log)) return CommandError{kExitFatal, *error};
  log_ = std::move(std::get<std::unique_ptr<EmbeddedLog>>(log));
  if (options_.partitions != 0 && log_->partition_count() != options_.partitions) {
    return CommandError{kExitUsage, "--partitions " + std::to_string(options_.partitions) +
                                        ": the store at " + options_.data_dir + " has " +
                                        std::to_string(log_->partition_count())};
  }
  projections_ = std::make_unique<Projections>(store_.get());
  ledger_ = std::make_unique<Ledger>(store_.get(), log_.get(), policy_, [this] { return Now(); });
  projections_->AttachTo(*ledger_);
  return std::nullopt;
}

void PrintJson(const Json& json) { std::cout << json.dump() << '\n'; }

}  // namespace mkt::cli
