#include "ledger/ledger.h"

#include "ledger/limits.h"
#include "ledger/rules.h"

namespace mkt {
namespace {

constexpr size_t kContentDigestBytes = 16;
// Nested buffers hold 8-byte scalars; align them so the Verifier accepts them.
constexpr size_t kNestedAlignment = 8;

flatbuffers::Offset<flatbuffers::Vector<uint8_t>> CreateNested(flatbuffers::FlatBufferBuilder& b,
                                                               std::string_view bytes) {
  b.ForceVectorAlignment(bytes.size(), sizeof(uint8_t), kNestedAlignment);
  return b.CreateVector(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
}

}  // namespace

std::optional<AcceptedRecord> ViewStoredEvent(std::string_view bytes) {
  const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
  flatbuffers::Verifier outer(data, bytes.size());
  if (!fb::VerifyStoredEventBuffer(outer)) return std::nullopt;
  const fb::StoredEvent* stored = fb::GetStoredEvent(data);
  if (stored->hash()->size() != 32 || stored->prev_hash()->size() != 32) return std::nullopt;
  flatbuffers::Verifier record_verifier(stored->record()->data(), stored->record()->size());
  if (!record_verifier.VerifyBuffer<fb::LedgerRecord>(nullptr)) return std::nullopt;
  const fb::LedgerRecord* record = stored->record_nested_root();
  flatbuffers::Verifier input_verifier(record->input()->data(), record->input()->size());
  if (!input_verifier.VerifyBuffer<fb::InputEvent>(nullptr)) return std::nullopt;
  return AcceptedRecord{record->partition(), record->seq(), record, record->input_nested_root()};
}

Ledger::Ledger(Store* store, Log* log, Policy policy, Clock clock)
    : store_(store), log_(log), policy_(std::move(policy)), clock_(std::move(clock)),
      state_(store) {
  for (uint32_t p = 0; p < log_->partition_count(); ++p) heads_.push_back(log_->Head(p));
}

std::string Ledger::BuildStoredEvent(const DecodedEvent& event, const fb::DerivedT& derived,
                                     uint32_t partition, uint64_t seq, Micros recorded_at,
                                     PartitionHead* head) {
  flatbuffers::FlatBufferBuilder& rb = record_builder_;
  rb.Clear();
  const auto input = CreateNested(rb, event.bytes());
  const auto derived_offset =
      derived == fb::DerivedT() ? 0 : fb::Derived::Pack(rb, &derived).o;
  rb.Finish(fb::CreateLedgerRecord(rb, limits::kSchemaVersion, partition, seq, recorded_at, input,
                                   flatbuffers::Offset<fb::Derived>(derived_offset)));
  const std::string_view record(reinterpret_cast<const char*>(rb.GetBufferPointer()),
                                rb.GetSize());
  const Hash hash = ChainHash(head->last_hash, record);

  flatbuffers::FlatBufferBuilder& sb = stored_builder_;
  sb.Clear();
  const auto record_offset = CreateNested(sb, record);
  const auto hash_offset = sb.CreateVector(hash.data(), hash.size());
  const auto prev_offset = sb.CreateVector(head->last_hash.data(), head->last_hash.size());
  sb.Finish(fb::CreateStoredEvent(sb, prev_offset, hash_offset, record_offset));
  std::string bytes(reinterpret_cast<const char*>(sb.GetBufferPointer()), sb.GetSize());
  // Assert before writing to disk: what we store must read back as what we meant.
  const auto view = ViewStoredEvent(bytes);
  MKT_ASSERT(view && view->seq == seq && view->partition == partition, "built a bad StoredEvent");
  head->next_seq = seq + 1;
  head->last_hash = hash;
  return bytes;
}

EventResult Ledger::Decide(const DecodedEvent& event, std::vector<LogEntry>* entries) {
  EventResult result;
  const Hash content = Sha256(event.bytes());
  const fb::IdempotencyEntryT* prior = state_.idempotency.Find(event.seller_id(), event.event_id());
  if (prior != nullptr) {
    const bool same = prior->content_digest.size() == kContentDigestBytes &&
                      std::equal(prior->content_digest.begin(), prior->content_digest.end(),
                                 content.begin());
    if (!same) {
      result.rejection = Rejection{Code::kEventIdConflict,
                                   "field event_id: \"" + std::string(event.event_id()) +
                                       "\" was already accepted with different content"};
      return result;
    }
    result.outcome = Outcome::kDuplicate;
    result.partition = prior->partition;
    result.seq = prior->seq;
    return result;
  }
  fb::DerivedT derived;
  RuleContext ctx{policy_, state_, event.seller_id(), event.at(), derived};
  if (auto rejection = ApplyRules(*event.event(), ctx)) {
    result.rejection = std::move(rejection);
    return result;
  }
  const uint32_t partition = PartitionOf(event.seller_id(), log_->partition_count());
  PartitionHead& head = heads_[partition];
  const uint64_t seq = head.next_seq;
  entries->push_back(LogEntry{partition, seq,
                              BuildStoredEvent(event, derived, partition, seq,
                                               batch_recorded_at_, &head)});
  fb::IdempotencyEntryT* entry = state_.idempotency.Mutable(event.seller_id(), event.event_id());
  entry->partition = partition;
  entry->seq = seq;
  entry->content_digest.assign(content.begin(), content.begin() + kContentDigestBytes);
  result.outcome = Outcome::kAccepted;
  result.partition = partition;
  result.seq = seq;
  return result;
}

std::string Ledger::Process(std::span<const DecodedEvent* const> events,
                            std::vector<EventResult>* results) {
  MKT_ASSERT(events.size() <= limits::kIngestBatchEventsMax, "batch of ", events.size());
  results->clear();
  batch_recorded_at_ = clock_();
  std::vector<LogEntry> entries;
  entries.reserve(events.size());
  for (const DecodedEvent* event : events) results->push_back(Decide(*event, &entries));
  if (entries.empty() && !state_.HasWrites()) return {};

  std::vector<AcceptedRecord> accepted;
  accepted.reserve(entries.size());
  for (const LogEntry& entry : entries) accepted.push_back(*ViewStoredEvent(entry.bytes));
  rocksdb::WriteBatch batch;
  for (BatchObserver* observer : observers_) observer->Apply(accepted, &batch);
  state_.Flush(&batch);
  const std::string error = log_->Append(entries, &batch);
  if (!error.empty()) {
    Rewind();  // nothing was committed
    return error;
  }
  state_.Trim(limits::kStateCacheEntriesMax);
  return {};
}

void Ledger::Rewind() {
  // Drop every cache that ran ahead of the store.
  state_.Reset();
  for (BatchObserver* observer : observers_) observer->Reset();
  for (uint32_t p = 0; p < log_->partition_count(); ++p) heads_[p] = log_->Head(p);
}

}  // namespace mkt
