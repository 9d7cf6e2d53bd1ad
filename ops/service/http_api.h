// The HTTP API of INTERFACE.md ("HTTP API"), on cpp-httplib: routes, bearer
// tokens and roles, body and header limits, JSON errors
// `{"error":{"code":"…","message":"…"}}` that name the bad parameter.
//
// Reads run on the HTTP worker threads against the projections (RocksDB reads
// are thread-safe); ingest, settle and verify go to the LedgerWriter.
//
// Status codes: 200; 400 bad parameter or body; 401 missing or unknown token;
// 403 the token's roles do not cover the route or the seller; 404 unknown
// route or thing; 413 body over the limit; 415 a form body (send
// application/x-ndjson); 431 too many header lines; 500 an
// internal error; 503 the writer cannot append (shutting down, storage error).
#pragma once

#include <memory>
#include <string>

#include "ops/cli/answers.h"
#include "ops/service/probes.h"
#include "ops/service/tokens.h"
#include "ops/service/writer.h"

namespace httplib {
class Server;
}

namespace mkt::service {

struct HttpApiOptions {
  size_t body_bytes_max = 0;  // larger bodies get 413
};

class Routes;

class HttpApi {
 public:
  // Every pointer outlives the API and the servers it is installed on.
  HttpApi(cli::Context* ctx, LedgerWriter* writer, TokenStore* tokens, Probes* probes,
          HttpApiOptions options);
  ~HttpApi();

  // Installs the routes, the limits and the error handling on `server`.
  void Install(httplib::Server* server);
  // Installs only GET /metrics (the --metrics listener).
  void InstallMetrics(httplib::Server* server);

 private:
  std::unique_ptr<Routes> routes_;
};

// "--as-of: …" -> "as_of: …": the CLI's option names in an answer's error
// message, spelled as the HTTP API's query parameters.
std::string HttpParameterMessage(std::string message);

}  // namespace mkt::service
