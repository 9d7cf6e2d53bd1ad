// The CLI contract of INTERFACE.md: output shapes and exit codes.
#include <gtest/gtest.h>

#include <algorithm>

#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/cli/process.h"

namespace mkt::test {
namespace {

using nlohmann::json;

class Cli : public ::testing::Test {
 protected:
  ProcessResult Run(std::vector<std::string> args, const std::string& input = "") {
    args.insert(args.begin(), {LedgerBinary(), "--data", data.path() + "/store"});
    return RunProcess(args, input);
  }
  ScratchDir data;
};

const char* kProduct =
    R"({"type":"ProductListed","event_id":"e1","at":"2026-10-01T09:00:00+08:00","seller_id":"s1","product_id":"p1","name":"OCR API","category":"api"})";

TEST_F(Cli, IngestPrintsOnlyTheSummaryWhenAllAccepted) {
  const ProcessResult r = Run({"ingest"}, std::string(kProduct) + "\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out), json::parse(R"({"summary":{"accepted":1,"duplicate":0,"rejected":0}})"));
  EXPECT_EQ(r.err, "");  // no progress display off a terminal
}

TEST_F(Cli, IngestWithRejectionsExitsThreeAndReportsEachLine) {
  const std::string input = std::string(kProduct) + "\n\nnot json\n" + kProduct + "\n" +
                            R"({"type":"Nope","event_id":"e9","at":"2026-10-01T09:00:00+08:00","seller_id":"s1"})" + "\n";
  const ProcessResult r = Run({"ingest", "-"}, input);
  EXPECT_EQ(r.exit_code, 3);
  std::istringstream out(r.out);
  std::vector<json> lines;
  for (std::string l; std::getline(out, l);) lines.push_back(json::parse(l));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0]["line"], 3);  // blank line 2 still counts as a line
  EXPECT_EQ(lines[0]["code"], "malformed");
  EXPECT_TRUE(lines[0]["event_id"].is_null());
  EXPECT_EQ(lines[1]["line"], 5);
  EXPECT_EQ(lines[1]["event_id"], "e9");
  EXPECT_EQ(lines[1]["code"], "unknown_type");
  EXPECT_FALSE(lines[1]["message"].get<std::string>().empty());
  EXPECT_EQ(lines[2], json::parse(R"({"summary":{"accepted":1,"duplicate":1,"rejected":2}})"));
}

TEST_F(Cli, IngestOfAMissingFileIsFatal) {
  const ProcessResult r = Run({"ingest", data.path() + "/no-such-file.ndjson"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no-such-file"), std::string::npos);
}

TEST_F(Cli, UsageErrorsExitTwoAndNameTheOption) {
  EXPECT_EQ(Run({"orders"}).exit_code, 2);  // --seller is required
  const ProcessResult bad_status = Run({"orders", "--seller", "s1", "--status", "shipped"});
  EXPECT_EQ(bad_status.exit_code, 2);
  EXPECT_NE(bad_status.err.find("--status"), std::string::npos);
  EXPECT_EQ(Run({"orders", "--seller", "s1", "--limit", "1001"}).exit_code, 2);
  EXPECT_EQ(Run({"orders", "--seller", "s1", "--from", "yesterday"}).exit_code, 2);
  EXPECT_EQ(Run({"orders", "--seller", "s1", "--cursor", "xyz"}).exit_code, 2);
  EXPECT_EQ(Run({"no-such-command"}).exit_code, 2);
  // Cluster mode has no tick or settle of its own yet (serve --kafka runs the timers).
  const ProcessResult kafka = Run({"--kafka", "127.0.0.1:9092", "tick", "--now", "2026-11-01T00:00:00+08:00"});
  EXPECT_EQ(kafka.exit_code, 2);
  EXPECT_NE(kafka.err.find("--kafka"), std::string::npos);
}

TEST_F(Cli, HelpExitsZero) {
  EXPECT_EQ(Run({"--help"}).exit_code, 0);
  EXPECT_EQ(Run({"orders", "--help"}).exit_code, 0);
}

TEST_F(Cli, BadPolicyFileIsAUsageErrorNamingTheKey) {
  WriteFile(data.path() + "/policy.toml", "no_reason_refund_days = \"five\"\n");
  const ProcessResult r = Run({"--policy", data.path() + "/policy.toml", "orders", "--seller", "s1"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no_reason_refund_days"), std::string::npos);
}

TEST_F(Cli, OrdersOfAnUnknownSellerIsAnEmptyList) {
  const ProcessResult r = Run({"orders", "--seller", "nobody"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(json::parse(r.out), json::parse(R"({"orders":[],"next_cursor":null})"));
}

TEST_F(Cli, UnknownOrderIsAnError) {
  const ProcessResult r = Run({"order", "nope"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("nope"), std::string::npos);
}

TEST_F(Cli, GenIsDeterministicAndFullyAccepted) {
  const ProcessResult a = RunProcess({LedgerBinary(), "gen", "--seed", "7", "--sellers", "3", "--orders", "300"});
  const ProcessResult b = RunProcess({LedgerBinary(), "gen", "--seed", "7", "--sellers", "3", "--orders", "300"});
  const ProcessResult c = RunProcess({LedgerBinary(), "gen", "--seed", "8", "--sellers", "3", "--orders", "300"});
  ASSERT_EQ(a.exit_code, 0);
  EXPECT_EQ(a.out, b.out);
  EXPECT_NE(a.out, c.out);
  const ProcessResult ingest = Run({"ingest"}, a.out);
  EXPECT_EQ(ingest.exit_code, 0) << ingest.out;
  std::istringstream out(ingest.out);
  std::string last;
  for (std::string l; std::getline(out, l);) last = l;
  EXPECT_EQ(json::parse(last)["summary"]["rejected"], 0);
  EXPECT_GT(json::parse(last)["summary"]["accepted"].get<int>(), 300);
}

TEST_F(Cli, GenInvalidRateMixesInRejectedEventsOnly) {
  const ProcessResult clean = RunProcess({LedgerBinary(), "gen", "--seed", "3", "--orders", "500"});
  const ProcessResult dirty = RunProcess({LedgerBinary(), "gen", "--seed", "3", "--orders", "500", "--invalid-rate", "0.05"});
  ASSERT_EQ(dirty.exit_code, 0);
  const ProcessResult r = Run({"ingest"}, dirty.out);
  EXPECT_EQ(r.exit_code, 3);
  std::istringstream out(r.out);
  std::string last;
  for (std::string l; std::getline(out, l);) last = l;
  const json summary = json::parse(last)["summary"];
  EXPECT_GT(summary["rejected"].get<int>(), 0);
  // Every valid event of the clean stream is still accepted.
  const size_t clean_lines = std::count(clean.out.begin(), clean.out.end(), '\n');
  EXPECT_EQ(summary["accepted"].get<size_t>(), clean_lines);
}

}  // namespace
}  // namespace mkt::test
