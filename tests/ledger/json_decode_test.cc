// LEDGER.md sections 1 and 3: one NDJSON line becomes one InputEvent, or a
// rejection with a stable code and a message naming the field.
#include "ledger/json_decode.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "ledger/limits.h"

namespace mkt {
namespace {

using Json = nlohmann::ordered_json;

// 2026-10-03T10:00:00+08:00 = 2026-10-03T02:00:00Z.
constexpr Micros k20261003T1000Beijing = 1'790'992'800'000'000;

Json Envelope(const char* type) {
  return Json{
      {"type", type}, {"event_id", "e1"}, {"at", "2026-10-03T10:00:00+08:00"}, {"seller_id", "s1"}};
}

Json OrderPlaced() {
  Json e = Envelope("OrderPlaced");
  e["order_id"] = "o1";
  e["product_id"] = "p1";
  e["buyer_id"] = "b1";
  e["kind"] = "renew";
  e["quantity"] = 2;
  e["list_price"] = "1800.00";
  e["channel"] = "reseller";
  e["reseller_id"] = "r1";
  return e;
}

Json OrderPriceChanged() {
  Json e = Envelope("OrderPriceChanged");
  e["order_id"] = "o1";
  e["new_price"] = "1500.00";
  e["reason"] = "negotiated";
  return e;
}

Json RefundRequested() {
  Json e = Envelope("RefundRequested");
  e["refund_id"] = "rf1";
  e["order_id"] = "o1";
  e["amount"] = "100.00";
  e["initiator"] = "seller";
  e["reason"] = "service not delivered";
  e["release"] = "immediate";
  return e;
}

Json CouponCreated() {
  Json e = Envelope("CouponCreated");
  e["coupon_id"] = "c1";
  e["name"] = "国庆八五折";
  e["scope"] = "shop";
  e["kind"] = "discount";
  e["pay_rate"] = "8.5";
  e["issue_from"] = "2026-10-01T00:00:00+08:00";
  e["issue_to"] = "2026-10-07T23:59:59+08:00";
  e["use_from"] = "2026-10-01T00:00:00+08:00";
  e["use_to"] = "2026-10-31T23:59:59+08:00";
  e["total"] = 100;
  e["per_user_limit"] = 1;
  e["scenarios"] = {"new", "renew"};
  e["visible"] = true;
  return e;
}

Json DeliveryTemplateDefined() {
  Json e = Envelope("DeliveryTemplateDefined");
  e["template_id"] = "quick";
  e["nodes"] = Json::array(
      {Json{{"name", "deliver"}, {"actor", "seller"}, {"rejectable", false}},
       Json{{"name", "accept"}, {"actor", "buyer"}, {"rejectable", true}, {"timeout_days", 1.5}}});
  return e;
}

Json ProductDailyMetrics() {
  Json e = Envelope("ProductDailyMetrics");
  e["product_id"] = "p1";
  e["date"] = "2026-10-03";
  e["uv"] = 120;
  e["visitors"] = 80;
  e["avg_dwell_seconds"] = 12.5;
  e["quotes"] = 3;
  e["tickets_opened"] = 4;
  e["tickets_resolved"] = 3;
  e["avg_ticket_hours"] = 6;
  return e;
}

DecodeResult DecodeLine(std::string_view line) {
  static JsonDecoder decoder;  // one decoder, reused across lines as in production
  return decoder.Decode(line);
}

DecodeResult Decode(const Json& event) { return DecodeLine(event.dump()); }

// Decoded, not rejected; the reason otherwise.
::testing::AssertionResult Decoded(const DecodeResult& r) {
  if (r.rejection) {
    return ::testing::AssertionFailure()
           << "rejected " << CodeName(r.rejection->code) << ": " << r.rejection->message;
  }
  if (!r.event) return ::testing::AssertionFailure() << "neither event nor rejection";
  return ::testing::AssertionSuccess();
}

// Rejected with `code` and a message that mentions `mention`.
::testing::AssertionResult Rejected(const DecodeResult& r, Code code, std::string_view mention) {
  if (r.event) return ::testing::AssertionFailure() << "decoded; expected " << CodeName(code);
  if (!r.rejection) return ::testing::AssertionFailure() << "neither event nor rejection";
  if (r.rejection->code != code) {
    return ::testing::AssertionFailure() << "code " << CodeName(r.rejection->code) << " (expected "
                                         << CodeName(code) << "): " << r.rejection->message;
  }
  if (r.rejection->message.find(mention) == std::string::npos) {
    return ::testing::AssertionFailure()
           << "message \"" << r.rejection->message << "\" does not mention \"" << mention << "\"";
  }
  return ::testing::AssertionSuccess();
}

std::string Bytes(const DecodeResult& r) {
  return r.event ? std::string(r.event->bytes()) : std::string();
}

// ---------------------------------------------------------------- accepted

TEST(JsonDecode, OrderPlacedDecodesEveryField) {
  const DecodeResult r = Decode(OrderPlaced());
  ASSERT_TRUE(Decoded(r));
  EXPECT_EQ(r.event->event_id(), "e1");
  EXPECT_EQ(r.event->seller_id(), "s1");
  EXPECT_EQ(r.event->at(), k20261003T1000Beijing);
  ASSERT_EQ(r.event->type(), fb::Event::OrderPlaced);
  const fb::OrderPlaced* placed = r.event->event()->event_as_OrderPlaced();
  ASSERT_NE(placed, nullptr);
  EXPECT_EQ(placed->order_id()->string_view(), "o1");
  EXPECT_EQ(placed->product_id()->string_view(), "p1");
  EXPECT_EQ(placed->buyer_id()->string_view(), "b1");
  EXPECT_EQ(placed->kind(), fb::OrderKind::renew);
  EXPECT_EQ(placed->quantity(), 2);
  EXPECT_EQ(placed->list_price(), 180000);
  EXPECT_EQ(placed->channel(), fb::Channel::reseller);
  ASSERT_NE(placed->reseller_id(), nullptr);
  EXPECT_EQ(placed->reseller_id()->string_view(), "r1");
  EXPECT_EQ(placed->spec(), nullptr);
}

TEST(JsonDecode, DecodedBytesPassTheFlatBuffersVerifier) {
  const DecodeResult r = Decode(OrderPlaced());
  ASSERT_TRUE(Decoded(r));
  flatbuffers::Verifier verifier(reinterpret_cast<const uint8_t*>(r.event->bytes().data()),
                                 r.event->bytes().size());
  EXPECT_TRUE(fb::VerifyInputEventBuffer(verifier));
}

TEST(JsonDecode, EnumNamesMapToSchemaValues) {
  Json e = OrderPlaced();
  e["kind"] = "new";
  e["channel"] = "store";
  e.erase("reseller_id");
  const DecodeResult r = Decode(e);
  ASSERT_TRUE(Decoded(r));
  EXPECT_EQ(r.event->event()->event_as_OrderPlaced()->kind(), fb::OrderKind::new_);
  EXPECT_EQ(r.event->event()->event_as_OrderPlaced()->channel(), fb::Channel::store);
}

TEST(JsonDecode, ZeroListPriceIsAccepted) {
  Json e = OrderPlaced();
  e["list_price"] = "0";
  const DecodeResult r = Decode(e);
  ASSERT_TRUE(Decoded(r));
  EXPECT_EQ(r.event->event()->event_as_OrderPlaced()->list_price(), 0);
}

TEST(JsonDecode, ChineseTextIsAccepted) {
  Json e = OrderPriceChanged();
  e["reason"] = "双方协商降价";
  const DecodeResult r = Decode(e);
  ASSERT_TRUE(Decoded(r));
  EXPECT_EQ(r.event->event()->event_as_OrderPriceChanged()->reason()->string_view(),
            "双方协商降价");
}

// ---------------------------------------------------------------- envelope

TEST(JsonDecode, NotJsonIsMalformed) {
  for (const char* line :
       {"", "hello", "{", "{\"type\":", "{'type':'OrderPlaced'}", "{\"type\":\"OrderPlaced\",}"}) {
    const DecodeResult r = DecodeLine(line);
    EXPECT_TRUE(Rejected(r, Code::kMalformed, "")) << line;
    if (r.rejection) {
      EXPECT_FALSE(r.rejection->message.empty()) << line;
    }
  }
}

TEST(JsonDecode, TopLevelNonObjectIsMalformed) {
  for (const char* line :
       {"[]", "[{\"type\":\"OrderPlaced\"}]", "42", "\"OrderPlaced\"", "null", "true"}) {
    EXPECT_TRUE(Rejected(DecodeLine(line), Code::kMalformed, "object")) << line;
  }
}

TEST(JsonDecode, MissingEnvelopeFieldIsMissingFieldNamingIt) {
  for (const char* field : {"type", "event_id", "at", "seller_id"}) {
    Json e = OrderPlaced();
    e.erase(field);
    EXPECT_TRUE(Rejected(Decode(e), Code::kMissingField, std::string("field ") + field)) << field;
  }
}

TEST(JsonDecode, NullEnvelopeFieldIsMissingField) {
  Json e = OrderPlaced();
  e["seller_id"] = nullptr;
  EXPECT_TRUE(Rejected(Decode(e), Code::kMissingField, "seller_id"));
}

TEST(JsonDecode, EnvelopeFieldOfWrongJsonTypeIsMalformed) {
  Json e = OrderPlaced();
  e["event_id"] = 17;
  EXPECT_TRUE(Rejected(Decode(e), Code::kMalformed, "event_id"));
}

TEST(JsonDecode, BadEnvelopeIdIsInvalidId) {
  Json e = OrderPlaced();
  e["seller_id"] = "seller one";
  EXPECT_TRUE(Rejected(Decode(e), Code::kInvalidId, "seller_id"));
  e = OrderPlaced();
  e["event_id"] = std::string(65, 'e');
  EXPECT_TRUE(Rejected(Decode(e), Code::kInvalidId, "event_id"));
}

TEST(JsonDecode, UnknownTypeIsUnknownType) {
  Json e = OrderPlaced();
  e["type"] = "OrderTeleported";
  EXPECT_TRUE(Rejected(Decode(e), Code::kUnknownType, "OrderTeleported"));
  e["type"] = "orderplaced";  // type names are case-sensitive
  EXPECT_TRUE(Rejected(Decode(e), Code::kUnknownType, "orderplaced"));
}

TEST(JsonDecode, SettlementClosedFromUpstreamIsUnknownType) {
  Json e = Envelope("SettlementClosed");
  e["period"] = "2026-09";
  EXPECT_TRUE(Rejected(Decode(e), Code::kUnknownType, "SettlementClosed"));
}

TEST(JsonDecode, BadTimeInAtIsMalformed) {
  for (const char* at :
       {"2026-10-03T10:00:00", "2026-10-03 10:00:00+08:00", "yesterday", "2025-02-29T10:00:00Z"}) {
    Json e = OrderPlaced();
    e["at"] = at;
    EXPECT_TRUE(Rejected(Decode(e), Code::kMalformed, "field at")) << at;
  }
}

TEST(JsonDecode, SameInstantInDifferentOffsetsDecodesToSameAt) {
  Json e = OrderPlaced();
  e["at"] = "2026-10-03T02:00:00Z";
  const DecodeResult r = Decode(e);
  ASSERT_TRUE(Decoded(r));
  EXPECT_EQ(r.event->at(), k20261003T1000Beijing);
}

TEST(JsonDecode, RejectionReportsTheEventId) {
  Json e = OrderPlaced();
  e["event_id"] = "evt-42";
  e.erase("list_price");
  const DecodeResult r = Decode(e);
  ASSERT_TRUE(Rejected(r, Code::kMissingField, "list_price"));
  EXPECT_EQ(r.event_id, "evt-42");
}

// ---------------------------------------------------------------- body fields

TEST(JsonDecode, MissingRequiredBodyFieldIsMissingFieldNamingIt) {
  for (const char* field : {"list_price", "order_id", "quantity", "kind", "buyer_id"}) {
    Json e = OrderPlaced();
    e.erase(field);
    EXPECT_TRUE(Rejected(Decode(e), Code::kMissingField, field)) << field;
  }
}

TEST(JsonDecode, MoneyAsJsonNumberIsMalformed) {
  Json e = OrderPlaced();
  e["list_price"] = 1800;
  EXPECT_TRUE(Rejected(Decode(e), Code::kMalformed, "list_price"));
  e["list_price"] = 1800.5;
  EXPECT_TRUE(Rejected(Decode(e), Code::kMalformed, "list_price"));
}

TEST(JsonDecode, MoneyWithThreeDecimalsIsInvalidAmountNamingTheField) {
  Json e = OrderPlaced();
  e["list_price"] = "1800.005";
  EXPECT_TRUE(Rejected(Decode(e), Code::kInvalidAmount, "list_price"));
}

TEST(JsonDecode, MoneyInOtherFormsIsInvalidAmount) {
  for (const char* money :
       {"-5", "-0.01", "1e3", "NaN", "Infinity", "1000000000000.01", "", " 5", "1,000"}) {
    Json e = OrderPlaced();
    e["list_price"] = money;
    EXPECT_TRUE(Rejected(Decode(e), Code::kInvalidAmount, "list_price")) << money;
  }
}

TEST(JsonDecode, BadIdInBodyIsInvalidIdNamingTheField) {
  for (const std::string& id : {std::string("o 1"), std::string(65, 'o'), std::string(""),
                                std::string("o/1"), std::string("订单")}) {
    Json e = OrderPlaced();
    e["order_id"] = id;
    EXPECT_TRUE(Rejected(Decode(e), Code::kInvalidId, "order_id")) << id;
  }
  Json e = OrderPlaced();
  e["order_id"] = std::string(64, 'o');
  EXPECT_TRUE(Decoded(Decode(e)));
}

TEST(JsonDecode, TextOver512BytesIsInvalidTextNamingTheField) {
  Json e = OrderPriceChanged();
  e["reason"] = std::string(512, 'x');
  EXPECT_TRUE(Decoded(Decode(e)));
  e["reason"] = std::string(513, 'x');
  EXPECT_TRUE(Rejected(Decode(e), Code::kInvalidText, "reason"));
}

TEST(JsonDecode, EscapedNulInTextIsInvalidText) {
  const std::string line = OrderPriceChanged().dump();
  std::string with_nul = line;
  with_nul.replace(with_nul.find("negotiated"), 10, "nego\\u0000tiated");
  EXPECT_TRUE(Rejected(DecodeLine(with_nul), Code::kInvalidText, "reason"));
}

TEST(JsonDecode, EmptyReasonIsMissingField) {
  Json e = OrderPriceChanged();
  e["reason"] = "";
  EXPECT_TRUE(Rejected(Decode(e), Code::kMissingField, "reason"));
}

TEST(JsonDecode, InvalidUtf8AnywhereInTheLineIsInvalidText) {
  const std::string line = OrderPriceChanged().dump();
  const std::string in_value = [&] {
    std::string s = line;
    s.replace(s.find("negotiated"), 10, "nego\xC0\x80tiated");
    return s;
  }();
  const std::string in_key = [&] {
    std::string s = line;
    s.replace(s.find("\"reason\""), 8, "\"rea\xED\xA0\x80son\"");
    return s;
  }();
  const std::string in_event_id = [&] {
    std::string s = line;
    s.replace(s.find("\"e1\""), 4, "\"e\x80\"");
    return s;
  }();
  const std::string truncated = [&] {
    std::string s = line;
    s.replace(s.find("negotiated"), 10, "\xE4\xB8");
    return s;
  }();
  for (const std::string& bad : {in_value, in_key, in_event_id, truncated}) {
    EXPECT_TRUE(Rejected(DecodeLine(bad), Code::kInvalidText, "")) << bad;
  }
}

TEST(JsonDecode, UnknownExtraFieldIsMalformedNamingIt) {
  Json e = OrderPlaced();
  e["discount_code"] = "X";
  EXPECT_TRUE(Rejected(Decode(e), Code::kMalformed, "discount_code"));
}

TEST(JsonDecode, FieldSetByTheLedgerCannotBeSent) {
  Json e = RefundRequested();
  e["amount_is_remaining"] = true;
  EXPECT_TRUE(Rejected(Decode(e), Code::kMalformed, "amount_is_remaining"));
}

TEST(JsonDecode, DuplicateBodyKeyIsMalformed) {
  std::string line = OrderPlaced().dump();
  line.insert(line.size() - 1, ",\"order_id\":\"o2\"");
  EXPECT_TRUE(Rejected(DecodeLine(line), Code::kMalformed, "order_id"));
}

TEST(JsonDecode, DuplicateEnvelopeKeyIsMalformed) {
  for (const char* dup : {",\"type\":\"OrderPlaced\"", ",\"seller_id\":\"s2\"",
                          ",\"event_id\":\"e1\"", ",\"at\":\"2026-10-03T10:00:00+08:00\""}) {
    std::string line = OrderPlaced().dump();
    line.insert(line.size() - 1, dup);
    const std::string field = std::string(dup).substr(2, std::string(dup).find('"', 2) - 2);
    EXPECT_TRUE(Rejected(DecodeLine(line), Code::kMalformed, field)) << line;
  }
}

TEST(JsonDecode, EnumValueNotInSetIsMalformedListingTheAllowedValues) {
  Json e = OrderPlaced();
  e["kind"] = "bogus";
  const DecodeResult r = Decode(e);
  EXPECT_TRUE(Rejected(r, Code::kMalformed, "kind"));
  EXPECT_TRUE(Rejected(r, Code::kMalformed, "bogus"));
  for (const char* allowed : {"new", "renew", "trial", "convert", "upgrade"}) {
    EXPECT_TRUE(Rejected(r, Code::kMalformed, allowed)) << allowed;
  }
}

TEST(JsonDecode, EnumGivenAsNumberIsMalformed) {
  Json e = OrderPlaced();
  e["kind"] = 1;
  EXPECT_TRUE(Rejected(Decode(e), Code::kMalformed, "kind"));
}

TEST(JsonDecode, IntegerGivenAsStringOrFloatIsMalformed) {
  Json e = OrderPlaced();
  e["quantity"] = "1";
  EXPECT_TRUE(Rejected(Decode(e), Code::kMalformed, "quantity"));
  e["quantity"] = 1.5;
  EXPECT_TRUE(Rejected(Decode(e), Code::kMalformed, "quantity"));
  e["quantity"] = true;
  EXPECT_TRUE(Rejected(Decode(e), Code::kMalformed, "quantity"));
}

TEST(JsonDecode, NegativeOrOversizedQuantityIsMalformed) {
  Json e = OrderPlaced();
  e["quantity"] = -1;
  EXPECT_TRUE(Rejected(Decode(e), Code::kMalformed, "quantity"));
  e["quantity"] = int64_t{1} << 31;  // does not fit the int field
  EXPECT_TRUE(Rejected(Decode(e), Code::kMalformed, "quantity"));
}

TEST(JsonDecode, BoolGivenAsStringIsMalformed) {
  Json e = CouponCreated();
  e["visible"] = "true";
  EXPECT_TRUE(Rejected(Decode(e), Code::kMalformed, "visible"));
}

TEST(JsonDecode, DeepNestingIsMalformedWithoutCrashing) {
  const std::string deep_arrays = std::string(100, '[') + std::string(100, ']');
  std::string line = OrderPlaced().dump();
  line.insert(line.size() - 1, ",\"spec\":" + deep_arrays);
  EXPECT_TRUE(Rejected(DecodeLine(line), Code::kMalformed, ""));

  std::string deep_objects;
  for (int i = 0; i < 100; ++i) deep_objects += "{\"a\":";
  deep_objects += "1" + std::string(100, '}');
  line = OrderPlaced().dump();
  line.insert(line.size() - 1, ",\"spec\":" + deep_objects);
  EXPECT_TRUE(Rejected(DecodeLine(line), Code::kMalformed, ""));

  const std::string very_deep = std::string(100'000, '[') + std::string(100'000, ']');
  EXPECT_TRUE(Rejected(DecodeLine(very_deep), Code::kMalformed, ""));
}

TEST(JsonDecode, LineOver64KiBIsMalformed) {
  std::string line = OrderPlaced().dump();
  line.append(limits::kJsonLineBytesMax + 1 - line.size(), ' ');  // trailing whitespace
  ASSERT_EQ(line.size(), 64u * 1024 + 1);
  EXPECT_TRUE(Rejected(DecodeLine(line), Code::kMalformed, "65536"));
}

TEST(JsonDecode, LineOfExactly64KiBIsAccepted) {
  std::string line = OrderPlaced().dump();
  line.append(limits::kJsonLineBytesMax - line.size(), ' ');
  EXPECT_TRUE(Decoded(DecodeLine(line)));
}

TEST(JsonDecode, NullForOptionalFieldIsAbsent) {
  Json e = OrderPlaced();
  e["spec"] = nullptr;
  const DecodeResult r = Decode(e);
  ASSERT_TRUE(Decoded(r));
  EXPECT_EQ(r.event->event()->event_as_OrderPlaced()->spec(), nullptr);
  EXPECT_EQ(Bytes(r), Bytes(Decode(OrderPlaced())));
}

TEST(JsonDecode, NullForOptionalScalarIsAbsent) {
  Json e = Envelope("ProductListed");
  e["product_id"] = "p1";
  e["name"] = "GPU image";
  e["category"] = "image";
  e["platform_fee_bp"] = nullptr;
  const DecodeResult r = Decode(e);
  ASSERT_TRUE(Decoded(r));
  EXPECT_FALSE(r.event->event()->event_as_ProductListed()->platform_fee_bp().has_value());
}

TEST(JsonDecode, NullForRequiredFieldIsMissingField) {
  for (const char* field : {"list_price", "order_id", "quantity"}) {
    Json e = OrderPlaced();
    e[field] = nullptr;
    EXPECT_TRUE(Rejected(Decode(e), Code::kMissingField, field)) << field;
  }
}

TEST(JsonDecode, OptionalScalarSentAsZeroIsPresent) {
  Json e = Envelope("ProductListed");
  e["product_id"] = "p1";
  e["name"] = "GPU image";
  e["category"] = "image";
  e["platform_fee_bp"] = 0;
  const DecodeResult r = Decode(e);
  ASSERT_TRUE(Decoded(r));
  EXPECT_EQ(r.event->event()->event_as_ProductListed()->platform_fee_bp(), 0);
}

// ---------------------------------------------------------------- special conversions

TEST(JsonDecode, RemainingAmountSetsAmountIsRemaining) {
  Json e = RefundRequested();
  e["amount"] = "remaining";
  const DecodeResult r = Decode(e);
  ASSERT_TRUE(Decoded(r));
  EXPECT_TRUE(r.event->event()->event_as_RefundRequested()->amount_is_remaining());
}

TEST(JsonDecode, ExplicitRefundAmountIsNotRemaining) {
  const DecodeResult r = Decode(RefundRequested());
  ASSERT_TRUE(Decoded(r));
  EXPECT_EQ(r.event->event()->event_as_RefundRequested()->amount(), 10000);
  EXPECT_FALSE(r.event->event()->event_as_RefundRequested()->amount_is_remaining());
}

TEST(JsonDecode, RemainingIsOnlyForRefundAmounts) {
  Json e = OrderPlaced();
  e["list_price"] = "remaining";
  EXPECT_TRUE(Rejected(Decode(e), Code::kInvalidAmount, "list_price"));
  e = RefundRequested();
  e["amount"] = "Remaining";
  EXPECT_TRUE(Rejected(Decode(e), Code::kInvalidAmount, "amount"));
}

TEST(JsonDecode, PayRateInZheIsStoredAsBasisPoints) {
  const DecodeResult r = Decode(CouponCreated());
  ASSERT_TRUE(Decoded(r));
  const fb::CouponCreated* coupon = r.event->event()->event_as_CouponCreated();
  EXPECT_EQ(coupon->pay_rate(), 8500);
  ASSERT_NE(coupon->scenarios(), nullptr);
  ASSERT_EQ(coupon->scenarios()->size(), 2u);
  EXPECT_EQ(coupon->scenarios()->Get(0), fb::Scenario::new_);
  EXPECT_EQ(coupon->scenarios()->Get(1), fb::Scenario::renew);
}

TEST(JsonDecode, PayRateBoundsAreOneTenthToNinePointNine) {
  for (const char* ok : {"0.1", "9.9", "1"}) {
    Json e = CouponCreated();
    e["pay_rate"] = ok;
    EXPECT_TRUE(Decoded(Decode(e))) << ok;
  }
  for (const char* bad : {"10.0", "10", "0.05", "0", "0.0", "8.55", "-8.5", "8,5"}) {
    Json e = CouponCreated();
    e["pay_rate"] = bad;
    EXPECT_TRUE(Rejected(Decode(e), Code::kInvalidAmount, "pay_rate")) << bad;
  }
  Json e = CouponCreated();
  e["pay_rate"] = 8.5;
  EXPECT_TRUE(Rejected(Decode(e), Code::kMalformed, "pay_rate"));
}

TEST(JsonDecode, TemplateNodeTimeoutDaysAreTenths) {
  const DecodeResult r = Decode(DeliveryTemplateDefined());
  ASSERT_TRUE(Decoded(r));
  const auto* nodes = r.event->event()->event_as_DeliveryTemplateDefined()->nodes();
  ASSERT_EQ(nodes->size(), 2u);
  EXPECT_EQ(nodes->Get(0)->name()->string_view(), "deliver");
  EXPECT_EQ(nodes->Get(0)->actor(), fb::NodeActor::seller);
  EXPECT_FALSE(nodes->Get(0)->rejectable());
  EXPECT_FALSE(nodes->Get(0)->timeout_days().has_value());
  EXPECT_EQ(nodes->Get(1)->actor(), fb::NodeActor::buyer);
  EXPECT_TRUE(nodes->Get(1)->rejectable());
  EXPECT_EQ(nodes->Get(1)->timeout_days(), 15);
}

TEST(JsonDecode, TemplateNodeTimeoutWithTwoDecimalsIsMalformed) {
  Json e = DeliveryTemplateDefined();
  e["nodes"][1]["timeout_days"] = 1.25;
  EXPECT_TRUE(Rejected(Decode(e), Code::kMalformed, "timeout_days"));
  e["nodes"][1]["timeout_days"] = -1;
  EXPECT_TRUE(Rejected(Decode(e), Code::kMalformed, "timeout_days"));
  e["nodes"][1]["timeout_days"] = 14;
  const DecodeResult r = Decode(e);
  ASSERT_TRUE(Decoded(r));
  EXPECT_EQ(r.event->event()->event_as_DeliveryTemplateDefined()->nodes()->Get(1)->timeout_days(),
            140);
}

TEST(JsonDecode, TemplateNodeErrorsNameTheNode) {
  Json e = DeliveryTemplateDefined();
  e["nodes"][1].erase("actor");
  EXPECT_TRUE(Rejected(Decode(e), Code::kMissingField, "nodes[1].actor"));
  e = DeliveryTemplateDefined();
  e["nodes"][0]["colour"] = "red";
  EXPECT_TRUE(Rejected(Decode(e), Code::kMalformed, "colour"));
}

TEST(JsonDecode, DailyMetricsDwellSecondsAreThousandths) {
  const DecodeResult r = Decode(ProductDailyMetrics());
  ASSERT_TRUE(Decoded(r));
  const fb::ProductDailyMetrics* m = r.event->event()->event_as_ProductDailyMetrics();
  EXPECT_EQ(m->avg_dwell_seconds(), 12500);
  EXPECT_EQ(m->avg_ticket_hours(), 6000);
  EXPECT_EQ(m->uv(), 120);
  EXPECT_EQ(m->date(), 20729);  // 2026-10-03 in days since 1970-01-01
}

TEST(JsonDecode, DateAndPeriodFieldsRejectBadCalendarValues) {
  Json e = ProductDailyMetrics();
  e["date"] = "2026-02-30";
  EXPECT_TRUE(Rejected(Decode(e), Code::kMalformed, "field date"));
  Json p = Envelope("PlatformInvoiceReceived");
  p["period"] = "2026-13";
  p["amount"] = "10.00";
  EXPECT_TRUE(Rejected(Decode(p), Code::kMalformed, "field period"));
  p["period"] = "2026-09";
  const DecodeResult r = Decode(p);
  ASSERT_TRUE(Decoded(r));
  EXPECT_EQ(r.event->event()->event_as_PlatformInvoiceReceived()->period(), 202609);
}

// ---------------------------------------------------------------- identical content

TEST(JsonDecode, FieldOrderDoesNotChangeTheBytes) {
  const Json e = OrderPlaced();
  Json reversed = Json::object();
  for (auto it = e.rbegin(); it != e.rend(); ++it) reversed[it.key()] = it.value();
  ASSERT_NE(e.dump(), reversed.dump());
  const DecodeResult a = Decode(e);
  const DecodeResult b = Decode(reversed);
  ASSERT_TRUE(Decoded(a));
  ASSERT_TRUE(Decoded(b));
  EXPECT_EQ(Bytes(a), Bytes(b));
}

TEST(JsonDecode, MoneySpellingDoesNotChangeTheBytes) {
  Json a = OrderPlaced();
  Json b = OrderPlaced();
  a["list_price"] = "0.5";
  b["list_price"] = "0.50";
  ASSERT_TRUE(Decoded(Decode(a)));
  EXPECT_EQ(Bytes(Decode(a)), Bytes(Decode(b)));
  a["list_price"] = "1800";
  b["list_price"] = "1800.00";
  EXPECT_EQ(Bytes(Decode(a)), Bytes(Decode(b)));
}

TEST(JsonDecode, OffsetSpellingOfTheSameInstantDoesNotChangeTheBytes) {
  Json a = OrderPlaced();
  Json b = OrderPlaced();
  b["at"] = "2026-10-03T02:00:00Z";
  Json c = OrderPlaced();
  c["at"] = "2026-10-03T02:00:00.000Z";
  ASSERT_TRUE(Decoded(Decode(a)));
  EXPECT_EQ(Bytes(Decode(a)), Bytes(Decode(b)));
  EXPECT_EQ(Bytes(Decode(a)), Bytes(Decode(c)));
}

TEST(JsonDecode, WhitespaceAndEscapesDoNotChangeTheBytes) {
  const std::string compact = OrderPlaced().dump();
  const std::string pretty = OrderPlaced().dump(2);  // newlines inside one object
  std::string escaped = compact;
  escaped.replace(escaped.find("\"o1\""), 4, "\"\\u006f1\"");
  ASSERT_TRUE(Decoded(DecodeLine(compact)));
  EXPECT_EQ(Bytes(DecodeLine(compact)), Bytes(DecodeLine(pretty)));
  EXPECT_EQ(Bytes(DecodeLine(compact)), Bytes(DecodeLine(escaped)));
}

TEST(JsonDecode, DifferentContentGivesDifferentBytes) {
  const std::string base = Bytes(Decode(OrderPlaced()));
  ASSERT_FALSE(base.empty());
  const std::vector<std::pair<const char*, Json>> changes = {{"list_price", "1800.01"},
                                                             {"quantity", 3},
                                                             {"kind", "new"},
                                                             {"order_id", "o2"},
                                                             {"event_id", "e2"},
                                                             {"seller_id", "s2"},
                                                             {"at", "2026-10-03T10:00:01+08:00"},
                                                             {"spec", "4 vCPU"},
                                                             {"reseller_id", "r2"}};
  for (const auto& [field, value] : changes) {
    Json e = OrderPlaced();
    e[field] = value;
    const DecodeResult r = Decode(e);
    ASSERT_TRUE(Decoded(r)) << field;
    EXPECT_NE(Bytes(r), base) << field;
  }
}

TEST(JsonDecode, DecodingTheSameLineTwiceGivesTheSameBytes) {
  const std::string first = Bytes(Decode(CouponCreated()));
  ASSERT_TRUE(Decoded(Decode(DeliveryTemplateDefined())));  // reuse the decoder in between
  ASSERT_TRUE(Rejected(DecodeLine("{"), Code::kMalformed, ""));
  EXPECT_EQ(first, Bytes(Decode(CouponCreated())));
  EXPECT_FALSE(first.empty());
}

}  // namespace
}  // namespace mkt

namespace mkt::test_extra {

TEST(JsonDecode, MeasurementsAreReadExactlyIncludingWholeNumbersWrittenWithDecimals) {
  JsonDecoder decoder;
  auto dwell = [&](const std::string& number) -> std::optional<int64_t> {
    const DecodeResult r = decoder.Decode(
        R"({"type":"ProductDailyMetrics","event_id":"m","at":"2026-10-04T01:00:00+08:00",)"
        R"("seller_id":"s1","product_id":"p1","date":"2026-10-03","uv":1,"visitors":1,)"
        R"("avg_dwell_seconds":)" + number +
        R"(,"quotes":0,"tickets_opened":0,"tickets_resolved":0,"avg_ticket_hours":0})");
    if (!r.event) return std::nullopt;
    return r.event->event()->event_as_ProductDailyMetrics()->avg_dwell_seconds();
  };
  EXPECT_EQ(dwell("120.0"), 120000);
  EXPECT_EQ(dwell("0.1"), 100);      // 0.1 is not exact in binary; the stored value is
  EXPECT_EQ(dwell("2.675"), 2675);   // another classic rounding trap
  EXPECT_EQ(dwell("0.001"), 1);
  EXPECT_EQ(dwell("0.0005"), std::nullopt);
  EXPECT_EQ(dwell("1e2"), 100000);
  EXPECT_EQ(dwell("1e-4"), std::nullopt);
}

}  // namespace mkt::test_extra
