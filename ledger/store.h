// The embedded store: one RocksDB instance in the data directory, one column
// family per concern. The ledger owns `meta`, `log`, `idempotency`,
// `ledger_state` and `timers`; projections name their own families when opening.
//
// Thread-safety: RocksDB's. One writer (the ledger) at a time; readers use
// snapshots or plain reads concurrently.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "rocksdb/db.h"

namespace mkt {

inline constexpr const char* kCfMeta = "default";
inline constexpr const char* kCfLog = "log";
inline constexpr const char* kCfIdempotency = "idempotency";
inline constexpr const char* kCfLedgerState = "ledger_state";
inline constexpr const char* kCfTimers = "timers";

class Store {
 public:
  // Opens (creating if absent) the store with the ledger's families plus `extra`.
  static std::variant<std::unique_ptr<Store>, std::string> Open(
      const std::string& dir, const std::vector<std::string>& extra_families);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  rocksdb::DB* db() const { return db_.get(); }
  rocksdb::ColumnFamilyHandle* cf(const std::string& name) const;
  const std::string& dir() const { return dir_; }

  // Commits `batch` atomically; `sync` = fsync the WAL before returning.
  std::string Write(rocksdb::WriteBatch* batch, bool sync);
  // Commits `batch` without the WAL: for a bulk rebuild only, where nothing is
  // acknowledged until FlushAll returns and a crash means starting again.
  std::string WriteUnlogged(rocksdb::WriteBatch* batch);
  // Flushes every family's memtables to (fsynced) table files and waits.
  std::string FlushAll();
  // Reads a key; returns false when absent. Aborts on I/O errors (corrupt store).
  bool Get(rocksdb::ColumnFamilyHandle* cf, const rocksdb::Slice& key, std::string* value) const;

 private:
  Store() = default;
  // Writes `batch` in key order (see SortBatch in store.cc).
  std::string Commit(rocksdb::WriteBatch* batch, const rocksdb::WriteOptions& options);
  std::string dir_;
  std::unique_ptr<rocksdb::DB> db_;
  std::unordered_map<std::string, rocksdb::ColumnFamilyHandle*> families_;
  std::vector<rocksdb::ColumnFamilyHandle*> by_id_;  // index: the family's id
};

}  // namespace mkt
