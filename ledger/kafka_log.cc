#include "ledger/kafka_log.h"

#include "ledger/assert.h"
#include "ledger/keys.h"
#include "ledger/ledger.h"
#include "ledger/limits.h"
#include "schemas/ledger_log_generated.h"
#include "schemas/state_generated.h"

namespace mkt {
namespace {

std::string NextOffsetKey(uint32_t partition) {
  std::string key = "kafka/next_offset/";
  keys::AppendU32(&key, partition);
  return key;
}

std::string ToSlice(const flatbuffers::FlatBufferBuilder& b) {
  return std::string(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize());
}

}  // namespace

std::variant<std::unique_ptr<KafkaLog>, std::string> KafkaLog::Open(
    Store* store, const kafka::ClusterOptions& cluster, uint32_t partitions,
    const std::string& member) {
  auto heads = EmbeddedLog::Open(store, partitions);
  if (auto* error = std::get_if<std::string>(&heads)) return *error;
  std::unique_ptr<KafkaLog> log(new KafkaLog());
  log->store_ = store;
  log->cluster_ = cluster;
  log->heads_ = std::move(std::get<std::unique_ptr<EmbeddedLog>>(heads));
  if (log->heads_->partition_count() != partitions) {
    return "the store at " + store->dir() + " has " + std::to_string(log->heads_->partition_count()) +
           " partitions but the topics have " + std::to_string(partitions);
  }
  if (member.empty()) return log;
  // Marks the store as a cluster-mode validator's: embedded appends would fork the log.
  rocksdb::WriteBatch mark;
  mark.Put(store->cf(kCfMeta), kClusterModeKey, cluster.bootstrap + " " + cluster.events());
  if (std::string error = store->Write(&mark, /*sync=*/true); !error.empty()) return error;
  auto producer = kafka::NewClient(
      RD_KAFKA_PRODUCER, cluster,
      {{"transactional.id", cluster.Name("ledger.validator." + member)},
       {"enable.idempotence", "true"},  // set explicitly: no duplicates, order kept per partition
       {"acks", "all"},                 // forced by idempotence; said here out loud
       {"linger.ms", "1"},              // a round is flushed at commit anyway
       {"transaction.timeout.ms", std::to_string(limits::kKafkaRequestTimeoutMs * 2)}},
      log.get(), [](rd_kafka_conf_t* conf) { rd_kafka_conf_set_dr_msg_cb(conf, &KafkaLog::OnDelivery); });
  if (auto* error = std::get_if<std::string>(&producer)) return *error;
  log->producer_ = std::move(std::get<kafka::Handle>(producer));
  log->events_topic_ = rd_kafka_topic_new(log->producer_.get(), cluster.events().c_str(), nullptr);
  // Fences any earlier producer with this transactional.id (a zombie of this member)
  // and completes or aborts its open transaction.
  if (kafka::Error error{rd_kafka_init_transactions(log->producer_.get(), limits::kKafkaRequestTimeoutMs)}) {
    return kafka::Describe("init_transactions", error.get());
  }
  return log;
}

KafkaLog::~KafkaLog() {
  if (events_topic_ != nullptr) rd_kafka_topic_destroy(events_topic_);
}

void KafkaLog::OnDelivery(rd_kafka_t*, const rd_kafka_message_t* message, void* opaque) {
  auto* log = static_cast<KafkaLog*>(opaque);
  if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    if (log->delivery_error_.empty()) log->delivery_error_ = kafka::Describe("delivery", message->err);
    return;
  }
  if (message->rkt != log->events_topic_) return;
  int64_t& next = log->delivered_next_[static_cast<uint32_t>(message->partition)];
  next = std::max(next, message->offset + 1);
}

PartitionHead KafkaLog::Head(uint32_t partition) const {
  if (producer_) return heads_->Head(partition);
  const auto it = read_cursor_.find(partition);
  if (it == read_cursor_.end()) return PartitionHead{};
  return PartitionHead{it->second.next_seq, it->second.last_hash};
}

int64_t KafkaLog::NextOffset(uint32_t partition) const {
  std::string value;
  if (!store_->Get(store_->cf(kCfMeta), NextOffsetKey(partition), &value)) return 0;
  MKT_ASSERT(value.size() == 8, "corrupt next offset of partition ", partition);
  return static_cast<int64_t>(keys::ReadU64(value));
}

std::string KafkaLog::BeginRound() {
  MKT_ASSERT(producer_, "a read-only KafkaLog cannot append");
  MKT_ASSERT(round_ == Round::kNone && staged_entries_.empty(), "round already open");
  if (kafka::Error error{rd_kafka_begin_transaction(producer_.get())}) {
    return kafka::Describe("begin_transaction", error.get());
  }
  round_ = Round::kKafka;
  delivered_next_.clear();
  delivery_error_.clear();
  return {};
}

