// Tampering with the embedded log is detected at the right (partition, seq).
#include <gtest/gtest.h>

#include "ledger/keys.h"
#include "replay/verify.h"
#include "tests/harness.h"

namespace mkt::test {
namespace {

class VerifyChainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(h.Send(ProductListed("p1")), "accepted");
    for (int i = 0; i < 5; ++i) {
      ASSERT_EQ(h.Send(OrderPlaced("o" + std::to_string(i), "p1", "10.00")), "accepted");
    }
  }
  std::string Raw(uint64_t seq) {
    std::string value;
    EXPECT_TRUE(h.store().Get(h.store().cf(kCfLog), keys::LogKey(0, seq), &value));
    return value;
  }
  void Put(uint64_t seq, const std::string& bytes) {
    rocksdb::WriteBatch batch;
    batch.Put(h.store().cf(kCfLog), keys::LogKey(0, seq), bytes);
    ASSERT_EQ(h.store().Write(&batch, true), "");
  }
  Harness h{Harness::DefaultPolicy(), 1};
};

TEST_F(VerifyChainTest, IntactChainVerifies) {
  const ChainReport report = VerifyChain(h.log());
  EXPECT_EQ(report.events, 6u);
  EXPECT_FALSE(report.first_break);
}

TEST_F(VerifyChainTest, FlippedByteIsDetectedAtItsSeq) {
  std::string bytes = Raw(3);
  bytes[bytes.size() / 2] ^= 0x01;
  Put(3, bytes);
  const ChainReport report = VerifyChain(h.log());
  ASSERT_TRUE(report.first_break);
  EXPECT_EQ(report.first_break->partition, 0u);
  EXPECT_EQ(report.first_break->seq, 3u);
}

TEST_F(VerifyChainTest, DroppedEventIsDetected) {
  rocksdb::WriteBatch batch;
  batch.Delete(h.store().cf(kCfLog), keys::LogKey(0, 2));
  ASSERT_EQ(h.store().Write(&batch, true), "");
  const ChainReport report = VerifyChain(h.log());
  ASSERT_TRUE(report.first_break);
  EXPECT_EQ(report.first_break->seq, 2u);
}

TEST_F(VerifyChainTest, DroppedLastEventIsDetectedByTheHead) {
  rocksdb::WriteBatch batch;
  batch.Delete(h.store().cf(kCfLog), keys::LogKey(0, 5));
  ASSERT_EQ(h.store().Write(&batch, true), "");
  const ChainReport report = VerifyChain(h.log());
  ASSERT_TRUE(report.first_break);
  EXPECT_EQ(report.first_break->seq, 5u);
}

TEST_F(VerifyChainTest, SwappedEventsAreDetected) {
  const std::string a = Raw(1), b = Raw(2);
  Put(1, b);
  Put(2, a);
  const ChainReport report = VerifyChain(h.log());
  ASSERT_TRUE(report.first_break);
  EXPECT_EQ(report.first_break->seq, 1u);
}

}  // namespace
}  // namespace mkt::test
