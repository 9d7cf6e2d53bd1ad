// JSON (one NDJSON line) -> InputEvent FlatBuffer, with the rejection codes of
// LEDGER.md section 3: unknown_type, missing_field, malformed, invalid_id,
// invalid_text, invalid_amount.
//
// The decoder is driven by the reflection data of schemas/events.fbs (embedded
// in the binary): each event table's fields and their attributes say how to read
// and check every JSON value, so no per-type decoding code exists to drift from
// the schema. Field-level domain rules (quantity >= 1, ranges) belong to the
// rules, not here.
//
// Strictness: the line must be one JSON object, at most limits::kJsonLineBytesMax
// bytes and kJsonDepthMax deep; duplicate keys and keys the schema does not know
// are `malformed`; JSON null counts as absent. Input that is not valid UTF-8 is
// `invalid_text`.
//
// Not thread-safe: one decoder per thread (it reuses its parser and builder).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "flatbuffers/flatbuffers.h"
#include "ledger/rejection.h"
#include "ledger/time.h"
#include "schemas/events_generated.h"

namespace mkt {

// A decoded event: the finished InputEvent buffer and views into it.
class DecodedEvent {
 public:
  explicit DecodedEvent(flatbuffers::DetachedBuffer buffer);
  const fb::InputEvent* event() const { return fb::GetInputEvent(buffer_.data()); }
  std::string_view event_id() const { return event()->event_id()->string_view(); }
  std::string_view seller_id() const { return event()->seller_id()->string_view(); }
  Micros at() const { return event()->at_us(); }
  fb::Event type() const { return event()->event_type(); }
  std::string_view bytes() const {
    return {reinterpret_cast<const char*>(buffer_.data()), buffer_.size()};
  }

 private:
  flatbuffers::DetachedBuffer buffer_;
};

struct DecodeResult {
  std::optional<DecodedEvent> event;  // set when decoding succeeded
  std::optional<Rejection> rejection;  // set otherwise
  std::string event_id;               // best effort, for reporting a rejection
};

class JsonDecoder {
 public:
  JsonDecoder();
  ~JsonDecoder();
  JsonDecoder(const JsonDecoder&) = delete;
  JsonDecoder& operator=(const JsonDecoder&) = delete;

  DecodeResult Decode(std::string_view line);
  // Applies every check Decode applies to an InputEvent that arrived as
  // FlatBuffers bytes and passed the Verifier (cluster mode's ledger.inbound):
  // ids, texts, amounts, times, enums, vector bounds, required fields (the
  // decoder writes every value it is sent, so an absent required scalar was not
  // sent) and no internal event types. nullopt when it passes.
  std::optional<Rejection> CheckInput(const fb::InputEvent& event);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Event type name as in JSON ("OrderPlaced"), from the schema.
std::string_view EventTypeName(fb::Event type);

}  // namespace mkt
