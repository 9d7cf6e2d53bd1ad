// `ledger audit statement`: a closed statement recomputed from the log alone
// matches its SettlementClosed event; an edited close (its own hash recomputed)
// differs field by field; an edited earlier event breaks the chain first.
#include <gtest/gtest.h>

#include "ledger/keys.h"
#include "replay/audit_statement.h"
#include "tests/harness.h"

namespace mkt::test {
namespace {

class AuditStatementTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(h.Send(ProductListed("p1", "api")), "accepted");
    ASSERT_EQ(h.Send(OrderPlaced("o1", "p1", "100.00", "2026-10-03T10:00:00+08:00")), "accepted");
    ASSERT_EQ(h.Send(OrderPaid("o1", "70.00", "30.00", "2026-10-03T11:00:00+08:00")), "accepted");
    ASSERT_EQ(h.Send(OrderPlaced("o2", "p1", "55.55", "2026-10-04T10:00:00+08:00")), "accepted");
    ASSERT_EQ(h.Send(OrderPaid("o2", "55.55", "0", "2026-10-04T11:00:00+08:00")), "accepted");
    ASSERT_EQ(h.Settle("2026-10", "2026-11-01T00:00:00+08:00")["closed"].size(), 1u);
    close_seq_ = h.log().Head(0).next_seq - 1;
  }
  StatementAudit Audit() {
    TempDir scratch;
    auto result = AuditStatement(h.log(), "s1", 202610, TzOffset{}, scratch.path() + "/s");
    EXPECT_TRUE(std::holds_alternative<StatementAudit>(result));
    return std::get<StatementAudit>(result);
  }
  std::string Raw(uint64_t seq) {
    std::string value;
    EXPECT_TRUE(h.store().Get(h.store().cf(kCfLog), keys::LogKey(0, seq), &value));
    return value;
  }
  // Rewrites the entry at `seq` with `edit` applied to its event, and its own
  // hash recomputed (what a forger with write access would do).
  // Rewrites the entry at `seq` forged with `edit` (its own hash recomputed).
  void Forge(uint64_t seq, const std::function<void(fb::InputEventT&)>& edit) {
    const std::string forged = ForgeStoredEvent(Raw(seq), edit);
    rocksdb::WriteBatch batch;
    batch.Put(h.store().cf(kCfLog), keys::LogKey(0, seq), forged);
    ASSERT_EQ(h.store().Write(&batch, true), "");
  }
  Harness h{Harness::DefaultPolicy(), 1};
  uint64_t close_seq_ = 0;
};

TEST_F(AuditStatementTest, GenuineCloseIsRecomputedFromTheLog) {
  const StatementAudit audit = Audit();
  EXPECT_TRUE(audit.found);
  EXPECT_EQ(audit.seq, close_seq_);
  EXPECT_TRUE(audit.head_hash_matches);
  EXPECT_TRUE(audit.matches());
  ASSERT_EQ(audit.fields.size(), 11u);
  EXPECT_EQ(audit.fields[0].field, "gross");
  EXPECT_EQ(audit.fields[0].recomputed, 15555);
}

TEST_F(AuditStatementTest, EditedCloseWithItsOwnHashRecomputedDiffersFieldByField) {
  Forge(close_seq_, [](fb::InputEventT& e) { e.event.AsSettlementClosed()->payable += 100; });
  const StatementAudit audit = Audit();
  EXPECT_FALSE(audit.chain_break);  // the forged entry chains to its predecessor
  EXPECT_FALSE(audit.matches());
  for (const FieldCheck& f : audit.fields) {
    EXPECT_EQ(f.recorded == f.recomputed, f.field != "payable") << f.field;
  }
}

TEST_F(AuditStatementTest, EditedEarlierAmountBreaksTheChainBeforeTheClose) {
  Forge(2, [](fb::InputEventT& e) { e.event.AsOrderPaid()->cash -= 1000; });  // o1's payment
  const StatementAudit audit = Audit();
  ASSERT_TRUE(audit.chain_break);
  EXPECT_EQ(audit.chain_break->seq, 3u);  // the next entry no longer links
  EXPECT_FALSE(audit.matches());
}

