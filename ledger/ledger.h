// The ledger: validates decoded events against aggregate state, sequences and
// hash-chains the accepted ones per partition, and commits them together with the
// state and read-model changes they cause (one atomic write per batch).
//
// Threading: one Ledger is the single writer of its store; call Process from one
// thread. Readers query projections concurrently through RocksDB.
#pragma once

#include <functional>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "ledger/json_decode.h"
#include "ledger/log.h"
#include "ledger/policy.h"
#include "ledger/state.h"
#include "schemas/ledger_log_generated.h"

namespace mkt {

enum class Outcome : uint8_t { kAccepted, kDuplicate, kRejected };

struct EventResult {
  Outcome outcome = Outcome::kRejected;
  std::optional<Rejection> rejection;  // kRejected only
  uint32_t partition = 0;              // kAccepted / kDuplicate: where the event is
  uint64_t seq = 0;
};

// An accepted event as projections see it: views into a verified StoredEvent.
struct AcceptedRecord {
  uint32_t partition = 0;
  uint64_t seq = 0;
  const fb::LedgerRecord* record = nullptr;
  const fb::InputEvent* input = nullptr;
};

// Views into a StoredEvent buffer after verifying it and its nested buffers;
// nullopt when the bytes are not a well-formed StoredEvent.
std::optional<AcceptedRecord> ViewStoredEvent(std::string_view bytes);

// Read models updated in the same atomic write as the events that change them.
class BatchObserver {
 public:
  virtual ~BatchObserver() = default;
  // Adds the changes caused by `records` (in log order) to `batch`.
  virtual void Apply(std::span<const AcceptedRecord> records, rocksdb::WriteBatch* batch) = 0;
  // The batch was not committed: forget anything cached from it.
  virtual void Reset() = 0;
};

// What `ledger tick` appended.
struct TickReport {
  uint64_t emitted = 0;
  std::map<std::string, uint64_t> by_type;
};

class Ledger {
 public:
  using Clock = std::function<Micros()>;

  Ledger(Store* store, Log* log, Policy policy, Clock clock);

  void AddObserver(BatchObserver* observer) { observers_.push_back(observer); }
  const Policy& policy() const { return policy_; }

  // Decides every event in order and commits the accepted ones durably; fills
  // one result per event. On a storage error nothing of the batch is committed
  // and the message is returned (the caller stops: the store needs attention).
  std::string Process(std::span<const DecodedEvent* const> events,
                      std::vector<EventResult>* results);

  // Forgets every change not in the store: for a Log whose commit failed after
  // Append returned (a Kafka round that was aborted). The next batch starts
  // from the durable state and heads.
  void Rewind();

  // Appends every timer event due at `now` (LEDGER.md section 8), each at its
  // deadline, in deadline order per round of limits::kIngestBatchEventsMax; a
  // deadline equal to `now` is due. Idempotent: ticking again emits nothing new.
  // `owned` (when given) limits it to the partitions it returns true for: a
  // cluster-mode validator writes only the partitions it was assigned.
  // Implemented in tick.cc.
  std::string Tick(Micros now, TickReport* report,
                   const std::function<bool(uint32_t partition)>& owned = {});

 private:
  EventResult Decide(const DecodedEvent& event, std::vector<LogEntry>* entries);
  std::optional<DecodedEvent> TimerEvent(std::string_view key);
  std::string BuildStoredEvent(const DecodedEvent& event, const fb::DerivedT& derived,
                               uint32_t partition, uint64_t seq, Micros recorded_at,
                               PartitionHead* head);

  Store* store_;
  Log* log_;
  Policy policy_;
  Clock clock_;
  LedgerState state_;
  std::vector<PartitionHead> heads_;  // the writer's view, ahead of disk during a batch
  std::vector<BatchObserver*> observers_;
  Micros batch_recorded_at_ = 0;
  flatbuffers::FlatBufferBuilder record_builder_{1024};
  flatbuffers::FlatBufferBuilder stored_builder_{1024};
};

}  // namespace mkt
