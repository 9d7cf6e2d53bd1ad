#include "ledger/store.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include "ledger/assert.h"
#include "ledger/limits.h"
#include "rocksdb/cache.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/table.h"

namespace mkt {
namespace {

rocksdb::ColumnFamilyOptions FamilyOptions(const std::string& name,
                                           const std::shared_ptr<rocksdb::Cache>& block_cache) {
  rocksdb::ColumnFamilyOptions options;
  options.compression = rocksdb::kLZ4Compression;
  options.bottommost_compression = rocksdb::kZSTD;
  options.write_buffer_size = 64 << 20;
  options.level_compaction_dynamic_level_bytes = true;
  rocksdb::BlockBasedTableOptions table;
  table.block_size = 16 << 10;
  // One cache for every family, sized once (limits.h): without it each family
  // gets RocksDB's private 8 MB cache, and a query walking a few MB of one read
  // model decompresses and re-reads the same blocks over and over.
  table.block_cache = block_cache;
  // Point lookups (idempotency, aggregates, rows) are mostly misses on ingest of
  // new events; a bloom filter answers those without touching data blocks.
  if (name != kCfLog) table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10, false));
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return options;
}

// A batch's puts and deletes in (family, key) order, equal keys in batch order
// (so the later write still wins). The memtable is a skip list that starts each
// insert from where the previous one ended: keys that arrive sorted cost a short
// walk instead of a descent from the top, and a batch of read-model updates is
// otherwise in random key order. Returns false, leaving `out` untouched, for a
// batch holding anything else (merge, range delete, log data), which is then
// written as it is.
class SortingHandler final : public rocksdb::WriteBatch::Handler {
 public:
  struct Op {
    uint32_t cf;
    bool put;
    rocksdb::Slice key, value;  // into the source batch, which outlives us
  };
  rocksdb::Status PutCF(uint32_t cf, const rocksdb::Slice& key, const rocksdb::Slice& value) override {
    ops.push_back({cf, true, key, value});
    return rocksdb::Status::OK();
  }
  rocksdb::Status DeleteCF(uint32_t cf, const rocksdb::Slice& key) override {
    ops.push_back({cf, false, key, {}});
    return rocksdb::Status::OK();
  }
  // Anything the handler does not override reports InvalidArgument: unsortable.
  std::vector<Op> ops;
};

bool SortBatch(rocksdb::WriteBatch* batch, const std::vector<rocksdb::ColumnFamilyHandle*>& handles,
               rocksdb::WriteBatch* out) {
  SortingHandler handler;
  handler.ops.reserve(batch->Count());
  if (!batch->Iterate(&handler).ok()) return false;
  std::stable_sort(handler.ops.begin(), handler.ops.end(), [](const auto& a, const auto& b) {
    if (a.cf != b.cf) return a.cf < b.cf;
    return a.key.compare(b.key) < 0;
  });
  for (const SortingHandler::Op& op : handler.ops) {
    if (op.cf >= handles.size() || handles[op.cf] == nullptr) return false;
  }
  for (const SortingHandler::Op& op : handler.ops) {
    const rocksdb::Status status =
        op.put ? out->Put(handles[op.cf], op.key, op.value) : out->Delete(handles[op.cf], op.key);
    MKT_ASSERT(status.ok(), "sorting a write batch: ", status.ToString());
  }
  return true;
}

bool IsLockHeld(const rocksdb::Status& status) {
  return status.IsIOError() && status.ToString().find("lock") != std::string::npos;
}

}  // namespace

