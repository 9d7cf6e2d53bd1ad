// `export` / `replay` (issue 7): a live store's archive replays into an empty
// store with equal digests; a tampered archive stops at the right (partition,
// seq); --until replays exactly what was known at that recorded time.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "ledger/limits.h"
#include "replay/archive.h"
#include "schemas/archive_generated.h"
#include "tests/harness.h"

namespace mkt::test {
namespace {

// The archive's records: the header first, then the StoredEvents.
std::vector<std::string> Records(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<std::string> records;
  unsigned char prefix[4];
  while (in.read(reinterpret_cast<char*>(prefix), 4)) {
    const uint32_t n = prefix[0] | prefix[1] << 8 | prefix[2] << 16 | static_cast<uint32_t>(prefix[3]) << 24;
    std::string r(n, '\0');
    in.read(r.data(), n);
    records.push_back(r);
  }
  return records;
}

void Write(const std::string& path, const std::vector<std::string>& records) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  for (const std::string& r : records) {
    const uint32_t n = static_cast<uint32_t>(r.size());
    const char prefix[4] = {static_cast<char>(n), static_cast<char>(n >> 8), static_cast<char>(n >> 16),
                            static_cast<char>(n >> 24)};
    out.write(prefix, 4);
    out.write(r.data(), static_cast<std::streamsize>(r.size()));
  }
}

// seq 0: a product; then each order placed and paid (seq 2i+1, 2i+2). Fixed
// event ids, so two stores fed the same prefix are equal.
std::vector<Json> Story(int orders) {
  std::vector<Json> events = {ProductListed("p1", "api")};
  for (int i = 0; i < orders; ++i) {
    const std::string o = "o" + std::to_string(i), day = "2026-10-0" + std::to_string(i + 2);
    events.push_back(OrderPlaced(o, "p1", "100.00", day + "T10:00:00+08:00"));
    events.push_back(OrderPaid(o, "80.00", "20.00", day + "T11:00:00+08:00"));
  }
  for (size_t i = 0; i < events.size(); ++i) events[i]["event_id"] = "story-" + std::to_string(i);
  return events;
}

class ArchiveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const Json& e : Story(4)) ASSERT_EQ(h.Send(e), "accepted");  // seq 0..8
    ASSERT_EQ(h.Settle("2026-10", "2026-11-01T00:00:00+08:00")["closed"].size(), 1u);  // seq 9
    ExportReport report;
    ASSERT_EQ(ExportArchive(h.log(), 0, archive_, &report), "");
    ASSERT_EQ(report.events, 10u);
  }
  ReplayReport Replay(const std::string& from, std::optional<Micros> until = std::nullopt) {
    ReplayOptions options;
    options.from = from;
    options.into = into_;
    options.until = until;
    ReplayReport report;
    EXPECT_EQ(ReplayArchive(options, &report), "");
    return report;
  }
  std::map<std::string, std::string> ReplayedDigests() {
    auto stack = LedgerStack::Open({.dir = into_, .policy = Harness::DefaultPolicy(), .clock = [] { return Micros{0}; }});
    auto& s = *std::get<std::unique_ptr<LedgerStack>>(stack);
    EXPECT_FALSE(VerifyChain(s.log()).first_break);
    return s.projections().Digests();
  }
  // One partition, so record k + 1 of the archive is the entry at seq k.
  Harness h{Harness::DefaultPolicy(), 1};
  TempDir dir;
  std::string archive_ = dir.path() + "/a.arc";
  std::string into_ = dir.path() + "/replayed";
};

TEST_F(ArchiveTest, ReplayOfAnExportGivesTheLiveDigests) {
  const ReplayReport report = Replay(archive_);
  EXPECT_FALSE(report.first_break);
  EXPECT_EQ(report.events, 10u);
  EXPECT_EQ(ReplayedDigests(), h.projections().Digests());
}

TEST_F(ArchiveTest, ReplayRefusesANonEmptyTarget) {
  std::filesystem::create_directories(into_);
  std::ofstream(into_ + "/something") << "x";
  ReplayOptions options;
  options.from = archive_;
  options.into = into_;
  ReplayReport report;
  EXPECT_NE(ReplayArchive(options, &report).find("is not empty"), std::string::npos);
}

TEST_F(ArchiveTest, FlippedByteStopsAtItsSeq) {
  auto records = Records(archive_);
  records[4][records[4].size() / 2] ^= 0x01;  // the entry at seq 3
  Write(archive_, records);
  const ReplayReport report = Replay(archive_);
  ASSERT_TRUE(report.first_break);
  EXPECT_EQ(report.first_break->seq, 3u);
  EXPECT_EQ(report.events, 3u);  // nothing past the break
}

TEST_F(ArchiveTest, DroppedEventStopsWhereItWas) {
  auto records = Records(archive_);
  records.erase(records.begin() + 6);  // seq 5
  Write(archive_, records);
  const ReplayReport report = Replay(archive_);
  ASSERT_TRUE(report.first_break);
  EXPECT_EQ(report.first_break->seq, 5u);
}

