#include "ledger/validator.h"

#include <iostream>
#include <nlohmann/json.hpp>
#include <random>

#include "ledger/assert.h"
#include "ledger/hash.h"
#include "ledger/limits.h"
#include "ledger/text.h"

namespace mkt {
namespace {

constexpr std::string_view kMemberKey = "kafka/member";

std::string RejectedJson(const std::string& outcome, const rd_kafka_message_t& m,
                         const std::optional<DecodedEvent>& event, const std::string& code,
                         const std::string& message) {
  nlohmann::ordered_json j;
  j["outcome"] = outcome;
  j["event_id"] = event ? nlohmann::ordered_json(event->event_id()) : nlohmann::ordered_json(nullptr);
  j["seller_id"] = event ? nlohmann::ordered_json(event->seller_id()) : nlohmann::ordered_json(nullptr);
  j["code"] = code.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(code);
  j["message"] = message;
  j["inbound"] = {{"partition", m.partition}, {"offset", m.offset}};
  return j.dump();
}

}  // namespace

struct Validator::Inbound {
  const rd_kafka_message_t* message;
  std::optional<DecodedEvent> event;
  std::optional<Rejection> rejection;
};

std::optional<DecodedEvent> ReadStoredInput(std::string_view bytes) {
  if (bytes.empty()) return std::nullopt;
  // Copy into a builder-owned buffer: the event outlives the Kafka message.
  flatbuffers::FlatBufferBuilder builder(bytes.size() + 8);
  builder.PushFlatBuffer(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  DecodedEvent event(builder.Release());
  flatbuffers::Verifier verifier(reinterpret_cast<const uint8_t*>(event.bytes().data()),
                                 event.bytes().size());
  if (!fb::VerifyInputEventBuffer(verifier)) return std::nullopt;
  return event;
}

std::variant<DecodedEvent, Rejection> ReadInboundRecord(std::string_view bytes) {
  std::optional<DecodedEvent> event = ReadStoredInput(bytes);
  if (!event) return Rejection{Code::kMalformed, "record is not an InputEvent FlatBuffer (the Verifier refused it)"};
  thread_local JsonDecoder checker;  // the decoder's rules, over bytes
  if (auto rejection = checker.CheckInput(*event->event())) return *rejection;
  return std::move(*event);
}

std::string ValidatorMember(Store* store) {
  std::string member;
  if (store->Get(store->cf(kCfMeta), kMemberKey, &member)) return member;
  std::random_device random;
  const Hash digest = Sha256(std::to_string(random()) + std::to_string(random()) + store->dir());
  member = ToHex(std::span<const uint8_t>(digest.data(), 8));
  rocksdb::WriteBatch batch;
  batch.Put(store->cf(kCfMeta), kMemberKey, member);
  const std::string error = store->Write(&batch, /*sync=*/true);
  MKT_ASSERT(error.empty(), error);
  return member;
}

std::variant<std::unique_ptr<Validator>, std::string> Validator::Open(
    Store* store, const kafka::ClusterOptions& cluster, uint32_t partitions, Policy policy,
    Ledger::Clock clock) {
  std::unique_ptr<Validator> v(new Validator());
  v->cluster_ = cluster;
  v->clock_ = std::move(clock);
  auto log = KafkaLog::Open(store, cluster, partitions, ValidatorMember(store));
  if (auto* error = std::get_if<std::string>(&log)) return *error;
  v->log_ = std::move(std::get<std::unique_ptr<KafkaLog>>(log));
  Validator* self = v.get();
  v->ledger_ = std::make_unique<Ledger>(store, v->log_.get(), std::move(policy), [self] {
    return self->replay_recorded_at_ ? *self->replay_recorded_at_ : self->clock_();
  });
  v->owned_.assign(partitions, false);
  auto consumer = kafka::NewClient(
      RD_KAFKA_CONSUMER, cluster,
      {{"group.id", cluster.Name("ledger.validator")},
       {"isolation.level", "read_committed"},  // never decide a record of an aborted transaction
       {"enable.auto.commit", "false"},        // offsets are committed in the transaction only
       {"enable.auto.offset.store", "false"},
       {"auto.offset.reset", "earliest"},      // a new group decides ledger.inbound from its start
       {"partition.assignment.strategy", "range"},
       // A member that died (SIGKILL) holds its partitions until this runs out:
       // the broker's minimum, so a restart or another member takes over in seconds.
       {"session.timeout.ms", "6000"},
       {"heartbeat.interval.ms", "1000"},
       {"fetch.wait.max.ms", "10"}},
      v.get(), [](rd_kafka_conf_t* conf) { rd_kafka_conf_set_rebalance_cb(conf, &Validator::OnRebalance); });
  if (auto* error = std::get_if<std::string>(&consumer)) return *error;
  v->consumer_ = std::move(std::get<kafka::Handle>(consumer));
  rd_kafka_poll_set_consumer(v->consumer_.get());
  v->queue_ = rd_kafka_queue_get_consumer(v->consumer_.get());
  kafka::PartitionList topics(rd_kafka_topic_partition_list_new(1));
  rd_kafka_topic_partition_list_add(topics.get(), cluster.inbound().c_str(), RD_KAFKA_PARTITION_UA);
  if (rd_kafka_resp_err_t err = rd_kafka_subscribe(v->consumer_.get(), topics.get())) {
    return kafka::Describe("subscribe", err);
  }
  return v;
}

Validator::~Validator() {
  Close();
  if (queue_ != nullptr) rd_kafka_queue_destroy(queue_);
}

void Validator::Close() {
  if (consumer_ && !closed_) rd_kafka_consumer_close(consumer_.get());
  closed_ = true;
}

void Validator::OnRebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                            rd_kafka_topic_partition_list_t* partitions, void* opaque) {
  auto* v = static_cast<Validator*>(opaque);
  ++v->rebalances_;
  if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
    // Between rounds (callbacks run inside poll): no transaction is open.
    std::string names;
    for (int i = 0; i < partitions->cnt && v->fatal_.empty(); ++i) {
      const uint32_t p = static_cast<uint32_t>(partitions->elems[i].partition);
      v->fatal_ = p < v->owned_.size() ? v->CatchUp(p)
                                       : "inbound partition " + std::to_string(p) + " out of range";
      if (v->fatal_.empty()) v->owned_[p] = true;
      names += (names.empty() ? "" : ",") + std::to_string(p);
    }
    if (!v->fatal_.empty()) return;
    rd_kafka_assign(rk, partitions);
    std::cerr << "ledger serve: validating partitions " << names << " (caught up "
              << v->caught_up_ << " events from " << v->cluster_.events() << " so far)\n";
    return;
  }
  std::fill(v->owned_.begin(), v->owned_.end(), false);
  rd_kafka_assign(rk, nullptr);
}

