// The ledger log: per partition, a gap-free sequence of hash-chained StoredEvent
// records (schemas/ledger_log.fbs). Partition key = seller_id, partitioned with
// Kafka's murmur2 so the embedded and Kafka back ends place sellers alike.
//
// Two back ends implement it: EmbeddedLog (RocksDB, in the data directory) and,
// later, a Kafka one (`ledger.events`). One writer per partition at a time.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/hash.h"
#include "rocksdb/write_batch.h"

namespace mkt {

struct LogEntry {
  uint32_t partition = 0;
  uint64_t seq = 0;
  std::string bytes;  // a StoredEvent buffer
};

struct PartitionHead {
  uint64_t next_seq = 0;
  Hash last_hash = kGenesisHash;
};

class Log {
 public:
  virtual ~Log() = default;

  virtual uint32_t partition_count() const = 0;
  // The head as durably stored (the writer keeps its own copy while appending).
  virtual PartitionHead Head(uint32_t partition) const = 0;

  // Appends `entries` (already sequenced and chained, in order per partition).
  // `local` carries state changes made by exactly these entries: the embedded
  // log commits it in the same atomic fsynced write; a remote log commits it only
  // after the entries are durable. Returns an error message, or empty on success.
  virtual std::string Append(std::span<const LogEntry> entries, rocksdb::WriteBatch* local) = 0;

  // Reads up to `max` entries of `partition` starting at `from_seq`, in order.
  virtual std::string Read(uint32_t partition, uint64_t from_seq, size_t max,
                           std::vector<LogEntry>* out) const = 0;
};

// Kafka's default partitioner (murmur2 of the key, positive, modulo the count),
// via librdkafka so the placement is exactly what a Kafka producer would choose.
uint32_t PartitionOf(std::string_view seller_id, uint32_t partition_count);

}  // namespace mkt
