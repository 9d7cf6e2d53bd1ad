#include <httplib.h>
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <functional>
#include <iostream>
#include <mutex>
#include <thread>

#include "ledger/assert.h"
#include "ops/cli/commands.h"
#include "ops/service/embedded_writer.h"
#include "ops/service/http_api.h"
#include "ops/service/serve.h"

namespace mkt::cli {
namespace {

using service::TokenStore;
using service::TokenTable;

struct Address {
  std::string host;
  int port = 0;
};

std::optional<Address> ParseAddress(const std::string& text) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return std::nullopt;
  Address a{text.substr(0, colon), 0};
  const char* begin = text.data() + colon + 1;
  const char* end = text.data() + text.size();
  const auto [stop, ec] = std::from_chars(begin, end, a.port);
  if (ec != std::errc() || stop != end || a.port < 0 || a.port > 65535) return std::nullopt;
  return a;
}

// Binds `server` to `address`; the bound "HOST:PORT", or nullopt.
std::optional<std::string> Bind(httplib::Server* server, const Address& address) {
  int port = address.port;
  if (port == 0) {
    port = server->bind_to_any_port(address.host);
    if (port <= 0) return std::nullopt;
  } else if (!server->bind_to_port(address.host, port)) {
    return std::nullopt;
  }
  return address.host + ":" + std::to_string(port);
}

void Configure(httplib::Server* server, int threads) {
  server->new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  server->set_read_timeout(limits::kHttpReadTimeoutSeconds, 0);
  server->set_write_timeout(limits::kHttpWriteTimeoutSeconds, 0);
  server->set_keep_alive_timeout(limits::kHttpKeepAliveSeconds);
  server->set_keep_alive_max_count(limits::kHttpKeepAliveRequestsMax);
  server->set_tcp_nodelay(true);  // answers are small; do not wait for Nagle
}

std::optional<TokenTable> LoadTokens(const std::string& path, std::string* error) {
  auto loaded = TokenTable::Load(path);
  if (auto* message = std::get_if<std::string>(&loaded)) {
    *error = *message;
    return std::nullopt;
  }
  return std::get<TokenTable>(std::move(loaded));
}

// Waits for SIGTERM/SIGINT (stops the servers) and SIGHUP (reloads the
// tokens) until `done`; the signals are blocked in every thread, so only this
// one sees them.
void HandleSignals(const sigset_t& signals, const std::atomic<bool>& done, const std::string& tokens_path,
                   TokenStore* tokens, const std::function<void()>& stop_servers) {
  const timespec poll{0, 100'000'000};
  while (!done) {
    const int signal = sigtimedwait(&signals, nullptr, &poll);
    if (signal == SIGHUP) {
      std::string error;
      if (tokens_path.empty()) continue;
      if (auto table = LoadTokens(tokens_path, &error)) {
        std::cerr << "ledger serve: reloaded " << table->size() << " tokens from " << tokens_path << std::endl;
        tokens->Replace(std::move(*table));
      } else {
        std::cerr << "ledger serve: kept the old tokens: " << error << std::endl;
      }
    } else if (signal == SIGTERM || signal == SIGINT) {
      std::cerr << "ledger serve: stopping (signal " << signal << ")" << std::endl;
      stop_servers();
      return;
    }
  }
}

// The read models attached to the ledger, each timed by the projection probe.
std::vector<std::unique_ptr<service::TimedObserver>> AttachTimed(Context& ctx, service::Probes* probes) {
  static const char* const kNames[] = {"orders", "coupons", "invoices", "settlement", "strength"};
  const std::vector<BatchObserver*> observers = ctx.projections().Observers();
  MKT_ASSERT(observers.size() == std::size(kNames), "a read model without a metrics name");
  std::vector<std::unique_ptr<service::TimedObserver>> timed;
  for (size_t i = 0; i < observers.size(); ++i) {
    timed.push_back(std::make_unique<service::TimedObserver>(observers[i], kNames[i], &probes->projections));
    ctx.ledger().AddObserver(timed.back().get());
    // Embedded: the read models are written in the events' own atomic write.
    probes->projections.Lag(kNames[i], 0, 0);
  }
  return timed;
}

}  // namespace

