// The projector of cluster mode: consumes ledger.events (read_committed, every
// partition, manually assigned) and applies each round of records to every read
// model in ONE RocksDB WriteBatch that also holds, per partition, the next
// offset and the next seq. It starts from those stored positions, so a crash
// between Kafka and RocksDB can neither skip nor repeat an event; a record whose
// seq is not the next one (a gap or a repeat) stops it loudly, and
// `auto.offset.reset=error` turns a retention gap into an error too.
//
// Every serve process projects every partition into its own store, so queries
// on any of them see all sellers.
//
// Threading: one thread calls RunOnce; the store is read concurrently.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <variant>

#include "ledger/kafka_client.h"
#include "projections/projections.h"

namespace mkt {

class Projector {
 public:
  struct Position {
    int64_t next_offset = RD_KAFKA_OFFSET_BEGINNING;  // a new store reads from the start
    uint64_t next_seq = 0;
  };
  // Called after a round is durable, with its records in log order.
  using OnCommitted = std::function<void(std::span<const AcceptedRecord>)>;

  static std::variant<std::unique_ptr<Projector>, std::string> Open(
      Store* store, Projections* projections, const kafka::ClusterOptions& cluster,
      uint32_t partitions, const std::string& member);
  ~Projector();

  // Waits up to limits::kKafkaPollMs for records, applies and commits what
  // arrived. An error is fatal (a restart continues from the stored positions).
  std::string RunOnce(const OnCommitted& on_committed = {});

  // What a store's projector has applied (read without a Kafka client).
  static Position StoredPosition(const Store& store, uint32_t partition);
  // The end (high watermark) of every partition now. With no transaction open
  // (the validator stopped) it is where a read_committed consumer stops.
  std::string EndOffsets(std::vector<int64_t>* ends) const;
  // Every partition was read to at least `ends` (its end-of-partition reported there).
  bool Reached(const std::vector<int64_t>& ends) const;

 private:
  Projector() = default;
  Store* store_ = nullptr;
  Projections* projections_ = nullptr;
  kafka::ClusterOptions cluster_;
  kafka::Handle consumer_;
  rd_kafka_queue_t* queue_ = nullptr;
  std::vector<Position> positions_;
  std::vector<int64_t> eof_offset_;  // where each partition last reported its end
};

}  // namespace mkt
