// Ledger::Tick: deadlines become events (LEDGER.md section 8). The timers
// family lists them in deadline order; each due one is turned into the event
// the timer owes and decided by the ordinary rules, so a deadline that no longer
// applies (the order was paid meanwhile) is simply refused and dropped.
#include <memory>

#include "ledger/hash.h"
#include "ledger/keys.h"
#include "ledger/ledger.h"
#include "ledger/limits.h"
#include "ledger/rules.h"

namespace mkt {
namespace {

struct TimerKey {
  Micros due;
  TimerIndex::Kind kind;
  std::string seller_id;
  std::string id;
};

TimerKey ParseTimerKey(std::string_view key) {
  MKT_ASSERT(key.size() > 10, "short timer key");
  const size_t separator = key.find('\0', 9);
  MKT_ASSERT(separator != std::string_view::npos, "timer key without separator");
  return TimerKey{static_cast<Micros>(keys::ReadU64(key)), static_cast<TimerIndex::Kind>(key[8]),
                  std::string(key.substr(9, separator - 9)), std::string(key.substr(separator + 1))};
}

// Deterministic, so ticking twice re-sends the same event (a duplicate).
std::string TimerEventId(std::string_view key) {
  const Hash digest = Sha256(key);
  return "timer-" + ToHex(std::span<const uint8_t>(digest.data(), 16));
}

template <typename BuildBody>
DecodedEvent Finish(fb::Event type, const TimerKey& t, std::string_view key, BuildBody build) {
  flatbuffers::FlatBufferBuilder b(256);
  const auto body = build(b);
  const auto id = b.CreateString(TimerEventId(key));
  const auto seller = b.CreateString(t.seller_id);
  b.Finish(fb::CreateInputEvent(b, id, seller, t.due, type, body.Union()));
  return DecodedEvent(b.Release());
}

}  // namespace

std::optional<DecodedEvent> Ledger::TimerEvent(std::string_view key) {
  const TimerKey t = ParseTimerKey(key);
  switch (t.kind) {
    case TimerIndex::kExpireOrder:
      return Finish(fb::Event::OrderVoided, t, key, [&](auto& b) {
        return fb::CreateOrderVoidedDirect(b, t.id.c_str(), fb::VoidReason::expired);
      });
    case TimerIndex::kAutoApprove:
      return Finish(fb::Event::RefundApproved, t, key, [&](auto& b) {
        return fb::CreateRefundApprovedDirect(b, t.id.c_str(), fb::Approver::auto_);
      });
    case TimerIndex::kDefaultReview:
      return Finish(fb::Event::ReviewPosted, t, key, [&](auto& b) {
        return fb::CreateReviewPostedDirect(b, t.id.c_str(), 5, 5, 5, nullptr, true);
      });
    case TimerIndex::kDeliveryTimeout: {
      // The step names the node current now; the rules check it is really due.
      const fb::OrderStateT* order = state_.orders.Find(t.seller_id, t.id);
      if (order == nullptr || order->delivery_state != fb::DeliveryState::in_progress) return std::nullopt;
      fb::DerivedT unused;
      RuleContext ctx{policy_, state_, t.seller_id, t.due, unused};
      const std::vector<TemplateNode> nodes = FindTemplate(ctx, order->delivery_template);
      const std::string node = nodes.at(order->delivery_node).name;
      return Finish(fb::Event::DeliveryStep, t, key, [&](auto& b) {
        return fb::CreateDeliveryStepDirect(b, t.id.c_str(), node.c_str(), fb::DeliveryAction::complete,
                                            fb::Actor::system);
      });
    }
  }
  MKT_ASSERT(false, "unknown timer kind ", static_cast<int>(t.kind));
  return std::nullopt;
}

std::string Ledger::Tick(Micros now, TickReport* report,
                         const std::function<bool(uint32_t partition)>& owned) {
  std::string upper;
  keys::AppendU64(&upper, static_cast<uint64_t>(now) + 1);  // a deadline equal to now is due
  for (;;) {
    std::vector<std::string> due;
    {
      rocksdb::ReadOptions options;
      const rocksdb::Slice upper_slice(upper);
      options.iterate_upper_bound = &upper_slice;
      std::unique_ptr<rocksdb::Iterator> it(store_->db()->NewIterator(options, store_->cf(kCfTimers)));
      for (it->SeekToFirst(); it->Valid() && due.size() < limits::kIngestBatchEventsMax; it->Next()) {
        if (owned && !owned(PartitionOf(ParseTimerKey(it->key().ToStringView()).seller_id,
                                        log_->partition_count()))) {
          continue;  // another member's partition: it fires the timer
        }
        due.push_back(it->key().ToString());
      }
      if (!it->status().ok()) return "timer read failed: " + it->status().ToString();
    }
    if (due.empty()) return {};
    std::vector<DecodedEvent> events;
    events.reserve(due.size());
    for (const std::string& key : due) {
      if (auto event = TimerEvent(key)) events.push_back(std::move(*event));
      state_.timers.Drop(key);  // fired: committed with the round's events
    }
    std::vector<const DecodedEvent*> pointers;
    for (const DecodedEvent& e : events) pointers.push_back(&e);
    std::vector<EventResult> results;
    if (std::string error = Process(pointers, &results); !error.empty()) return error;
    for (size_t i = 0; i < results.size(); ++i) {
      if (results[i].outcome != Outcome::kAccepted) continue;
      ++report->emitted;
      ++report->by_type[std::string(EventTypeName(events[i].type()))];
    }
  }
}

}  // namespace mkt