// Time travel by business time: the closed figures stay what they were, and
// known_now adds what later events booked for October's orders elsewhere.
TEST_F(AuditStatementTest, KnownNowAddsLaterAdjustmentsOfThePeriodsOrders) {
  EXPECT_TRUE(Audit().known_now.later_lines.empty());
  ASSERT_EQ(h.Send(RefundRequested("r1", "o2", "5.55", "2026-11-03T10:00:00+08:00")), "accepted");
  ASSERT_EQ(h.Send(RefundApproved("r1", "2026-11-04T10:00:00+08:00")), "accepted");
  // A November order is November's business, not October's.
  ASSERT_EQ(h.Send(OrderPlaced("o3", "p1", "20.00", "2026-11-05T10:00:00+08:00")), "accepted");
  ASSERT_EQ(h.Send(OrderPaid("o3", "20.00", "0", "2026-11-05T11:00:00+08:00")), "accepted");
  ASSERT_EQ(h.Settle("2026-11", "2026-12-01T00:00:00+08:00")["closed"].size(), 1u);
  const StatementAudit audit = Audit();
  EXPECT_TRUE(audit.matches());
  EXPECT_EQ(audit.fields[0].recorded, 15555);  // the close is unchanged
  ASSERT_EQ(audit.known_now.later_lines.size(), 1u);
  const fb::SettlementLineT& line = audit.known_now.later_lines[0];
  EXPECT_EQ(line.order_id, "o2");
  EXPECT_EQ(line.type, fb::LineType::adjustment);
  EXPECT_EQ(line.period, 202611);
  EXPECT_EQ(line.figures->gross(), -555);
  EXPECT_EQ(audit.known_now.totals.gross(), 15000);
  EXPECT_EQ(audit.known_now.totals.seller_net(), audit.fields[4].recorded + line.figures->seller_net());
}

TEST_F(AuditStatementTest, KnownNowCountsLinesHeldOverByTheClose) {
  ASSERT_EQ(h.Send(OrderPlaced("o9", "p1", "40.00", "2026-10-05T10:00:00+08:00")), "accepted");
  ASSERT_EQ(h.Send(OrderPaid("o9", "40.00", "0", "2026-10-05T11:00:00+08:00")), "accepted");
  // s1's October is closed already; close November with o9 blocked by a pending refund.
  ASSERT_EQ(h.Send(RefundRequested("r9", "o9", "1.00", "2026-11-20T10:00:00+08:00")), "accepted");
  ASSERT_EQ(h.Settle("2026-11", "2026-12-01T00:00:00+08:00")["closed"].size(), 1u);
  TempDir scratch;
  auto result = AuditStatement(h.log(), "s1", 202611, TzOffset{}, scratch.path() + "/s");
  const StatementAudit& audit = std::get<StatementAudit>(result);
  EXPECT_TRUE(audit.matches());
  ASSERT_EQ(audit.known_now.later_lines.size(), 1u);
  EXPECT_EQ(audit.known_now.later_lines[0].order_id, "o9");
  EXPECT_EQ(audit.known_now.later_lines[0].held_from, 202611);
  EXPECT_EQ(audit.known_now.later_lines[0].period, 202612);
  EXPECT_EQ(audit.known_now.totals.gross(), 4000);  // November closed empty
}

TEST_F(AuditStatementTest, MissingCloseIsReportedAsNotFound) {
  TempDir scratch;
  auto result = AuditStatement(h.log(), "s1", 202611, TzOffset{}, scratch.path() + "/s");
  const StatementAudit& audit = std::get<StatementAudit>(result);
  EXPECT_FALSE(audit.found);
  EXPECT_FALSE(audit.matches());
}

}  // namespace
}  // namespace mkt::test
