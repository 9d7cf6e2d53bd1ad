#include "projections/stack.h"

#include "ledger/limits.h"

namespace mkt {

std::variant<std::unique_ptr<LedgerStack>, StackError> LedgerStack::Open(StackOptions options) {
  std::unique_ptr<LedgerStack> stack(new LedgerStack());
  auto store = Store::Open(options.dir, Projections::Families());
  if (auto* error = std::get_if<std::string>(&store)) return StackError{false, *error};
  stack->store_ = std::move(std::get<std::unique_ptr<Store>>(store));
  const uint32_t wanted =
      options.partitions == 0 ? limits::kPartitionsDefault : options.partitions;
  auto log = EmbeddedLog::Open(stack->store_.get(), wanted);
  if (auto* error = std::get_if<std::string>(&log)) return StackError{false, *error};
  stack->log_ = std::move(std::get<std::unique_ptr<EmbeddedLog>>(log));
  if (options.partitions != 0 && stack->log_->partition_count() != options.partitions) {
    return StackError{true, "--partitions " + std::to_string(options.partitions) +
                                ": the store at " + options.dir + " has " +
                                std::to_string(stack->log_->partition_count())};
  }
  stack->projections_ =
      std::make_unique<Projections>(stack->store_.get(), options.policy.timezone);
  stack->projections_->strength.set_model(options.policy.strength);
  stack->ledger_ = std::make_unique<Ledger>(stack->store_.get(), stack->log_.get(),
                                            std::move(options.policy), std::move(options.clock));
  if (options.attach_read_models) stack->projections_->AttachTo(*stack->ledger_);
  return stack;
}

}  // namespace mkt