std::string Validator::CatchUp(uint32_t partition) {
  int64_t offset = log_->NextOffset(partition);
  std::vector<KafkaLog::Record> records;
  for (;;) {
    int64_t next = 0;
    if (std::string error = log_->ReadFrom(partition, offset, limits::kKafkaRoundRecordsMax,
                                           &records, &next);
        !error.empty()) {
      return "catching up partition " + std::to_string(partition) + ": " + error;
    }
    if (records.empty()) return {};
    // One Ledger batch per run of records recorded at the same instant, so the
    // rebuilt records (recorded_at included) must equal the stored ones byte for byte.
    size_t begin = 0;
    while (begin < records.size()) {
      const auto view = ViewStoredEvent(records[begin].value);
      if (!view) return "ledger.events partition " + std::to_string(partition) + " offset " +
                        std::to_string(records[begin].offset) + " is not a StoredEvent";
      size_t end = begin + 1;
      while (end < records.size()) {
        const auto next_view = ViewStoredEvent(records[end].value);
        if (!next_view || next_view->record->recorded_at_us() != view->record->recorded_at_us()) break;
        ++end;
      }
      caught_up_ += end - begin;
      replay_recorded_at_ = view->record->recorded_at_us();
      std::string error = Replay(partition, std::span(records).subspan(begin, end - begin));
      replay_recorded_at_.reset();
      if (!error.empty()) return error;
      begin = end;
    }
    offset = next;
  }
}

