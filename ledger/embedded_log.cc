#include "ledger/embedded_log.h"

#include <map>

#include "ledger/assert.h"
#include "ledger/keys.h"
#include "ledger/limits.h"
#include "librdkafka/rdkafka.h"
#include "schemas/ledger_log_generated.h"
#include "schemas/state_generated.h"

namespace mkt {

uint32_t PartitionOf(std::string_view seller_id, uint32_t partition_count) {
  const int32_t p = rd_kafka_msg_partitioner_murmur2(
      nullptr, seller_id.data(), seller_id.size(), static_cast<int32_t>(partition_count), nullptr,
      nullptr);
  MKT_ASSERT(p >= 0 && static_cast<uint32_t>(p) < partition_count, "partitioner gave ", p);
  return static_cast<uint32_t>(p);
}

std::variant<std::unique_ptr<EmbeddedLog>, std::string> EmbeddedLog::Open(Store* store,
                                                                           uint32_t partitions) {
  std::string value;
  if (store->Get(store->cf(kCfMeta), keys::kStoreInfoKey, &value)) {
    flatbuffers::Verifier verifier(reinterpret_cast<const uint8_t*>(value.data()), value.size());
    if (!verifier.VerifyBuffer<fb::StoreInfo>(nullptr)) return "store info is corrupt";
    const auto* info = flatbuffers::GetRoot<fb::StoreInfo>(value.data());
    if (info->format_version() != limits::kStoreFormatVersion) {
      return "store format " + std::to_string(info->format_version()) + " is not supported (" +
             std::to_string(limits::kStoreFormatVersion) +
             " expected): `export` it with the binary that wrote it and `replay` the archive into a new store";
    }
    return std::unique_ptr<EmbeddedLog>(new EmbeddedLog(store, info->partitions()));
  }
  MKT_ASSERT(partitions >= 1 && partitions <= limits::kPartitionsMax, "partitions ", partitions);
  flatbuffers::FlatBufferBuilder builder;
  builder.Finish(fb::CreateStoreInfo(builder, limits::kStoreFormatVersion, partitions));
  rocksdb::WriteBatch batch;
  batch.Put(store->cf(kCfMeta), keys::kStoreInfoKey,
            rocksdb::Slice(reinterpret_cast<const char*>(builder.GetBufferPointer()),
                           builder.GetSize()));
  const std::string error = store->Write(&batch, /*sync=*/true);
  if (!error.empty()) return error;
  return std::unique_ptr<EmbeddedLog>(new EmbeddedLog(store, partitions));
}

PartitionHead EmbeddedLog::Head(uint32_t partition) const {
  PartitionHead head;
  std::string value;
  if (!store_->Get(store_->cf(kCfMeta), keys::PartitionHeadKey(partition), &value)) return head;
  flatbuffers::Verifier verifier(reinterpret_cast<const uint8_t*>(value.data()), value.size());
  MKT_ASSERT(verifier.VerifyBuffer<fb::PartitionHead>(nullptr), "corrupt head of partition ",
             partition);
  const auto* stored = flatbuffers::GetRoot<fb::PartitionHead>(value.data());
  MKT_ASSERT(stored->last_hash() != nullptr && stored->last_hash()->size() == head.last_hash.size(),
             "head of partition ", partition, " has no hash");
  head.next_seq = stored->next_seq();
  std::copy(stored->last_hash()->begin(), stored->last_hash()->end(), head.last_hash.begin());
  return head;
}

void EmbeddedLog::Stage(std::span<const LogEntry> entries, rocksdb::WriteBatch* local) {
  std::map<uint32_t, const LogEntry*> last_per_partition;
  for (const LogEntry& entry : entries) {
    MKT_ASSERT(entry.partition < partitions_, "partition ", entry.partition, " out of range");
    local->Put(store_->cf(kCfLog), keys::LogKey(entry.partition, entry.seq), entry.bytes);
    last_per_partition[entry.partition] = &entry;
  }
  for (const auto& [partition, entry] : last_per_partition) {
    const auto* hash = fb::GetStoredEvent(entry->bytes.data())->hash();
    flatbuffers::FlatBufferBuilder builder(96);
    builder.Finish(fb::CreatePartitionHead(builder, entry->seq + 1,
                                           builder.CreateVector(hash->data(), hash->size())));
    local->Put(store_->cf(kCfMeta), keys::PartitionHeadKey(partition),
               rocksdb::Slice(reinterpret_cast<const char*>(builder.GetBufferPointer()),
                              builder.GetSize()));
  }
}

std::string EmbeddedLog::Append(std::span<const LogEntry> entries, rocksdb::WriteBatch* local) {
  Stage(entries, local);
  return store_->Write(local, /*sync=*/true);  // ack == fsynced: entries, heads and state
}

std::string EmbeddedLog::AppendUnlogged(std::span<const LogEntry> entries, rocksdb::WriteBatch* local) {
  Stage(entries, local);
  return store_->WriteUnlogged(local);  // durable at the rebuild's FlushAll
}

std::string EmbeddedLog::Read(uint32_t partition, uint64_t from_seq, size_t max,
                              std::vector<LogEntry>* out) const {
  out->clear();
  rocksdb::ReadOptions options;
  const std::string upper = keys::LogKey(partition + 1, 0);
  const rocksdb::Slice upper_slice(upper);
  options.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(store_->db()->NewIterator(options, store_->cf(kCfLog)));
  for (it->Seek(keys::LogKey(partition, from_seq)); it->Valid() && out->size() < max; it->Next()) {
    const std::string_view key(it->key().data(), it->key().size());
    out->push_back(LogEntry{partition, keys::ReadU64(key.substr(4)), it->value().ToString()});
  }
  if (!it->status().ok()) return "log read failed: " + it->status().ToString();
  return {};
}

}  // namespace mkt
