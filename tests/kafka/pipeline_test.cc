// The cluster-mode pipeline on the real broker (label `kafka`): `ledger --kafka
// ingest` through `serve --kafka` must report what the embedded ingest reports
// and end with the same `verify` digests, also when serve is killed mid-stream
// or the broker restarts under it: nothing lost, nothing applied twice.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <filesystem>

#include "tests/kafka/cluster.h"

namespace mkt::test {
namespace {

using nlohmann::json;

struct Reference {
  std::string ingest_out;  // the report: rejections, then the summary
  json verify;
};

std::string Generate(const std::string& path, int seed, int orders) {
  const ProcessResult gen = RunProcess({LedgerBinary(), "gen", "--seed", std::to_string(seed),
                                        "--sellers", "12", "--orders", std::to_string(orders),
                                        "--invalid-rate", "0.01"});
  EXPECT_EQ(gen.exit_code, 0) << gen.err;
  WriteFile(path, gen.out);
  return gen.out;
}

Reference Embedded(const std::string& dir, const std::string& input) {
  const std::string data = dir + "/embedded";
  const ProcessResult ingest = RunProcess({LedgerBinary(), "--data", data, "--now", kQuietNow, "ingest", input});
  EXPECT_EQ(ingest.exit_code, 3) << ingest.err;  // the stream has invalid events
  const ProcessResult verify = RunProcess({LedgerBinary(), "--data", data, "verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.err;
  return Reference{ingest.out, json::parse(verify.out)};
}

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

class ClusterPipeline : public KafkaTest {
 protected:
  ServeProcess Serve(const std::string& data, const std::string& name) {
    return ServeProcess(Ledger({"--data", data, "serve"}), dir_.path() + "/" + name);
  }
  json VerifyCluster(const std::string& data) {
    const ProcessResult verify = RunProcess(Ledger({"--data", data, "verify"}));
    EXPECT_EQ(verify.exit_code, 0) << verify.err;
    return json::parse(verify.out, nullptr, false);
  }
  // Stops serve (which first projects ledger.events to its end) and compares.
  // Waits for the `ingest --kafka` process `pid`: every line has exactly one
  // answer, and it is the embedded run's answer (exit 3: the stream has rejections).
  void ExpectIngestAnsweredAsEmbedded(int pid, const std::string& out_dir, const Reference& reference) {
    EXPECT_EQ(WaitExitCode(pid), 3) << ReadFile(out_dir + "/stderr");
    const std::string out = ReadFile(out_dir + "/stdout");
    EXPECT_TRUE(out == reference.ingest_out)
        << "cluster: " << LastJsonLine(out) << "\nembedded: " << LastJsonLine(reference.ingest_out);
  }
  void ExpectSameEnd(const Reference& reference, const std::string& data, ServeProcess* serve) {
    ASSERT_EQ(serve->Stop(), 0) << serve->Stderr();
    const json actual = VerifyCluster(data);
    EXPECT_EQ(actual["chain"], "ok");
    EXPECT_EQ(actual["events"], reference.verify["events"]);
    EXPECT_EQ(actual["digests"], reference.verify["digests"]);
  }
};

TEST_F(ClusterPipeline, IngestReportsAndDigestsEqualTheEmbeddedRun) {
  const std::string input = dir_.path() + "/events.ndjson";
  Generate(input, 21, 3000);
  const Reference reference = Embedded(dir_.path(), input);
  const std::string data = dir_.path() + "/cluster";
  ServeProcess serve = Serve(data, "serve");

  const ProcessResult ingest = RunProcess(Ledger({"ingest", input}));
  EXPECT_EQ(ingest.exit_code, 3) << ingest.err;
  EXPECT_TRUE(ingest.out == reference.ingest_out)
      << "cluster: " << LastJsonLine(ingest.out) << "\nembedded: " << LastJsonLine(reference.ingest_out);

  // Sending the stream again: every accepted event comes back as a duplicate.
  const ProcessResult again = RunProcess(Ledger({"ingest", input}));
  ASSERT_TRUE(LastJsonLine(again.out).is_object()) << again.err;
  const json summary = LastJsonLine(again.out)["summary"];
  const json first = LastJsonLine(reference.ingest_out)["summary"];
  EXPECT_EQ(summary["accepted"], 0) << again.err;
  EXPECT_EQ(summary["duplicate"], first["accepted"]);
  EXPECT_EQ(summary["rejected"], first["rejected"]);

  ExpectSameEnd(reference, data, &serve);
}

// Upstream producers are not the CLI: whatever bytes arrive are checked with
// the FlatBuffers Verifier and refused as `malformed`, and serve keeps running.
TEST_F(ClusterPipeline, MalformedInboundRecordsAreRejectedNotFatal) {
  const std::string data = dir_.path() + "/cluster";
  ServeProcess serve = Serve(data, "serve");
  ASSERT_TRUE(WaitFor([&] { return TopicReady("ledger.inbound"); }, 60'000)) << serve.Stderr();
  const std::string garbage = "not a flatbuffer at all";
  const std::string truncated("\x10\x00\x00\x00\x0c\x00", 6);
  ASSERT_TRUE(ProduceInbound({garbage, truncated, ""}));
  const std::vector<std::string> rejected = ReadRejected(3);
  ASSERT_EQ(rejected.size(), 3u) << serve.Stderr();
  for (const std::string& value : rejected) {
    const json j = json::parse(value);
    EXPECT_EQ(j["outcome"], "rejected") << value;
    EXPECT_EQ(j["code"], "malformed") << value;
    EXPECT_EQ(j["inbound"]["partition"], 0) << value;
  }
  EXPECT_TRUE(serve.Running()) << serve.Stderr();
  EXPECT_EQ(serve.Stop(), 0) << serve.Stderr();
}

TEST_F(ClusterPipeline, KilledServeRestartedEndsWithEveryEventExactlyOnce) {
  const std::string input = dir_.path() + "/events.ndjson";
  Generate(input, 22, 20000);
  const Reference reference = Embedded(dir_.path(), input);
  const int64_t total = reference.verify["events"].get<int64_t>();
  const std::string data = dir_.path() + "/cluster";
  const std::string ingest_dir = dir_.path() + "/ingest";
  std::filesystem::create_directories(ingest_dir);
  const int ingest = SpawnProcess(Ledger({"ingest", input}), "/dev/null", ingest_dir);

  // Kill serve each time it has appended another fifth of the stream.
  int kills = 0;
  for (int fifth = 1; fifth <= 3; ++fifth) {
    ServeProcess serve = Serve(data, "serve" + std::to_string(fifth));
    if (!WaitFor([&] { return EventsEnd() >= total * fifth / 5; }, 120'000)) break;
    serve.Kill();
    ++kills;
  }
  EXPECT_EQ(kills, 3) << "serve did not make progress between kills";
  ServeProcess last = Serve(data, "serve-last");
  ExpectIngestAnsweredAsEmbedded(ingest, ingest_dir, reference);
  ExpectSameEnd(reference, data, &last);
}

TEST_F(ClusterPipeline, BrokerRestartMidStreamLosesAndDoublesNothing) {
  const std::string input = dir_.path() + "/events.ndjson";
  Generate(input, 23, 20000);
  const Reference reference = Embedded(dir_.path(), input);
  const int64_t total = reference.verify["events"].get<int64_t>();
  const std::string data = dir_.path() + "/cluster";
  ServeProcess serve = Serve(data, "serve");
  const std::string ingest_dir = dir_.path() + "/ingest";
  std::filesystem::create_directories(ingest_dir);
  const int ingest = SpawnProcess(Ledger({"ingest", input}), "/dev/null", ingest_dir);

  ASSERT_TRUE(WaitFor([&] { return EventsEnd() >= total / 3; }, 120'000)) << serve.Stderr();
  const ProcessResult stop = RunProcess({"/bin/bash", KAFKA_SH, "stop"});
  ASSERT_EQ(stop.exit_code, 0) << stop.out << stop.err;
  const ProcessResult start = RunProcess({"/bin/bash", KAFKA_SH, "start"});
  ASSERT_EQ(start.exit_code, 0) << start.out << start.err;

  ExpectIngestAnsweredAsEmbedded(ingest, ingest_dir, reference);
  EXPECT_TRUE(serve.Running()) << "serve did not ride out the broker restart:\n" << serve.Stderr();
  ExpectSameEnd(reference, data, &serve);
}

// Growing from one to two serve processes mid-stream: the group splits the
// partitions, the newcomer catches its partitions up from ledger.events, and
// both projections (each has every partition) end as the embedded run.
TEST_F(ClusterPipeline, SecondServeJoiningMidStreamSharesThePartitions) {
  const std::string input = dir_.path() + "/events.ndjson";
  Generate(input, 24, 20000);
  const Reference reference = Embedded(dir_.path(), input);
  const int64_t total = reference.verify["events"].get<int64_t>();
  const std::string first_data = dir_.path() + "/first", second_data = dir_.path() + "/second";
  ServeProcess first = Serve(first_data, "first");
  const std::string ingest_dir = dir_.path() + "/ingest";
  std::filesystem::create_directories(ingest_dir);
  const int ingest = SpawnProcess(Ledger({"ingest", input}), "/dev/null", ingest_dir);

  ASSERT_TRUE(WaitFor([&] { return EventsEnd() >= total / 4; }, 120'000)) << first.Stderr();
  ServeProcess second = Serve(second_data, "second");
  ExpectIngestAnsweredAsEmbedded(ingest, ingest_dir, reference);
  EXPECT_TRUE(first.Running() && second.Running()) << first.Stderr() << second.Stderr();
  // Both validated: the first all partitions, then its share; the second its share.
  EXPECT_NE(second.Stderr().find("validating partitions"), std::string::npos) << second.Stderr();
  // It joined mid-stream: its partitions' state came from ledger.events first.
  EXPECT_EQ(second.Stderr().find("(caught up 0 events"), std::string::npos) << second.Stderr();
  EXPECT_NE(second.Stderr().find("(caught up "), std::string::npos) << second.Stderr();
  EXPECT_GE(Count(first.Stderr(), "validating partitions"), 2u) << first.Stderr();
  ExpectSameEnd(reference, second_data, &second);
  ExpectSameEnd(reference, first_data, &first);
}

}  // namespace
}  // namespace mkt::test
