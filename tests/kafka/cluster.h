// What the Kafka tests share: the broker from LEDGER_TEST_KAFKA (a test fails,
// never skips, when it is not set), a per-test prefix for topics, groups and
// transactional ids, and `ledger serve --kafka` as a child process.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/cli/process.h"

namespace mkt::test {

// Business time before every generated event: serve's timers find nothing due,
// as in an embedded run that never ticks.
inline constexpr const char* kQuietNow = "2026-09-01T00:00:00+08:00";

class KafkaTest : public ::testing::Test {
 protected:
  void SetUp() override;

  // `ledger --kafka B --kafka-prefix P --now kQuietNow ARGS...`
  std::vector<std::string> Ledger(std::vector<std::string> args) const;
  // Sum of the high watermarks of ledger.events (0 while it does not exist).
  int64_t EventsEnd() const;
  // The topic `prefix_ + name` exists and partition 0 has a leader.
  bool TopicReady(const std::string& name) const;
  // Produces raw `values` to partition 0 of ledger.inbound (key "s0001"), as an
  // upstream producer would; false when a delivery failed.
  bool ProduceInbound(const std::vector<std::string>& values) const;
  // The first `count` records of ledger.rejected (default 4 partitions; waits
  // up to 60 s for them).
  std::vector<std::string> ReadRejected(size_t count) const;

  std::string bootstrap_;
  std::string prefix_;
  ScratchDir dir_;
};

// A `serve --kafka` child on `data`; stopped with SIGTERM when destroyed.
class ServeProcess {
 public:
  ServeProcess(std::vector<std::string> argv, std::string out_dir);
  ~ServeProcess();
  // SIGTERM and wait; returns the exit code.
  int Stop();
  void Kill();  // SIGKILL and wait
  bool Running();
  std::string Stderr() const;

 private:
  std::vector<std::string> argv_;
  std::string out_dir_;
  int pid_ = -1;
};

// Waits (polling) until `done` holds or `timeout_ms` passed; returns `done()`.
bool WaitFor(const std::function<bool()>& done, int timeout_ms);

nlohmann::json LastJsonLine(const std::string& out);

}  // namespace mkt::test
