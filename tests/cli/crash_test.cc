// Crash safety: a real `ledger ingest` killed with SIGKILL mid-stream, then
// restarted on the same input, ends with every event present exactly once, the
// chain intact, and read models identical to an uninterrupted run.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/cli/process.h"

namespace mkt::test {
namespace {

using nlohmann::json;

json LastLine(const std::string& out) {
  const size_t end = out.find_last_not_of('\n');
  const size_t start = out.rfind('\n', end);
  return json::parse(out.substr(start == std::string::npos ? 0 : start + 1, end + 1));
}

json Verify(const std::string& data) {
  const ProcessResult r = RunProcess({LedgerBinary(), "--data", data, "verify"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return json::parse(r.out);
}

TEST(CrashRecovery, KilledIngestRestartedEndsWithEveryEventExactlyOnce) {
  ScratchDir dir;
  const std::string input = dir.path() + "/events.ndjson";
  const ProcessResult gen = RunProcess({LedgerBinary(), "gen", "--seed", "11", "--sellers", "20",
                                        "--orders", "60000"});
  ASSERT_EQ(gen.exit_code, 0);
  WriteFile(input, gen.out);
  const size_t events = std::count(gen.out.begin(), gen.out.end(), '\n');

  // Reference: one uninterrupted run.
  const std::string reference = dir.path() + "/reference";
  ASSERT_EQ(RunProcess({LedgerBinary(), "--data", reference, "ingest", input}).exit_code, 0);
  const json expected = Verify(reference);
  ASSERT_EQ(expected["events"], events);

  // Crashed runs: SIGKILL at increasing delays, while the process still runs.
  const std::string data = dir.path() + "/crashed";
  int kills = 0;
  for (int delay_ms : {150, 400, 700, 1000}) {
    const std::string out_dir = dir.path() + "/run" + std::to_string(delay_ms);
    std::filesystem::create_directories(out_dir);
    const int pid = SpawnProcess({LedgerBinary(), "--data", data, "ingest", input}, "/dev/null", out_dir);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == 0) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      ++kills;
    }
  }
  EXPECT_GT(kills, 0) << "ingest finished before any kill; the input is too small to test a crash";

  const ProcessResult final_run = RunProcess({LedgerBinary(), "--data", data, "ingest", input});
  ASSERT_EQ(final_run.exit_code, 0) << final_run.out;
  const json summary = LastLine(final_run.out)["summary"];
  EXPECT_EQ(summary["rejected"], 0);
  EXPECT_EQ(summary["accepted"].get<size_t>() + summary["duplicate"].get<size_t>(), events);

  const json actual = Verify(data);
  EXPECT_EQ(actual["chain"], "ok");
  EXPECT_EQ(actual["events"], events);
  EXPECT_EQ(actual["digests"], expected["digests"]);
}

// Replay writes without the WAL and makes the store durable at its end, so a
// replay killed midway must leave a store that no command trusts.
TEST(CrashRecovery, KilledReplayLeavesAStoreEveryCommandRefuses) {
  ScratchDir dir;
  const std::string input = dir.path() + "/events.ndjson";
  const ProcessResult gen = RunProcess({LedgerBinary(), "gen", "--seed", "12", "--sellers", "20",
                                        "--orders", "60000"});
  ASSERT_EQ(gen.exit_code, 0);
  WriteFile(input, gen.out);
  const std::string live = dir.path() + "/live", archive = dir.path() + "/ledger.arc";
  ASSERT_EQ(RunProcess({LedgerBinary(), "--data", live, "ingest", input}).exit_code, 0);
  ASSERT_EQ(RunProcess({LedgerBinary(), "--data", live, "export", "--out", archive}).exit_code, 0);

  const std::string rebuilt = dir.path() + "/rebuilt";
  const int pid = SpawnProcess({LedgerBinary(), "replay", "--from", archive, "--into", rebuilt}, "/dev/null",
                               dir.path());
  // Kill it midway: once a memtable was flushed to a table file, the marker
  // (its first write) is in and part of the events too.
  const auto has_table_file = [&] {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(rebuilt, ec)) {
      if (entry.path().extension() == ".sst") return true;
    }
    return false;
  };
  for (int waited_ms = 0; waited_ms < 120'000 && !has_table_file(); waited_ms += 2) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, WNOHANG), 0) << "replay finished before the kill; the archive is too small";
  kill(pid, SIGKILL);
  waitpid(pid, &status, 0);

  const ProcessResult verify = RunProcess({LedgerBinary(), "--data", rebuilt, "verify"});
  EXPECT_EQ(verify.exit_code, 1);
  EXPECT_NE(verify.err.find("did not finish"), std::string::npos) << verify.err;
  const ProcessResult orders = RunProcess({LedgerBinary(), "--data", rebuilt, "orders", "--seller", "s0001"});
  EXPECT_EQ(orders.exit_code, 1);

  // Replaying again into a fresh directory gives the live digests.
  const std::string again = dir.path() + "/again";
  const ProcessResult replay = RunProcess({LedgerBinary(), "replay", "--from", archive, "--into", again});
  ASSERT_EQ(replay.exit_code, 0) << replay.err;
  EXPECT_EQ(json::parse(replay.out)["digests"], Verify(live)["digests"]);
}

}  // namespace
}  // namespace mkt::test