std::string KafkaLog::Append(std::span<const LogEntry> entries, rocksdb::WriteBatch* local) {
  const bool own_round = round_ == Round::kNone;
  if (own_round) {
    if (std::string error = BeginRound(); !error.empty()) return error;
  }
  MKT_ASSERT(!staged_local_set_, "two Appends in one round");
  staged_entries_.assign(entries.begin(), entries.end());
  staged_local_ = *local;
  staged_local_set_ = true;
  if (!own_round) return {};
  for (const LogEntry& entry : staged_entries_) {
    const auto view = ViewStoredEvent(entry.bytes);
    MKT_ASSERT(view, "staged a bad StoredEvent");
    if (std::string error = ProduceEvent(entry, view->input->seller_id()->string_view(), {});
        !error.empty()) {
      AbortRound();
      return error;
    }
  }
  bool abortable = false;
  return CommitRound(nullptr, nullptr, &abortable);
}

std::string KafkaLog::ProduceEvent(const LogEntry& entry, std::string_view seller_id,
                                   std::string_view reply) {
  MKT_ASSERT(round_ == Round::kKafka && entry.partition < partition_count(), "produce outside a round");
  const rd_kafka_resp_err_t err = rd_kafka_producev(
      producer_.get(), RD_KAFKA_V_RKT(events_topic_),
      RD_KAFKA_V_PARTITION(static_cast<int32_t>(entry.partition)),
      RD_KAFKA_V_KEY(seller_id.data(), seller_id.size()),
      RD_KAFKA_V_VALUE(const_cast<char*>(entry.bytes.data()), entry.bytes.size()),
      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
      RD_KAFKA_V_HEADER(kReplyHeader, reply.data(), static_cast<ssize_t>(reply.size())),
      RD_KAFKA_V_END);
  return err == RD_KAFKA_RESP_ERR_NO_ERROR ? std::string() : kafka::Describe("produce event", err);
}

std::string KafkaLog::ProduceRejected(std::string_view key, std::string_view value,
                                      std::string_view reply) {
  MKT_ASSERT(round_ == Round::kKafka, "produce outside a round");
  const std::string topic = cluster_.rejected();
  const rd_kafka_resp_err_t err = rd_kafka_producev(
      producer_.get(), RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_KEY(key.data(), key.size()),
      RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
      RD_KAFKA_V_HEADER(kReplyHeader, reply.data(), static_cast<ssize_t>(reply.size())),
      RD_KAFKA_V_END);
  return err == RD_KAFKA_RESP_ERR_NO_ERROR ? std::string() : kafka::Describe("produce rejection", err);
}

std::string KafkaLog::CommitRound(rd_kafka_t* consumer,
                                  const rd_kafka_topic_partition_list_t* offsets, bool* abortable) {
  MKT_ASSERT(round_ == Round::kKafka, "commit outside a round");
  *abortable = false;
  kafka::Error error;
  if (consumer != nullptr && offsets != nullptr && offsets->cnt > 0) {
    rd_kafka_consumer_group_metadata_t* group = rd_kafka_consumer_group_metadata(consumer);
    error.reset(rd_kafka_send_offsets_to_transaction(producer_.get(), offsets, group,
                                                     limits::kKafkaRequestTimeoutMs));
    rd_kafka_consumer_group_metadata_destroy(group);
  }
  // Flushes every produced record first; delivery reports arrive before it returns.
  if (!error) error.reset(rd_kafka_commit_transaction(producer_.get(), limits::kKafkaRequestTimeoutMs));
  if (error) {
    const std::string message = kafka::Describe("commit", error.get());
    if (rd_kafka_error_txn_requires_abort(error.get())) {
      *abortable = true;
      AbortRound();
    }
    return message;  // fatal (e.g. fenced) or not abortable: the caller stops
  }
  round_ = Round::kNone;
  if (!delivery_error_.empty()) return "committed, yet " + delivery_error_;
  for (const LogEntry& entry : staged_entries_) {
    MKT_ASSERT(delivered_next_.contains(entry.partition), "no delivery report for partition ",
               entry.partition);
  }
  return WriteLocal(delivered_next_);
}

void KafkaLog::AbortRound() {
  if (round_ == Round::kKafka) {
    // Failing to abort leaves the producer unusable; its next call reports it.
    kafka::Error ignored{rd_kafka_abort_transaction(producer_.get(), limits::kKafkaRequestTimeoutMs)};
  }
  round_ = Round::kNone;
  staged_entries_.clear();
  staged_local_.Clear();
  staged_local_set_ = false;
}

