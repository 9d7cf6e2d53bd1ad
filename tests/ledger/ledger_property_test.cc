// Invariants over generated marketplace streams (rapidcheck picks the seed, the
// size, the share of bad events and how the stream is cut into batches):
// - no accepted event is lost: the log holds exactly the accepted events and the
//   chain verifies;
// - replay is deterministic: the same stream, cut into different batches or
//   sent twice, gives identical read models (digests) and identical outcomes.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <sstream>

#include "ops/gen/generator.h"
#include "replay/verify.h"
#include "tests/harness.h"

namespace mkt::test {
namespace {

std::vector<std::string> Stream(uint64_t seed, int orders, double invalid_rate) {
  gen::GenOptions options;
  options.seed = seed;
  options.sellers = 3;
  options.orders = orders;
  options.invalid_rate = invalid_rate;
  std::ostringstream out;
  gen::Generate(options, out);
  std::vector<std::string> lines;
  std::istringstream in(out.str());
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Sends `lines` cut at the given batch sizes (cycled); returns every outcome.
std::vector<std::string> SendInBatches(Harness& h, const std::vector<std::string>& lines,
                                       const std::vector<size_t>& sizes) {
  std::vector<std::string> outcomes;
  size_t next = 0;
  for (size_t i = 0; next < lines.size(); ++i) {
    const size_t n = std::min(sizes[i % sizes.size()], lines.size() - next);
    const std::vector<std::string> batch(lines.begin() + next, lines.begin() + next + n);
    for (const std::string& o : h.SendLines(batch)) outcomes.push_back(o);
    next += n;
  }
  return outcomes;
}

// Every read model's digest.
std::map<std::string, std::string> Digests(Harness& h) { return h.projections().Digests(); }

RC_GTEST_PROP(LedgerProperty, BatchBoundariesDoNotChangeOutcomesOrReadModels, ()) {
  const auto seed = *rc::gen::inRange<uint64_t>(1, 1'000'000);
  const int orders = *rc::gen::inRange(1, 120);
  const double invalid_rate = *rc::gen::element(0.0, 0.05, 0.3);
  const auto sizes = *rc::gen::nonEmpty(rc::gen::container<std::vector<size_t>>(
      rc::gen::inRange<size_t>(1, 64)));
  const std::vector<std::string> lines = Stream(seed, orders, invalid_rate);

  Harness one_batch(Harness::DefaultPolicy(), 2);
  const auto expected = SendInBatches(one_batch, lines, {4096});
  Harness cut(Harness::DefaultPolicy(), 2);
  const auto actual = SendInBatches(cut, lines, sizes);
  RC_ASSERT(actual == expected);
  RC_ASSERT(Digests(cut) == Digests(one_batch));
}

RC_GTEST_PROP(LedgerProperty, EveryAcceptedEventIsInTheLogExactlyOnce, ()) {
  const auto seed = *rc::gen::inRange<uint64_t>(1, 1'000'000);
  const std::vector<std::string> lines = Stream(seed, *rc::gen::inRange(1, 150), 0.1);
  Harness h(Harness::DefaultPolicy(), 3);
  const auto first = SendInBatches(h, lines, {*rc::gen::inRange<size_t>(1, 100)});
  const auto accepted = std::count(first.begin(), first.end(), "accepted");
  ChainReport report = VerifyChain(h.log());
  RC_ASSERT(!report.first_break);
  RC_ASSERT(report.events == static_cast<uint64_t>(accepted));

  // Sending everything again (as after a crash) adds nothing and changes nothing.
  const auto digest = Digests(h);
  const auto second = SendInBatches(h, lines, {*rc::gen::inRange<size_t>(1, 100)});
  for (size_t i = 0; i < first.size(); ++i) {
    if (first[i] == "accepted") RC_ASSERT(second[i] == "duplicate");
  }
  report = VerifyChain(h.log());
  RC_ASSERT(report.events == static_cast<uint64_t>(accepted));
  RC_ASSERT(Digests(h) == digest);
}

TEST(LedgerProperty, GeneratedStreamWithoutBadEventsIsFullyAccepted) {
  const std::vector<std::string> lines = Stream(42, 500, 0.0);
  Harness h;
  const auto outcomes = SendInBatches(h, lines, {700});
  EXPECT_EQ(std::count(outcomes.begin(), outcomes.end(), "accepted"),
            static_cast<std::ptrdiff_t>(lines.size()));
}

}  // namespace
}  // namespace mkt::test