std::variant<std::unique_ptr<Store>, std::string> Store::Open(
    const std::string& dir, const std::vector<std::string>& extra_families) {
  rocksdb::DBOptions options;
  options.create_if_missing = true;
  options.create_missing_column_families = true;
  options.max_background_jobs = 2;  // 2 cores: one flush, one compaction
  options.bytes_per_sync = 1 << 20;
  options.keep_log_file_num = 4;
  // With many column families a WAL file lives until every family holding data
  // in it has flushed; cap the total so quiet families are flushed and WAL space
  // is recycled instead of growing with the ingest.
  options.max_total_wal_size = 128 << 20;
  std::vector<std::string> names = {kCfMeta, kCfLog, kCfIdempotency, kCfLedgerState, kCfTimers};
  for (const auto& name : extra_families) {
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  // RocksDB must open every existing family; keep ones a newer binary created.
  std::vector<std::string> existing;
  if (rocksdb::DB::ListColumnFamilies(options, dir, &existing).ok()) {
    for (const auto& name : existing) {
      if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    }
  }
  const std::shared_ptr<rocksdb::Cache> block_cache = rocksdb::NewLRUCache(limits::kBlockCacheBytes);
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const auto& name : names) descriptors.emplace_back(name, FamilyOptions(name, block_cache));
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status status = rocksdb::DB::Open(options, dir, descriptors, &handles, &raw);
  // One process writes a store at a time (RocksDB's LOCK file). Another ledger
  // command waits a bounded while for it, then says so plainly.
  for (int waited_ms = 0; !status.ok() && IsLockHeld(status) && waited_ms < limits::kStoreLockWaitMs;
       waited_ms += 100) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    status = rocksdb::DB::Open(options, dir, descriptors, &handles, &raw);
  }
  if (!status.ok() && IsLockHeld(status)) {
    return "the store " + dir + " is in use by another ledger process; try again when it is done";
  }
  if (!status.ok()) return "cannot open store " + dir + ": " + status.ToString();
  std::unique_ptr<Store> store(new Store());
  store->dir_ = dir;
  store->db_.reset(raw);
  for (size_t i = 0; i < names.size(); ++i) {
    store->families_[names[i]] = handles[i];
    const uint32_t id = handles[i]->GetID();
    if (store->by_id_.size() <= id) store->by_id_.resize(id + 1, nullptr);
    store->by_id_[id] = handles[i];
  }
  return store;
}

Store::~Store() {
  for (auto& [name, handle] : families_) {
    if (db_) db_->DestroyColumnFamilyHandle(handle);
  }
  if (db_) db_->Close();
}

rocksdb::ColumnFamilyHandle* Store::cf(const std::string& name) const {
  auto it = families_.find(name);
  MKT_ASSERT(it != families_.end(), "column family not opened: ", name);
  return it->second;
}

std::string Store::Write(rocksdb::WriteBatch* batch, bool sync) {
  rocksdb::WriteOptions options;
  options.sync = sync;  // sync = true: the call returns only once the WAL is fsynced
  return Commit(batch, options);
}

std::string Store::WriteUnlogged(rocksdb::WriteBatch* batch) {
  rocksdb::WriteOptions options;
  options.disableWAL = true;  // durable only once FlushAll returns
  return Commit(batch, options);
}

std::string Store::Commit(rocksdb::WriteBatch* batch, const rocksdb::WriteOptions& options) {
  rocksdb::WriteBatch sorted(batch->GetDataSize());
  rocksdb::WriteBatch* write = SortBatch(batch, by_id_, &sorted) ? &sorted : batch;
  const rocksdb::Status status = db_->Write(options, write);
  return status.ok() ? std::string() : "store write failed: " + status.ToString();
}

std::string Store::FlushAll() {
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  for (const auto& [name, handle] : families_) handles.push_back(handle);
  rocksdb::FlushOptions options;
  options.wait = true;
  const rocksdb::Status status = db_->Flush(options, handles);
  return status.ok() ? std::string() : "store flush failed: " + status.ToString();
}

bool Store::Get(rocksdb::ColumnFamilyHandle* cf, const rocksdb::Slice& key,
                std::string* value) const {
  const rocksdb::Status status = db_->Get(rocksdb::ReadOptions(), cf, key, value);
  if (status.IsNotFound()) return false;
  MKT_ASSERT(status.ok(), "store read failed: ", status.ToString());
  return true;
}

}  // namespace mkt