int RunServe(Context& ctx, const ServeArgs& args) {
  // Before any thread exists (RocksDB starts its own), so all inherit the mask.
  sigset_t signals;
  sigemptyset(&signals);
  for (int s : {SIGTERM, SIGINT, SIGHUP}) sigaddset(&signals, s);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  const auto http_address = ParseAddress(args.http);
  if (!http_address) return Fail({kExitUsage, "--http: \"" + args.http + "\" is not HOST:PORT"});
  std::optional<Address> metrics_address;
  if (!args.metrics.empty() && !(metrics_address = ParseAddress(args.metrics))) {
    return Fail({kExitUsage, "--metrics: \"" + args.metrics + "\" is not HOST:PORT"});
  }
  TokenStore tokens{TokenTable()};
  if (args.tokens.empty()) {
    std::cerr << "ledger serve: no --tokens file: every /v1 route answers 401" << std::endl;
  } else {
    std::string error;
    auto table = LoadTokens(args.tokens, &error);
    if (!table) return Fail({kExitUsage, error});
    tokens.Replace(std::move(*table));
  }
  if (auto error = ctx.OpenStoreForWriting(/*attach_read_models=*/false)) return Fail(*error);

  service::Probes probes(&ctx.store());
  const auto timed_observers = AttachTimed(ctx, &probes);
  service::EmbeddedWriter writer(&ctx, &probes, !args.no_timers);
  service::HttpApi api(&ctx, &writer, &tokens, &probes, {.body_bytes_max = args.body_max_bytes});

  httplib::Server http_server;
  Configure(&http_server, args.threads);
  api.Install(&http_server);
  httplib::Server metrics_server;
  Configure(&metrics_server, 2);
  api.InstallMetrics(&metrics_server);

  const auto http_bound = Bind(&http_server, *http_address);
  if (!http_bound) return Fail({kExitFatal, "--http " + args.http + ": cannot listen there"});
  std::optional<std::string> metrics_bound;
  if (metrics_address && !(metrics_bound = Bind(&metrics_server, *metrics_address))) {
    return Fail({kExitFatal, "--metrics " + args.metrics + ": cannot listen there"});
  }
  PrintJson(Json{{"serving", {{"http", *http_bound}, {"metrics", metrics_bound ? Json(*metrics_bound) : Json()}}}});
  std::cout.flush();

  // httplib's stop() does nothing before listen_after_bind() has started, so
  // a signal that arrives that early waits for it.
  std::atomic<bool> http_returned{false}, metrics_returned{!metrics_bound};
  const auto stop_when_running = [](httplib::Server& server, const std::atomic<bool>& returned) {
    while (!server.is_running() && !returned) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    server.stop();
  };
  std::once_flag stopped;
  const std::function<void()> stop_servers = [&] {
    std::call_once(stopped, [&] {
      stop_when_running(http_server, http_returned);
      stop_when_running(metrics_server, metrics_returned);
    });
  };
  std::atomic<bool> done{false};
  std::thread signal_thread(HandleSignals, std::cref(signals), std::cref(done), std::cref(args.tokens), &tokens,
                            std::cref(stop_servers));
  std::thread metrics_thread;
  if (metrics_bound) {
    metrics_thread = std::thread([&] {
      metrics_server.listen_after_bind();
      metrics_returned = true;
    });
  }
  // Returns once stopped and every worker finished its request in flight.
  const bool served = http_server.listen_after_bind();
  http_returned = true;
  stop_servers();
  if (metrics_thread.joinable()) metrics_thread.join();
  done = true;
  signal_thread.join();

  const bool writer_healthy = writer.Ready();
  writer.Stop();  // answers everything it holds, then stops ticking
  const std::string flush_error = ctx.store().FlushAll();
  if (!flush_error.empty()) return Fail({kExitFatal, "flush at shutdown: " + flush_error});
  if (!served) return Fail({kExitFatal, "--http " + *http_bound + ": the listener failed"});
  if (!writer_healthy) return Fail({kExitFatal, "stopped after a storage error (see above)"});
  std::cerr << "ledger serve: stopped" << std::endl;
  return kExitOk;
}

}  // namespace mkt::cli
