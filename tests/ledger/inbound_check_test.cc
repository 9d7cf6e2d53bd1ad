// Cluster mode takes events from ledger.inbound as FlatBuffers bytes, not JSON.
// Whatever an upstream producer writes, the validator must refuse exactly what
// the JSON decoder refuses, naming the field, and never pass on a value the
// rules were not written for (LEDGER.md section 3).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <sstream>

#include "ledger/enum_names.h"
#include "ledger/json_decode.h"
#include "ledger/limits.h"
#include "ledger/text.h"
#include "ledger/validator.h"
#include "ops/gen/generator.h"

namespace mkt {
namespace {

constexpr Micros kAt = 1'790'000'000'000'000;  // 2026-09

struct Placed {
  const char* order_id = "o1";
  fb::OrderKind kind = fb::OrderKind::new_;
  const char* spec = nullptr;
  int32_t quantity = 1;
  int64_t list_price = 180'000;
  Micros at = kAt;
  bool write_every_value = true;  // false: default values are left out, as a lax producer might
};

std::string Bytes(const Placed& p) {
  flatbuffers::FlatBufferBuilder b;
  b.ForceDefaults(p.write_every_value);
  const auto body = fb::CreateOrderPlacedDirect(b, p.order_id, "p1", "b1", p.kind, p.spec, nullptr,
                                                p.quantity, p.list_price, fb::Channel::store, nullptr);
  b.Finish(fb::CreateInputEventDirect(b, "e1", "s1", p.at, fb::Event::OrderPlaced, body.Union()));
  return {reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize()};
}

// "code: message" of the record's rejection, or "accepted".
std::string Outcome(const std::string& bytes) {
  auto read = ReadInboundRecord(bytes);
  if (std::holds_alternative<DecodedEvent>(read)) return "accepted";
  const Rejection& r = std::get<Rejection>(read);
  return std::string(CodeName(r.code)) + ": " + r.message;
}

TEST(InboundCheck, EveryEventTheJsonDecoderMakesPasses) {
  std::stringstream lines;
  gen::GenOptions options;
  options.orders = 2000;
  options.sellers = 3;
  gen::Generate(options, lines);
  JsonDecoder decoder;
  size_t checked = 0;
  for (std::string line; std::getline(lines, line);) {
    DecodeResult decoded = decoder.Decode(line);
    ASSERT_TRUE(decoded.event) << line << "\n" << decoded.rejection->message;
    EXPECT_EQ(Outcome(std::string(decoded.event->bytes())), "accepted") << line;
    ++checked;
  }
  EXPECT_GT(checked, 7000u);
}

TEST(InboundCheck, AWellFormedRecordPasses) { EXPECT_EQ(Outcome(Bytes(Placed{})), "accepted"); }

TEST(InboundCheck, AmountAboveTheMaximumIsInvalidAmount) {
  Placed p;
  p.list_price = limits::kMoneyFenMax + 1;
  EXPECT_EQ(Outcome(Bytes(p)).rfind("invalid_amount: field list_price:", 0), 0u) << Outcome(Bytes(p));
  p.list_price = -1;
  EXPECT_EQ(Outcome(Bytes(p)).rfind("invalid_amount: field list_price:", 0), 0u) << Outcome(Bytes(p));
}

TEST(InboundCheck, NegativeQuantityIsMalformed) {
  Placed p;
  p.quantity = -3;
  EXPECT_EQ(Outcome(Bytes(p)).rfind("malformed: field quantity:", 0), 0u) << Outcome(Bytes(p));
}

TEST(InboundCheck, BadIdInsideTheEventIsInvalidId) {
  Placed p;
  p.order_id = "not an id!";
  EXPECT_EQ(Outcome(Bytes(p)).rfind("invalid_id: field order_id:", 0), 0u) << Outcome(Bytes(p));
}

TEST(InboundCheck, EnumValueOutsideTheSchemaIsMalformed) {
  Placed p;
  p.kind = static_cast<fb::OrderKind>(99);
  EXPECT_EQ(Outcome(Bytes(p)).rfind("malformed: field kind:", 0), 0u) << Outcome(Bytes(p));
}

TEST(InboundCheck, TextThatIsNotUtf8IsInvalidText) {
  Placed p;
  p.spec = "\xff\xfe";
  EXPECT_EQ(Outcome(Bytes(p)).rfind("invalid_text: field spec:", 0), 0u) << Outcome(Bytes(p));
}

TEST(InboundCheck, AbsentRequiredValueIsMissingField) {
  Placed p;
  p.kind = fb::OrderKind::renew;  // not a default value: still written
  p.list_price = 0;
  p.write_every_value = false;  // list_price 0 is then not in the buffer at all
  EXPECT_EQ(Outcome(Bytes(p)).rfind("missing_field: field list_price:", 0), 0u) << Outcome(Bytes(p));
}

TEST(InboundCheck, TimeOutsideTheCalendarIsMalformed) {
  Placed p;
  p.at = INT64_MAX;
  EXPECT_EQ(Outcome(Bytes(p)).rfind("malformed: field at:", 0), 0u) << Outcome(Bytes(p));
}

TEST(InboundCheck, EventTheLedgerAppendsItselfIsUnknownType) {
  flatbuffers::FlatBufferBuilder b;
  const auto body = fb::CreateSettlementClosed(b, 202610);
  b.Finish(fb::CreateInputEventDirect(b, "e1", "s1", kAt, fb::Event::SettlementClosed, body.Union()));
  const std::string bytes(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize());
  EXPECT_EQ(Outcome(bytes).rfind("unknown_type: field type:", 0), 0u) << Outcome(bytes);
}

TEST(InboundCheck, BytesThatAreNotAnInputEventAreMalformed) {
  EXPECT_EQ(Outcome(""), "malformed: record is not an InputEvent FlatBuffer (the Verifier refused it)");
  EXPECT_EQ(Outcome("\x01\x02\x03"),
            "malformed: record is not an InputEvent FlatBuffer (the Verifier refused it)");
}

// Any corruption of a valid record is either refused or still a record every
// check passes: the validator never hands the rules a value they cannot take.
RC_GTEST_PROP(InboundCheck, CorruptedRecordsAreRefusedOrStillPassEveryCheck,
              (std::vector<std::pair<uint16_t, uint8_t>> flips)) {
  std::string bytes = Bytes(Placed{});
  for (const auto& [at, value] : flips) bytes[at % bytes.size()] = static_cast<char>(value);
  auto read = ReadInboundRecord(bytes);
  if (auto* event = std::get_if<DecodedEvent>(&read)) {
    const fb::OrderPlaced* placed = event->event()->event_as_OrderPlaced();
    if (placed == nullptr) return;  // the flips made another (checked) event type
    RC_ASSERT(placed->list_price() >= 0 && placed->list_price() <= limits::kMoneyFenMax);
    RC_ASSERT(placed->quantity() >= 0);
    RC_ASSERT(IsValidId(placed->order_id()->string_view()));
    RC_ASSERT(fb::EnumNameOrderKind(placed->kind())[0] != '\0');
  } else {
    RC_ASSERT(!std::get<Rejection>(read).message.empty());
  }
}

}  // namespace
}  // namespace mkt
