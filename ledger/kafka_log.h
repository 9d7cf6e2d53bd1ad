// The Kafka back end of the Log: `ledger.events`, one topic partition per log
// partition, written by a transactional, idempotent producer (one
// transactional.id per validator member: a restarted member fences its zombie).
//
// Heads are the local view: the validator's RocksDB store keeps, per partition,
// the head (next seq, last hash) and the ledger.events offset after the last
// event its state has applied. Local state is written only after the Kafka
// transaction that carries its events committed, so it is never ahead of Kafka;
// after a crash it may be behind, and the validator catches up from NextOffset.
//
// Append outside a round is a transaction of its own (produce, commit, then the
// local write): what Ledger::Tick needs, since each of its rounds reads what the
// previous one committed. Inside a round (BeginRound .. CommitRound) Append only
// stages: the validator then produces the staged events and its rejections, adds
// the consumed inbound offsets and commits them in one transaction.
//
// Thread-safety: one thread (the validator's) uses a KafkaLog.
#pragma once

#include <map>
#include <optional>

#include "ledger/embedded_log.h"
#include "ledger/kafka_client.h"
#include "ledger/store.h"

namespace mkt {

class KafkaLog final : public Log {
 public:
  // `partitions` must be the topics' count (kafka::EnsureTopics); a store made
  // with another count is refused. `member` names this validator's producer
  // (and fences an older one with that name); empty: a reader that cannot append.
  static std::variant<std::unique_ptr<KafkaLog>, std::string> Open(
      Store* store, const kafka::ClusterOptions& cluster, uint32_t partitions,
      const std::string& member);
  ~KafkaLog() override;

  uint32_t partition_count() const override { return heads_->partition_count(); }
  // A validator's log: the head its local state has applied. A reader's (no
  // member): where its Reads ended, since ledger.events itself is the log.
  PartitionHead Head(uint32_t partition) const override;
  std::string Append(std::span<const LogEntry> entries, rocksdb::WriteBatch* local) override;
  // Reads ledger.events (read_committed) in order; sequential calls continue
  // where the previous one stopped, as VerifyChain reads. `LogEntry::seq` is the
  // position in the partition, so a record claiming another seq shows as a break.
  std::string Read(uint32_t partition, uint64_t from_seq, size_t max,
                   std::vector<LogEntry>* out) const override;

  // The ledger.events offset local state continues from (0 on a new store).
  int64_t NextOffset(uint32_t partition) const;

  // Committed ledger.events records of `partition` from `offset` until the end
  // (the last stable offset) or `max`; `next` = where to continue.
  struct Record {
    int64_t offset;
    std::string value;
  };
  std::string ReadFrom(uint32_t partition, int64_t offset, size_t max, std::vector<Record>* out,
                       int64_t* next) const;

  // One Kafka transaction of the validator.
  std::string BeginRound();
  // Staged by Append since BeginRound, in order.
  const std::vector<LogEntry>& staged() const { return staged_entries_; }
  // Produce into the open round. `reply` (may be empty) is copied to a header.
  std::string ProduceEvent(const LogEntry& entry, std::string_view seller_id, std::string_view reply);
  std::string ProduceRejected(std::string_view key, std::string_view value, std::string_view reply);
  // Adds `offsets` of `consumer` (its group) and commits; then writes the staged
  // local state. An error with `*abortable` true: the round was aborted, nothing
  // of it is anywhere, the caller rewinds (Ledger::Rewind, consumer seek).
  std::string CommitRound(rd_kafka_t* consumer, const rd_kafka_topic_partition_list_t* offsets,
                          bool* abortable);
  void AbortRound();
  // Catch-up: Append stages without producing (the events are already in
  // ledger.events); CommitLocalOnly writes the staged local state with
  // `next_offsets` as the new positions.
  void BeginLocalRound();
  std::string CommitLocalOnly(const std::map<uint32_t, int64_t>& next_offsets);

 private:
  KafkaLog() = default;
  // Local state of the staged rounds plus heads and next offsets, one fsynced write.
  std::string WriteLocal(const std::map<uint32_t, int64_t>& next_offsets);
  static void OnDelivery(rd_kafka_t* rk, const rd_kafka_message_t* message, void* opaque);

  Store* store_ = nullptr;
  kafka::ClusterOptions cluster_;
  std::unique_ptr<EmbeddedLog> heads_;  // reads StoreInfo and heads; its own log stays empty
  kafka::Handle producer_;
  rd_kafka_topic_t* events_topic_ = nullptr;
  enum class Round { kNone, kKafka, kLocal };
  Round round_ = Round::kNone;
  bool staged_local_set_ = false;  // one Append per round (one Ledger::Process)
  std::vector<LogEntry> staged_entries_;
  rocksdb::WriteBatch staged_local_;
  // Delivery reports of the open transaction: offset after the last event per partition.
  std::map<uint32_t, int64_t> delivered_next_;
  std::string delivery_error_;
  // Read(): a reader consumer and where the previous call stopped.
  mutable kafka::Handle reader_;
  struct ReadCursor {
    uint64_t next_seq = 0;
    int64_t next_offset = RD_KAFKA_OFFSET_BEGINNING;
    Hash last_hash = kGenesisHash;
  };
  mutable std::map<uint32_t, ReadCursor> read_cursor_;
};

// Header of inbound records whose sender waits for the outcome; the validator
// copies it to the event (ledger.events) or the rejection (ledger.rejected).
inline constexpr const char* kReplyHeader = "ledger.reply";

// Meta key present in a store that holds a cluster-mode validator's state.
inline constexpr std::string_view kClusterModeKey = "kafka/cluster";

}  // namespace mkt
