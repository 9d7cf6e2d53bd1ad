// The default log back end: the `log` column family of the embedded store, with
// partition heads in `meta`. Append is one atomic, fsynced WriteBatch holding the
// entries, the new heads and the caller's state changes: after a crash the log,
// the ledger state and the read models never disagree.
#pragma once

#include "ledger/log.h"
#include "ledger/store.h"

namespace mkt {

class EmbeddedLog final : public Log {
 public:
  // Reads (or, on a new store, writes) the partition count from the store.
  static std::variant<std::unique_ptr<EmbeddedLog>, std::string> Open(Store* store,
                                                                      uint32_t partitions);

  uint32_t partition_count() const override { return partitions_; }
  PartitionHead Head(uint32_t partition) const override;
  std::string Append(std::span<const LogEntry> entries, rocksdb::WriteBatch* local) override;
  // As Append, without the WAL (Store::WriteUnlogged): for `replay` only.
  std::string AppendUnlogged(std::span<const LogEntry> entries, rocksdb::WriteBatch* local);
  std::string Read(uint32_t partition, uint64_t from_seq, size_t max,
                   std::vector<LogEntry>* out) const override;

 private:
  EmbeddedLog(Store* store, uint32_t partitions) : store_(store), partitions_(partitions) {}
  // Adds the entries and the new partition heads to `local`.
  void Stage(std::span<const LogEntry> entries, rocksdb::WriteBatch* local);
  Store* store_;
  uint32_t partitions_;
};

}  // namespace mkt
