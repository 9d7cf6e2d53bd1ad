// `ledger serve`: the long-running service (INTERFACE.md): the HTTP API, the
// timers on the wall clock and the Prometheus metrics, around one writer.
//
// Start-up prints one JSON line on stdout once both listeners are bound:
//   {"serving":{"http":"HOST:PORT","metrics":"HOST:PORT"|null}}
// (a port of 0 in --http or --metrics picks a free one; the line says which).
// SIGTERM or SIGINT: stop accepting, finish the requests in flight and every
// request the writer holds, flush the store, exit 0. SIGHUP: reload --tokens
// (a file that does not parse is refused and the old tokens stay).
//
// Cluster mode (`--kafka`) plugs in here: RunServe picks the LedgerWriter
// (writer.h) for the context; the HTTP API does not know which one it has.
#pragma once

#include <string>

#include "ops/cli/context.h"
#include "ops/service/limits.h"

namespace mkt::cli {

struct ServeArgs {
  std::string http = "127.0.0.1:8080";
  std::string metrics = "127.0.0.1:9464";  // "" = only the /metrics route of --http
  std::string tokens;                      // empty: every /v1 route answers 401
  size_t body_max_bytes = limits::kHttpBodyBytesDefault;
  int threads = limits::kHttpThreadsDefault;
  bool no_timers = false;
};

int RunServe(Context& ctx, const ServeArgs& args);

}  // namespace mkt::cli
