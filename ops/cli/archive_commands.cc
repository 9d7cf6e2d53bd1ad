// `export` and `replay` (INTERFACE.md): the log to a portable archive, and an
// archive back into an empty store with every read model rebuilt.
#include <unistd.h>

#include <cstdio>

#include "ops/cli/commands.h"
#include "replay/archive.h"

namespace mkt::cli {

int RunExport(Context& ctx, const std::string& out) {
  if (auto error = ctx.OpenStore()) return Fail(*error);
  ExportReport report;
  if (std::string error = ExportArchive(ctx.log(), ctx.Now(), out, &report); !error.empty()) {
    return Fail({kExitFatal, error});
  }
  const Json json{{"events", report.events}, {"bytes", report.bytes}};
  if (ctx.json()) {
    PrintJson(json);
  } else {
    std::printf("exported %llu events, %llu bytes to %s\n", static_cast<unsigned long long>(report.events),
                static_cast<unsigned long long>(report.bytes), out.c_str());
  }
  return kExitOk;
}

int RunReplay(const GlobalOptions& global, const ReplayArgs& args) {
  GlobalOptions target = global;
  target.data_dir = args.into;
  Context ctx(target);
  if (auto error = ctx.Init()) return Fail(*error);
  ReplayOptions options;
  options.from = args.from;
  options.into = args.into;
  options.tz = ctx.tz();
  if (!args.until.empty()) {
    options.until = ParseRfc3339(args.until);
    if (!options.until) {
      return Fail({kExitUsage, "--until: \"" + args.until + "\" is not an RFC 3339 timestamp with offset"});
    }
  }
  const bool show_progress = isatty(STDERR_FILENO);
  options.progress = [&](uint64_t n) {
    if (show_progress) std::fprintf(stderr, "\rreplay: %llu events", static_cast<unsigned long long>(n));
  };
  ReplayReport report;
  const std::string error = ReplayArchive(options, &report);
  if (show_progress) std::fprintf(stderr, "\n");
  if (!error.empty()) return Fail({kExitFatal, error});
  if (auto open_error = ctx.OpenStore()) return Fail(*open_error);
  ChainReport chain;
  chain.events = report.events;
  chain.first_break = report.first_break;
  if (report.first_break) {
    std::fprintf(stderr, "replay: the archive's chain breaks at partition %u seq %llu (%s); nothing "
                 "past it was replayed\n", report.first_break->partition,
                 static_cast<unsigned long long>(report.first_break->seq), report.first_break->reason.c_str());
  }
  return PrintVerify(ctx, chain);
}

}  // namespace mkt::cli
