// Every bound of the ledger in one place (TigerBeetle's constants.zig habit).
// Relations between limits are checked at compile time below.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mkt::limits {

// Schema version written into every LedgerRecord; bump when events.fbs grows.
inline constexpr uint16_t kSchemaVersion = 1;
// On-disk layout of the embedded store.
// 2: strength days hold their buyers and metrics.
inline constexpr uint32_t kStoreFormatVersion = 2;

// Identifiers and text (LEDGER.md section 1).
inline constexpr size_t kIdBytesMax = 64;
inline constexpr size_t kTextBytesMax = 512;
// Money: magnitude above 1e12 yuan is rejected; in fen that is 1e14.
inline constexpr int64_t kMoneyFenMax = 100'000'000'000'000;

// Input decoding.
inline constexpr size_t kJsonLineBytesMax = 64 * 1024;
inline constexpr size_t kJsonDepthMax = 8;  // envelope -> array -> node table is depth 3
inline constexpr size_t kVectorElementsMax = 1000;

// Ingest batching: one atomic fsynced RocksDB write per batch.
inline constexpr size_t kIngestBatchEventsMax = 4096;
inline constexpr size_t kIngestBatchBytesMax = 16 * 1024 * 1024;

// Log partitions (partition key = seller_id, Kafka's murmur2 partitioner).
inline constexpr uint32_t kPartitionsDefault = 4;
inline constexpr uint32_t kPartitionsMax = 256;

// Queries.
inline constexpr size_t kOrderListLimitDefault = 50;
inline constexpr size_t kOrderListLimitMax = 1000;
// Lines of one `settlement` answer (the statement itself has running totals).
inline constexpr size_t kStatementLinesLimitMax = 100000;
// A filtered order-list page examines at most this many index entries, then
// returns what it found with a cursor to continue: bounded work per request.
inline constexpr size_t kOrderListScanMax = 20'000;
inline constexpr size_t kHistoryEntriesMax = 10'000;

// Reading the log.
inline constexpr size_t kLogReadBatchMax = 8192;
// Entries per WriteBatch when `replay` rebuilds a store (one fsync each).
inline constexpr size_t kReplayBatchEventsMax = 16384;

static_assert(kOrderListLimitDefault <= kOrderListLimitMax);
static_assert(kOrderListLimitMax <= kOrderListScanMax);
static_assert(kVectorElementsMax * (kIdBytesMax + 3) < kJsonLineBytesMax * 2);
static_assert(kPartitionsDefault <= kPartitionsMax);
static_assert(kIngestBatchEventsMax * kJsonLineBytesMax / 4 <= kIngestBatchBytesMax * 4);

}  // namespace mkt::limits

namespace mkt::limits {
// Aggregates kept in memory between batches before the cache is dropped.
inline constexpr size_t kStateCacheEntriesMax = 200'000;
static_assert(kIngestBatchEventsMax * 3 < kStateCacheEntriesMax);
}  // namespace mkt::limits

namespace mkt::limits {
// The store's one block cache (uncompressed blocks of every family). Counted in
// the peak-RSS budget of issue 9 (1 GiB at 10 million events).
inline constexpr size_t kBlockCacheBytes = 256 << 20;
// Distinct buyers of one product on one day, kept in one strength record (about
// 30 bytes each) so the score stays exact; far above any marketplace's day.
inline constexpr size_t kStrengthBuyersPerDayMax = 1'000'000;
}  // namespace mkt::limits

namespace mkt::limits {
// How long a command waits for another process's lock on the store.
inline constexpr int kStoreLockWaitMs = 30'000;
}  // namespace mkt::limits

namespace mkt::limits {
// Cluster mode (Kafka). One validator round (one Kafka transaction) decides at
// most one ingest batch; one projector round is one RocksDB write.
inline constexpr size_t kKafkaRoundRecordsMax = kIngestBatchEventsMax;
// How long a round waits for its first record (the loop's heartbeat).
inline constexpr int kKafkaPollMs = 100;
// Metadata, admin, watermark and transaction calls.
inline constexpr int kKafkaRequestTimeoutMs = 30'000;
// `ingest --kafka` gives up when no outcome arrived for this long.
inline constexpr int kKafkaOutcomeWaitMs = 60'000;
// `serve --kafka` runs the timers (what `tick` does) this often.
inline constexpr int kKafkaTickIntervalMs = 1'000;
static_assert(kKafkaRoundRecordsMax <= kIngestBatchEventsMax);  // Ledger::Process's bound
static_assert(kKafkaPollMs * 10 <= kKafkaTickIntervalMs);
}  // namespace mkt::limits