std::string Validator::Replay(uint32_t partition, std::span<const KafkaLog::Record> records) {
  std::vector<DecodedEvent> events;
  for (const KafkaLog::Record& r : records) {
    const auto view = ViewStoredEvent(r.value);
    const auto* input = view->record->input();
    // Already accepted (or appended by the ledger's own timers): verified, not re-checked.
    auto event = ReadStoredInput(
        std::string_view(reinterpret_cast<const char*>(input->data()), input->size()));
    MKT_ASSERT(event.has_value(), "stored input does not verify");
    events.push_back(std::move(*event));
  }
  std::vector<const DecodedEvent*> pointers;
  for (const DecodedEvent& e : events) pointers.push_back(&e);
  log_->BeginLocalRound();
  std::vector<EventResult> results;
  if (std::string error = ledger_->Process(pointers, &results); !error.empty()) return error;
  const std::vector<LogEntry>& staged = log_->staged();
  const auto differs = [&] {
    if (staged.size() != records.size()) return true;
    for (size_t i = 0; i < staged.size(); ++i) {
      if (staged[i].partition != partition || staged[i].bytes != records[i].value) return true;
    }
    return false;
  };
  if (differs()) {
    return "catching up partition " + std::to_string(partition) + " at offset " +
           std::to_string(records.front().offset) +
           ": re-deciding ledger.events gives other records (was the policy changed?); "
           "the local state cannot be rebuilt from this log";
  }
  return log_->CommitLocalOnly({{partition, records.back().offset + 1}});
}

std::string Validator::RunOnce() {
  if (!fatal_.empty()) return fatal_;
  std::vector<kafka::Message> messages;
  kafka::Message first{rd_kafka_consumer_poll(consumer_.get(), limits::kKafkaPollMs)};
  if (!fatal_.empty()) return fatal_;
  if (!first) return {};
  messages.push_back(std::move(first));
  const uint64_t rebalances = rebalances_;
  std::vector<rd_kafka_message_t*> more(limits::kKafkaRoundRecordsMax - 1);
  const ssize_t n = rd_kafka_consume_batch_queue(queue_, 0, more.data(), more.size());
  for (ssize_t i = 0; i < n; ++i) messages.emplace_back(more[i]);
  if (!fatal_.empty()) return fatal_;
  // A rebalance while collecting: the first records may be of a partition that
  // is another member's now. Drop them all uncommitted; the owners (us included)
  // fetch again from the committed offsets.
  if (rebalances_ != rebalances) return {};
  return Decide(messages);
}

std::string Validator::Decide(std::vector<kafka::Message>& messages) {
  std::vector<Inbound> inbound;
  std::map<int32_t, int64_t> next_offsets;
  for (const kafka::Message& m : messages) {
    if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      if (m->err == RD_KAFKA_RESP_ERR__FATAL) return rd_kafka_message_errstr(m.get());
      std::cerr << "ledger serve: inbound: " << rd_kafka_message_errstr(m.get()) << '\n';
      continue;
    }
    next_offsets[m->partition] = m->offset + 1;
    Inbound item{m.get(), std::nullopt, std::nullopt};
    auto read = ReadInboundRecord(std::string_view(static_cast<const char*>(m->payload), m->len));
    if (auto* rejection = std::get_if<Rejection>(&read)) {
      item.rejection = std::move(*rejection);
    } else {
      item.event = std::move(std::get<DecodedEvent>(read));
      // One writer per events partition: seller s may only arrive on PartitionOf(s).
      const uint32_t home = PartitionOf(item.event->seller_id(), log_->partition_count());
      if (home != static_cast<uint32_t>(m->partition)) {
        item.rejection = Rejection{Code::kMalformed,
                                   "record key: seller \"" + std::string(item.event->seller_id()) +
                                       "\" belongs to partition " + std::to_string(home) +
                                       " (murmur2 of seller_id), not " + std::to_string(m->partition)};
      }
    }
    inbound.push_back(std::move(item));
  }
  if (inbound.empty()) return {};
  std::vector<const DecodedEvent*> events;
  for (const Inbound& item : inbound) {
    if (!item.rejection) events.push_back(&*item.event);
  }
  if (std::string error = log_->BeginRound(); !error.empty()) return error;
  std::vector<EventResult> results;
  if (std::string error = ledger_->Process(events, &results); !error.empty()) {
    log_->AbortRound();
    return error;
  }
  std::string error = ProduceOutcomes(inbound, results);
  if (!error.empty()) {
    log_->AbortRound();
    ledger_->Rewind();
    return error;
  }
  kafka::PartitionList offsets(rd_kafka_topic_partition_list_new(static_cast<int>(next_offsets.size())));
  for (const auto& [partition, next] : next_offsets) {
    rd_kafka_topic_partition_list_add(offsets.get(), cluster_.inbound().c_str(), partition)->offset = next;
  }
  bool abortable = false;
  error = log_->CommitRound(consumer_.get(), offsets.get(), &abortable);
  if (!error.empty() && abortable) {
    std::cerr << "ledger serve: transaction aborted (" << error << "); deciding the records again\n";
    ledger_->Rewind();
    return RewindConsumer();
  }
  ++rounds_;
  return error;
}

