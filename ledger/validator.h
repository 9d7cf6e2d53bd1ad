// The validator of cluster mode: consumes ledger.inbound (read_committed,
// consumer group `ledger.validator`), decides each record with the Ledger
// against its local state, and writes accepted events to ledger.events and
// rejections (and duplicates) to ledger.rejected in ONE Kafka transaction with
// the consumed inbound offsets. Local state (RocksDB) is written after the
// commit; see KafkaLog for why that order is safe.
//
// Ownership: the group gives each partition to one member; a member that lost a
// partition can no longer commit a transaction for it (the offsets carry the
// group generation, KIP-447), and a restarted member fences its zombie through
// its transactional.id. On every assignment the local state of each assigned
// partition first catches up from ledger.events (records past NextOffset) by
// re-deciding them; a record that decides differently (another policy) stops
// the validator loudly.
//
// Threading: one thread calls everything (RunOnce, Tick, Close).
#pragma once

#include <algorithm>
#include <memory>
#include <string>
#include <variant>

#include "ledger/kafka_log.h"
#include "ledger/ledger.h"

namespace mkt {

// An inbound record's bytes as an event: the FlatBuffers Verifier, then every
// check the JSON decoder applies (JsonDecoder::CheckInput); anything else is a
// rejection naming the field, never a crash further on.
std::variant<DecodedEvent, Rejection> ReadInboundRecord(std::string_view bytes);
// The input of an event already in ledger.events: the Verifier only.
std::optional<DecodedEvent> ReadStoredInput(std::string_view bytes);

// This store's validator member name (made once, kept in the store).
std::string ValidatorMember(Store* store);

class Validator {
 public:
  static std::variant<std::unique_ptr<Validator>, std::string> Open(
      Store* store, const kafka::ClusterOptions& cluster, uint32_t partitions, Policy policy,
      Ledger::Clock clock);
  ~Validator();

  // One round: waits up to limits::kKafkaPollMs for inbound records, then
  // decides and commits what arrived. An error is fatal (the caller stops and a
  // restart recovers); an aborted transaction is retried by the next round.
  std::string RunOnce();
  // Appends the timer events due at `now` of the partitions this member owns.
  std::string Tick(Micros now, TickReport* report);
  // Leaves the group (its partitions go to the other members at once).
  void Close();

  uint64_t rounds() const { return rounds_; }
  // Partitions the group assigned to this member (after their catch-up).
  size_t owned_partitions() const { return std::count(owned_.begin(), owned_.end(), true); }

 private:
  Validator() = default;
  struct Inbound;
  std::string Decide(std::vector<kafka::Message>& messages);
  std::string ProduceOutcomes(const std::vector<Inbound>& inbound,
                              const std::vector<EventResult>& results);
  std::string CatchUp(uint32_t partition);
  std::string Replay(uint32_t partition, std::span<const KafkaLog::Record> records);
  std::string RewindConsumer();
  static void OnRebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                          rd_kafka_topic_partition_list_t* partitions, void* opaque);

  kafka::ClusterOptions cluster_;
  Ledger::Clock clock_;
  std::optional<Micros> replay_recorded_at_;  // catch-up: the clock says when it was recorded
  std::unique_ptr<KafkaLog> log_;
  std::unique_ptr<Ledger> ledger_;
  kafka::Handle consumer_;
  rd_kafka_queue_t* queue_ = nullptr;
  std::vector<bool> owned_;
  std::string fatal_;  // set in the rebalance callback, returned by RunOnce
  uint64_t rounds_ = 0;
  uint64_t rebalances_ = 0;  // assignments and revocations seen
  uint64_t caught_up_ = 0;   // events re-decided from ledger.events
  bool closed_ = false;
};

}  // namespace mkt
