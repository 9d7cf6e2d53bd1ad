#include "projections/projector.h"

#include "ledger/keys.h"
#include "ledger/limits.h"

namespace mkt {
namespace {

std::string PositionKey(uint32_t partition) {
  std::string key = "projector/position/";
  keys::AppendU32(&key, partition);
  return key;
}

}  // namespace

std::variant<std::unique_ptr<Projector>, std::string> Projector::Open(
    Store* store, Projections* projections, const kafka::ClusterOptions& cluster,
    uint32_t partitions, const std::string& member) {
  std::unique_ptr<Projector> p(new Projector());
  p->store_ = store;
  p->projections_ = projections;
  p->cluster_ = cluster;
  for (uint32_t partition = 0; partition < partitions; ++partition) {
    p->positions_.push_back(StoredPosition(*store, partition));
  }
  p->eof_offset_.assign(partitions, -1);
  auto consumer = kafka::NewClient(
      RD_KAFKA_CONSUMER, cluster,
      {{"group.id", cluster.Name("ledger.projector." + member)},  // never joined: assign only
       {"isolation.level", "read_committed"},  // only events of committed transactions
       {"enable.auto.commit", "false"},        // positions live in the store, with the rows
       {"enable.auto.offset.store", "false"},
       {"auto.offset.reset", "error"},         // a missing offset is an error, never a skip
       {"enable.partition.eof", "true"},       // Reached(): a stopping serve drains to the end
       {"fetch.wait.max.ms", "10"}});
  if (auto* error = std::get_if<std::string>(&consumer)) return *error;
  p->consumer_ = std::move(std::get<kafka::Handle>(consumer));
  rd_kafka_poll_set_consumer(p->consumer_.get());
  p->queue_ = rd_kafka_queue_get_consumer(p->consumer_.get());
  kafka::PartitionList list(rd_kafka_topic_partition_list_new(static_cast<int>(partitions)));
  for (uint32_t partition = 0; partition < partitions; ++partition) {
    rd_kafka_topic_partition_list_add(list.get(), cluster.events().c_str(),
                                      static_cast<int32_t>(partition))->offset =
        p->positions_[partition].next_offset;
  }
  if (rd_kafka_resp_err_t err = rd_kafka_assign(p->consumer_.get(), list.get())) {
    return kafka::Describe("assign", err);
  }
  return p;
}

Projector::~Projector() {
  if (queue_ != nullptr) rd_kafka_queue_destroy(queue_);
  if (consumer_) rd_kafka_consumer_close(consumer_.get());
}

Projector::Position Projector::StoredPosition(const Store& store, uint32_t partition) {
  Position position;
  std::string value;
  if (store.Get(store.cf(kCfMeta), PositionKey(partition), &value)) {
    MKT_ASSERT(value.size() == 16, "corrupt projector position of partition ", partition);
    position.next_offset = static_cast<int64_t>(keys::ReadU64(value));
    position.next_seq = keys::ReadU64(std::string_view(value).substr(8));
  }
  return position;
}


std::string Projector::EndOffsets(std::vector<int64_t>* ends) const {
  ends->clear();
  for (uint32_t partition = 0; partition < positions_.size(); ++partition) {
    auto end = kafka::QueryEnd(consumer_.get(), cluster_.events(), partition);
    if (auto* error = std::get_if<std::string>(&end)) return *error;
    ends->push_back(std::get<int64_t>(end));
  }
  return {};
}

bool Projector::Reached(const std::vector<int64_t>& ends) const {
  for (uint32_t partition = 0; partition < ends.size(); ++partition) {
    if (eof_offset_.at(partition) < ends[partition]) return false;
  }
  return true;
}

std::string Projector::RunOnce(const OnCommitted& on_committed) {
  std::vector<kafka::Message> messages;
  kafka::Message first{rd_kafka_consumer_poll(consumer_.get(), limits::kKafkaPollMs)};
  if (!first) return {};
  messages.push_back(std::move(first));
  std::vector<rd_kafka_message_t*> more(limits::kKafkaRoundRecordsMax - 1);
  const ssize_t n = rd_kafka_consume_batch_queue(queue_, 0, more.data(), more.size());
  for (ssize_t i = 0; i < n; ++i) messages.emplace_back(more[i]);

  std::vector<Position> next = positions_;
  std::vector<AcceptedRecord> records;
  for (const kafka::Message& m : messages) {
    if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      eof_offset_.at(static_cast<uint32_t>(m->partition)) = m->offset;
      continue;
    }
    if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      return "reading " + cluster_.events() + ": " + rd_kafka_message_errstr(m.get());
    }
    const auto partition = static_cast<uint32_t>(m->partition);
    const auto view = ViewStoredEvent(std::string_view(static_cast<const char*>(m->payload), m->len));
    if (!view || view->partition != partition) {
      return cluster_.events() + " partition " + std::to_string(partition) + " offset " +
             std::to_string(m->offset) + " is not a StoredEvent of that partition";
    }
    if (view->seq != next[partition].next_seq) {
      return cluster_.events() + " partition " + std::to_string(partition) + " offset " +
             std::to_string(m->offset) + " holds seq " + std::to_string(view->seq) + " but seq " +
             std::to_string(next[partition].next_seq) + " is next: the log has a gap or a repeat";
    }
    next[partition] = Position{m->offset + 1, view->seq + 1};
    records.push_back(*view);
  }
  if (records.empty()) return {};
  rocksdb::WriteBatch batch;
  projections_->Apply(records, &batch);
  for (uint32_t partition = 0; partition < next.size(); ++partition) {
    if (next[partition].next_seq == positions_[partition].next_seq) continue;
    std::string value;
    keys::AppendU64(&value, static_cast<uint64_t>(next[partition].next_offset));
    keys::AppendU64(&value, next[partition].next_seq);
    batch.Put(store_->cf(kCfMeta), PositionKey(partition), value);
  }
  // Rows and positions together, fsynced: after a crash both are old or both new.
  if (std::string error = store_->Write(&batch, /*sync=*/true); !error.empty()) {
    for (BatchObserver* observer : projections_->Observers()) observer->Reset();
    return error;
  }
  positions_ = std::move(next);
  if (on_committed) on_committed(records);
  return {};
}

}  // namespace mkt