std::string Validator::ProduceOutcomes(const std::vector<Inbound>& inbound,
                                       const std::vector<EventResult>& results) {
  const std::vector<LogEntry>& staged = log_->staged();
  size_t next_result = 0, next_entry = 0;
  for (const Inbound& item : inbound) {
    const auto reply = kafka::HeaderValue(item.message, kReplyHeader).value_or("");
    const std::string_view key(static_cast<const char*>(item.message->key), item.message->key_len);
    std::string error;
    if (item.rejection) {
      error = log_->ProduceRejected(key, RejectedJson("rejected", *item.message, item.event,
                                                      std::string(CodeName(item.rejection->code)),
                                                      item.rejection->message), reply);
    } else {
      const EventResult& r = results[next_result++];
      if (r.outcome == Outcome::kAccepted) {
        const LogEntry& entry = staged.at(next_entry++);
        MKT_ASSERT(entry.partition == r.partition && entry.seq == r.seq, "staged entry out of step");
        error = log_->ProduceEvent(entry, item.event->seller_id(), reply);
      } else if (r.outcome == Outcome::kDuplicate) {
        error = log_->ProduceRejected(key, RejectedJson("duplicate", *item.message, item.event, "",
                                                        "already accepted at partition " +
                                                            std::to_string(r.partition) + " seq " +
                                                            std::to_string(r.seq)), reply);
      } else {
        error = log_->ProduceRejected(key, RejectedJson("rejected", *item.message, item.event,
                                                        std::string(CodeName(r.rejection->code)),
                                                        r.rejection->message), reply);
      }
    }
    if (!error.empty()) return error;
  }
  MKT_ASSERT(next_result == results.size() && next_entry == staged.size(), "outcomes out of step");
  return {};
}

std::string Validator::RewindConsumer() {
  // Not rewinding would skip the aborted records: any failure here is fatal.
  rd_kafka_topic_partition_list_t* raw = nullptr;
  if (rd_kafka_resp_err_t err = rd_kafka_assignment(consumer_.get(), &raw)) {
    return kafka::Describe("rewind: assignment", err);
  }
  kafka::PartitionList assigned(raw);
  if (rd_kafka_resp_err_t err =
          rd_kafka_committed(consumer_.get(), assigned.get(), limits::kKafkaRequestTimeoutMs)) {
    return kafka::Describe("rewind: committed offsets", err);
  }
  for (int i = 0; i < assigned->cnt; ++i) {
    if (assigned->elems[i].err) return kafka::Describe("rewind: committed offset", assigned->elems[i].err);
    if (assigned->elems[i].offset < 0) assigned->elems[i].offset = RD_KAFKA_OFFSET_BEGINNING;
  }
  if (kafka::Error error{rd_kafka_seek_partitions(consumer_.get(), assigned.get(),
                                                  limits::kKafkaRequestTimeoutMs)}) {
    return kafka::Describe("rewind: seek", error.get());
  }
  for (int i = 0; i < assigned->cnt; ++i) {
    if (assigned->elems[i].err) return kafka::Describe("rewind: seek", assigned->elems[i].err);
  }
  return {};
}

std::string Validator::Tick(Micros now, TickReport* report) {
  return ledger_->Tick(now, report, [this](uint32_t partition) { return owned_[partition]; });
}

}  // namespace mkt