void KafkaLog::BeginLocalRound() {
  MKT_ASSERT(round_ == Round::kNone && staged_entries_.empty(), "round already open");
  round_ = Round::kLocal;
}

std::string KafkaLog::CommitLocalOnly(const std::map<uint32_t, int64_t>& next_offsets) {
  MKT_ASSERT(round_ == Round::kLocal, "local commit outside a local round");
  round_ = Round::kNone;
  return WriteLocal(next_offsets);
}

std::string KafkaLog::WriteLocal(const std::map<uint32_t, int64_t>& next_offsets) {
  std::map<uint32_t, const LogEntry*> last;
  for (const LogEntry& entry : staged_entries_) last[entry.partition] = &entry;
  for (const auto& [partition, entry] : last) {
    const auto* hash = fb::GetStoredEvent(entry->bytes.data())->hash();
    flatbuffers::FlatBufferBuilder builder(96);
    builder.Finish(fb::CreatePartitionHead(builder, entry->seq + 1,
                                           builder.CreateVector(hash->data(), hash->size())));
    staged_local_.Put(store_->cf(kCfMeta), keys::PartitionHeadKey(partition), ToSlice(builder));
  }
  for (const auto& [partition, next] : next_offsets) {
    std::string value;
    keys::AppendU64(&value, static_cast<uint64_t>(next));
    staged_local_.Put(store_->cf(kCfMeta), NextOffsetKey(partition), value);
  }
  const std::string error = store_->Write(&staged_local_, /*sync=*/true);  // fsynced before the next round
  staged_entries_.clear();
  staged_local_.Clear();
  staged_local_set_ = false;
  return error;
}

std::string KafkaLog::ReadFrom(uint32_t partition, int64_t offset, size_t max,
                               std::vector<Record>* out, int64_t* next) const {
  out->clear();
  *next = offset;
  if (!reader_) {
    auto reader = kafka::NewClient(RD_KAFKA_CONSUMER, cluster_,
                                   {{"group.id", cluster_.Name("ledger.reader")},
                                    {"enable.auto.commit", "false"},
                                    {"isolation.level", "read_committed"},
                                    {"enable.partition.eof", "true"},
                                    {"auto.offset.reset", "error"}});
    if (auto* error = std::get_if<std::string>(&reader)) return *error;
    reader_ = std::move(std::get<kafka::Handle>(reader));
  }
  kafka::PartitionList list(rd_kafka_topic_partition_list_new(1));
  rd_kafka_topic_partition_list_add(list.get(), cluster_.events().c_str(),
                                    static_cast<int32_t>(partition))->offset = offset;
  if (rd_kafka_resp_err_t err = rd_kafka_assign(reader_.get(), list.get())) {
    return kafka::Describe("assign", err);
  }
  std::string error;
  for (int idle_ms = 0; out->size() < max && error.empty();) {
    kafka::Message m{rd_kafka_consumer_poll(reader_.get(), limits::kKafkaPollMs)};
    if (!m) {
      idle_ms += limits::kKafkaPollMs;
      if (idle_ms >= limits::kKafkaRequestTimeoutMs) error = "reading " + cluster_.events() + ": no answer";
      continue;
    }
    if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) break;  // at the last stable offset
    if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      error = "reading " + cluster_.events() + ": " + rd_kafka_message_errstr(m.get());
      break;
    }
    out->push_back(Record{m->offset, std::string(static_cast<const char*>(m->payload), m->len)});
    *next = m->offset + 1;
  }
  rd_kafka_assign(reader_.get(), nullptr);
  return error;
}

std::string KafkaLog::Read(uint32_t partition, uint64_t from_seq, size_t max,
                           std::vector<LogEntry>* out) const {
  out->clear();
  ReadCursor cursor;
  if (from_seq != 0) {
    const auto it = read_cursor_.find(partition);
    if (it == read_cursor_.end() || it->second.next_seq != from_seq) {
      return "ledger.events is read in order: seq " + std::to_string(from_seq) + " of partition " +
             std::to_string(partition) + " does not continue the previous read";
    }
    cursor = it->second;
  }
  std::vector<Record> records;
  int64_t next = 0;
  if (std::string error = ReadFrom(partition, cursor.next_offset, max, &records, &next); !error.empty()) {
    return error;
  }
  for (Record& record : records) {
    if (const auto view = ViewStoredEvent(record.value)) {
      const auto* hash = fb::GetStoredEvent(record.value.data())->hash();
      std::copy(hash->begin(), hash->end(), cursor.last_hash.begin());
    }
    out->push_back(LogEntry{partition, from_seq + out->size(), std::move(record.value)});
  }
  cursor.next_seq = from_seq + out->size();
  cursor.next_offset = next;
  read_cursor_[partition] = cursor;
  return {};
}

}  // namespace mkt