TEST_F(ArchiveTest, SwappedEventsStopAtTheFirst) {
  auto records = Records(archive_);
  std::swap(records[3], records[4]);  // seq 2 and 3
  Write(archive_, records);
  const ReplayReport report = Replay(archive_);
  ASSERT_TRUE(report.first_break);
  EXPECT_EQ(report.first_break->seq, 2u);
}

TEST_F(ArchiveTest, EditedAmountWithItsOwnHashRecomputedStopsAtTheNextEntry) {
  auto records = Records(archive_);
  records[3] = ForgeStoredEvent(records[3], [](fb::InputEventT& e) {  // seq 2: OrderPaid o0
    e.event.AsOrderPaid()->cash -= 1000;
  });
  Write(archive_, records);
  const ReplayReport report = Replay(archive_);
  ASSERT_TRUE(report.first_break);
  EXPECT_EQ(report.first_break->seq, 3u);  // seq 3's prev_hash no longer links
}

TEST_F(ArchiveTest, TruncatedArchiveIsABreakNotACrash) {
  auto records = Records(archive_);
  records.resize(8);
  Write(archive_, records);
  const ReplayReport report = Replay(archive_);
  ASSERT_TRUE(report.first_break);
  EXPECT_EQ(report.first_break->seq, 7u);
}

TEST_F(ArchiveTest, UntilReplaysWhatWasKnownAtThatRecordedTime) {
  // The harness records batch n at its clock's start + n seconds; the first
  // five events (five batches) are a store that stopped then.
  const Micros fifth = ViewStoredEvent(Records(archive_)[5])->record->recorded_at_us();
  const ReplayReport report = Replay(archive_, fifth);
  EXPECT_FALSE(report.first_break);
  EXPECT_EQ(report.events, 5u);
  Harness stopped{Harness::DefaultPolicy(), 1};
  for (const Json& e : Story(2)) ASSERT_EQ(stopped.Send(e), "accepted");
  EXPECT_EQ(ReplayedDigests(), stopped.projections().Digests());
}

// An archive as a writer of schema version 0 would have written it: FlatBuffers
// leaves absent fields out of the bytes, so records of events that use no field
// added since are the same tables, with schema_version 0 (and so a chain of
// their own). Replay must read them with today's schema to the same digests.
TEST_F(ArchiveTest, ArchiveFromAnOlderSchemaVersionReplaysToTheSameDigests) {
  auto records = Records(archive_);
  Hash prev = kGenesisHash;
  for (size_t i = 1; i < records.size(); ++i) {
    fb::StoredEventT stored;
    fb::GetStoredEvent(records[i].data())->UnPackTo(&stored);
    fb::LedgerRecordT record;
    flatbuffers::GetRoot<fb::LedgerRecord>(stored.record.data())->UnPackTo(&record);
    record.schema_version = 0;
    flatbuffers::FlatBufferBuilder b;
    b.Finish(fb::LedgerRecord::Pack(b, &record));
    stored.record.assign(b.GetBufferPointer(), b.GetBufferPointer() + b.GetSize());
    stored.prev_hash.assign(prev.begin(), prev.end());
    prev = ChainHash(prev, {reinterpret_cast<const char*>(stored.record.data()), stored.record.size()});
    stored.hash.assign(prev.begin(), prev.end());
    b.Clear();
    b.Finish(fb::StoredEvent::Pack(b, &stored));
    records[i].assign(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize());
  }
  fb::ArchiveHeaderT header;
  flatbuffers::GetRoot<fb::ArchiveHeader>(records[0].data())->UnPackTo(&header);
  header.schema_version = 0;
  header.partitions[0]->last_hash.assign(prev.begin(), prev.end());
  flatbuffers::FlatBufferBuilder b;
  b.Finish(fb::ArchiveHeader::Pack(b, &header));
  records[0].assign(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize());
  Write(archive_, records);
  const ReplayReport report = Replay(archive_);
  EXPECT_FALSE(report.first_break);
  EXPECT_EQ(report.events, 10u);
  EXPECT_EQ(ReplayedDigests(), h.projections().Digests());
}

TEST_F(ArchiveTest, ArchiveFromANewerSchemaVersionIsRefused) {
  auto records = Records(archive_);
  fb::ArchiveHeaderT header;
  flatbuffers::GetRoot<fb::ArchiveHeader>(records[0].data())->UnPackTo(&header);
  header.schema_version = limits::kSchemaVersion + 1;
  flatbuffers::FlatBufferBuilder b;
  b.Finish(fb::ArchiveHeader::Pack(b, &header));
  records[0].assign(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize());
  Write(archive_, records);
  ReplayOptions options;
  options.from = archive_;
  options.into = into_;
  ReplayReport report;
  EXPECT_NE(ReplayArchive(options, &report).find("newer than this ledger"), std::string::npos);
}

}  // namespace
}  // namespace mkt::test
