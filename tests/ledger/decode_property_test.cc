// The JSON decoder faces untrusted input (LEDGER.md section 3): whatever the
// bytes, it returns exactly one of an event or a rejection with a message, and
// every event it returns is a well-formed InputEvent buffer.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "flatbuffers/flatbuffers.h"
#include "ledger/json_decode.h"

namespace mkt {
namespace {

using Json = nlohmann::ordered_json;

// Valid lines of several shapes: strings, enums, money, time, vectors, tables.
const std::vector<std::string>& ValidLines() {
  static const std::vector<std::string> lines = {
      R"({"type":"OrderPlaced","event_id":"e1","at":"2026-10-03T10:00:00+08:00","seller_id":"s1",)"
      R"("order_id":"o1","product_id":"p1","buyer_id":"b1","kind":"new","quantity":1,)"
      R"("list_price":"1800.00","channel":"reseller","reseller_id":"r1","spec":"4 vCPU"})",
      R"({"type":"RefundRequested","event_id":"e2","at":"2026-10-04T10:00:00Z","seller_id":"s1",)"
      R"("refund_id":"rf1","order_id":"o1","amount":"remaining","initiator":"seller",)"
      R"("reason":"服务未交付","release":"keep","keep_reason":"续用"})",
      R"({"type":"CouponCreated","event_id":"e3","at":"2026-10-01T00:00:00+08:00","seller_id":"s1",)"
      R"("coupon_id":"c1","name":"八五折","scope":"products","product_ids":["p1","p2"],)"
      R"("kind":"discount","pay_rate":"8.5","issue_from":"2026-10-01T00:00:00+08:00",)"
      R"("issue_to":"2026-10-07T00:00:00+08:00","use_from":"2026-10-01T00:00:00+08:00",)"
      R"("use_to":"2026-10-31T00:00:00+08:00","total":100,"per_user_limit":1,)"
      R"("scenarios":["new","renew"],"visible":true})",
      R"({"type":"DeliveryTemplateDefined","event_id":"e4","at":"2026-10-01T00:00:00+08:00",)"
      R"("seller_id":"s1","template_id":"quick","nodes":[{"name":"deliver","actor":"seller",)"
      R"("rejectable":false},{"name":"accept","actor":"buyer","rejectable":true,"timeout_days":1.5}]})",
      R"({"type":"ProductDailyMetrics","event_id":"e5","at":"2026-10-03T23:00:00+08:00",)"
      R"("seller_id":"s1","product_id":"p1","date":"2026-10-03","uv":120,"visitors":80,)"
      R"("avg_dwell_seconds":12.5,"quotes":3,"tickets_opened":4,"tickets_resolved":3,)"
      R"("avg_ticket_hours":6})",
      R"({"type":"DeliveryStep","event_id":"e6","at":"2026-10-05T10:00:00+08:00","seller_id":"s1",)"
      R"("order_id":"o1","node":"deliver","action":"resolve_appeal","actor":"platform",)"
      R"("actual_start":"2026-10-05T09:00:00+08:00","outcome":"continue","note":"ok"})",
  };
  return lines;
}

// Decodes `line` and checks the decoder's contract on it.
void CheckContract(JsonDecoder& decoder, std::string_view line) {
  const DecodeResult r = decoder.Decode(line);
  RC_ASSERT(r.event.has_value() != r.rejection.has_value());
  if (r.rejection) {
    RC_ASSERT(!r.rejection->message.empty());
    return;
  }
  const std::string_view bytes = r.event->bytes();
  flatbuffers::Verifier verifier(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  RC_ASSERT(fb::VerifyInputEventBuffer(verifier));
  const bool has_body = r.event->event()->event() != nullptr;
  RC_ASSERT(has_body);
  RC_ASSERT(r.event->type() != fb::Event::NONE);
  // Decoding is a function of the line: a second decode gives the same bytes.
  const DecodeResult again = decoder.Decode(line);
  RC_ASSERT(again.event.has_value());
  RC_ASSERT(again.event->bytes() == r.event->bytes());
}

JsonDecoder& Decoder() {
  static JsonDecoder decoder;
  return decoder;
}

TEST(DecodeProperty, EveryValidSeedLineDecodes) {
  for (const std::string& line : ValidLines()) {
    const DecodeResult r = Decoder().Decode(line);
    EXPECT_TRUE(r.event.has_value()) << line << "\n"
                                     << (r.rejection ? r.rejection->message : std::string());
  }
}

RC_GTEST_PROP(DecodeProperty, RandomBytesNeverCrash, ()) {
  const std::string line = *rc::gen::container<std::string>(
      rc::gen::map(rc::gen::inRange(0, 256), [](int b) { return static_cast<char>(b); }));
  CheckContract(Decoder(), line);
}

RC_GTEST_PROP(DecodeProperty, RandomPrintableTextNeverCrashes, ()) {
  const std::string line = *rc::gen::arbitrary<std::string>();
  CheckContract(Decoder(), line);
}

RC_GTEST_PROP(DecodeProperty, ByteMutationsOfAValidLineNeverCrash, ()) {
  std::string line = *rc::gen::elementOf(ValidLines());
  const int mutations = *rc::gen::inRange(1, 4);
  for (int i = 0; i < mutations; ++i) {
    const int kind = *rc::gen::inRange(0, 3);
    const auto byte = static_cast<char>(*rc::gen::inRange(0, 256));
    if (kind == 0 && !line.empty()) {  // flip: replace one byte
      line[*rc::gen::inRange<size_t>(0, line.size())] = byte;
    } else if (kind == 1) {  // insert
      line.insert(*rc::gen::inRange<size_t>(0, line.size() + 1), 1, byte);
    } else if (!line.empty()) {  // delete
      line.erase(*rc::gen::inRange<size_t>(0, line.size()), 1);
    }
  }
  CheckContract(Decoder(), line);
}

// A JSON value of any shape, biased towards values the schema's fields accept.
rc::Gen<Json> AnyValue() {
  return rc::gen::oneOf(
      rc::gen::map(
          rc::gen::elementOf(std::vector<std::string>{
              "",          "0",      "0.5",   "1800.00",    "1.005",   "-1",
              "remaining", "8.5",    "10.0",  "2026-10-03", "2026-10", "2026-10-03T10:00:00+08:00",
              "new",       "seller", "buyer", "system",     "image",   "continue",
              "p1",        "a b",    "中文",  "NaN"}),
          [](std::string s) { return Json(s); }),
      rc::gen::map(rc::gen::inRange<int64_t>(-3, 5), [](int64_t v) { return Json(v); }),
      rc::gen::map(rc::gen::elementOf(std::vector<double>{0.5, 1.25, 1.5, -0.1, 1e300}),
                   [](double v) { return Json(v); }),
      rc::gen::map(rc::gen::arbitrary<bool>(), [](bool v) { return Json(v); }),
      rc::gen::just(Json(nullptr)), rc::gen::just(Json::array()),
      rc::gen::just(Json::array({"p1", "new"})),
      rc::gen::just(Json::array({Json{{"name", "n"}, {"actor", "buyer"}, {"rejectable", true}}})),
      rc::gen::just(Json::object()), rc::gen::just(Json{{"name", "n"}}));
}

// Keys of the envelope and of several tables, so replaced keys often mean something.
const std::vector<std::string>& AnyKey() {
  // clang-format off
  static const std::vector<std::string> keys = {
      "type", "event_id", "at", "seller_id", "order_id", "product_id", "list_price", "quantity",
      "kind", "amount", "reason", "pay_rate", "nodes", "timeout_days", "scenarios", "product_ids",
      "date", "period", "avg_dwell_seconds", "actual_start", "outcome", "visible", "unknown"};
  // clang-format on
  return keys;
}

RC_GTEST_PROP(DecodeProperty, FieldMutationsOfAValidEventNeverCrash, ()) {
  Json event = Json::parse(*rc::gen::elementOf(ValidLines()));
  const int mutations = *rc::gen::inRange(1, 4);
  for (int i = 0; i < mutations; ++i) {
    const std::string key = *rc::gen::elementOf(AnyKey());
    if (*rc::gen::inRange(0, 4) == 0) {
      event.erase(key);
    } else {
      event[key] = *AnyValue();
    }
  }
  CheckContract(Decoder(), event.dump());
}

}  // namespace
}  // namespace mkt
