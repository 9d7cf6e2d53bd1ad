// Cluster mode's view of the global options.
#pragma once

#include "ledger/kafka_client.h"
#include "ops/cli/context.h"

namespace mkt::cli {

inline kafka::ClusterOptions ClusterOf(const Context& ctx) {
  return kafka::ClusterOptions{ctx.options().kafka, ctx.options().kafka_prefix};
}

}  // namespace mkt::cli
