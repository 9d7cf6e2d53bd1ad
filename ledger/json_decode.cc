#include "ledger/json_decode.h"

#include <simdjson.h>

#include <charconv>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "flatbuffers/reflection.h"
#include "ledger/assert.h"
#include "ledger/limits.h"
#include "ledger/money.h"
#include "ledger/text.h"
#include "schemas/events_bfbs_generated.h"

namespace mkt {
namespace {

using reflection::BaseType;
using simdjson::dom::element;
using simdjson::dom::element_type;

// How one JSON value becomes one stored value.
enum class Conv : uint8_t {
  kPlainInt, kBool, kEnum, kMoney, kMoneyOrRemaining, kTime, kDate, kPeriod, kPayRate,
  kTenths, kMilli, kId, kText, kIdVector, kEnumVector, kTableVector, kNotJson
};

struct EnumPlan {
  std::unordered_map<std::string, int64_t> values;
  std::string names;  // "a|b|c", for messages
};

struct TablePlan;

struct FieldPlan {
  std::string name;
  flatbuffers::voffset_t voffset = 0;
  BaseType base = BaseType::None;
  Conv conv = Conv::kPlainInt;
  bool required = false;
  bool nonempty = false;
  const EnumPlan* enum_plan = nullptr;
  const TablePlan* table = nullptr;              // kTableVector element
  flatbuffers::voffset_t remaining_voffset = 0;  // kMoneyOrRemaining: the <name>_is_remaining flag
  const reflection::Field* reflected = nullptr;  // for reading a stored value (CheckInput)
};

struct TablePlan {
  std::string name;
  bool internal = false;
  std::vector<FieldPlan> fields;  // in field-id order
  std::unordered_map<std::string_view, size_t> by_name;
};

// A value decoded but not yet written: scalars are written after the offsets.
struct Pending {
  const FieldPlan* field;
  int64_t scalar;
  flatbuffers::uoffset_t offset;  // non-zero for strings, vectors and tables
  bool remaining;
};

bool IsEnvelopeKey(std::string_view key) {
  return key == "type" || key == "event_id" || key == "at" || key == "seller_id";
}

bool HasAttribute(const reflection::Field* field, const char* key) {
  return field->attributes() != nullptr && field->attributes()->LookupByKey(key) != nullptr;
}

Conv ScalarConv(const reflection::Field* f, bool is_enum) {
  if (HasAttribute(f, "not_json")) return Conv::kNotJson;
  if (HasAttribute(f, "money")) return Conv::kMoney;
  if (HasAttribute(f, "money_or_remaining")) return Conv::kMoneyOrRemaining;
  if (HasAttribute(f, "time")) return Conv::kTime;
  if (HasAttribute(f, "date")) return Conv::kDate;
  if (HasAttribute(f, "period")) return Conv::kPeriod;
  if (HasAttribute(f, "pay_rate")) return Conv::kPayRate;
  if (HasAttribute(f, "tenths")) return Conv::kTenths;
  if (HasAttribute(f, "milli")) return Conv::kMilli;
  if (f->type()->base_type() == BaseType::Bool) return Conv::kBool;
  return is_enum ? Conv::kEnum : Conv::kPlainInt;
}

std::string Quote(std::string_view value) {
  constexpr size_t kShown = 80;
  std::string out = "\"";
  out += value.substr(0, kShown);
  if (value.size() > kShown) out += "...";
  return out + "\"";
}

const char* JsonTypeName(element_type t) {
  switch (t) {
    case element_type::ARRAY: return "an array";
    case element_type::OBJECT: return "an object";
    case element_type::INT64:
    case element_type::UINT64: return "an integer";
    case element_type::DOUBLE: return "a number";
    case element_type::STRING: return "a string";
    case element_type::BOOL: return "a boolean";
    case element_type::NULL_VALUE: return "null";
  }
  return "a value";
}

}  // namespace

struct JsonDecoder::Impl {
  const reflection::Schema* schema = nullptr;
  std::vector<std::unique_ptr<EnumPlan>> enums;  // by schema enum index
  std::vector<std::unique_ptr<TablePlan>> tables;  // by schema object index
  std::unordered_map<std::string, std::pair<fb::Event, const TablePlan*>> event_types;
  simdjson::dom::parser parser{limits::kJsonLineBytesMax};
  flatbuffers::FlatBufferBuilder builder{1024};
  std::string path;  // field path of the value being decoded, for messages

  Impl();
  void BuildPlans();
  DecodeResult Decode(std::string_view line);
  Check DecodeEnvelope(element root, std::string_view* type, std::string_view* event_id,
                       std::string_view* seller_id, Micros* at);
  Check DecodeTable(const TablePlan& plan, simdjson::dom::object object, size_t depth,
                    flatbuffers::uoffset_t* out);
  Check DecodeField(const FieldPlan& field, element value, size_t depth, Pending* out);
  Check DecodeScalar(const FieldPlan& field, element value, int64_t* out, bool* remaining);
  Check DecodeTextScalar(const FieldPlan& field, element value, int64_t* out);
  Check DecodeDecimalNumber(const FieldPlan& field, element value, int64_t* out);
  Check DecodeString(const FieldPlan& field, element value, flatbuffers::uoffset_t* out);
  Check DecodeVector(const FieldPlan& field, element value, size_t depth,
                     flatbuffers::uoffset_t* out);
  void WriteTable(const std::vector<Pending>& pending);
  std::optional<Rejection> CheckInput(const fb::InputEvent& event);
  Check CheckTable(const TablePlan& plan, const flatbuffers::Table& table, size_t depth);
  Check CheckField(const FieldPlan& field, const flatbuffers::Table& table, size_t depth);
  Check CheckText(const FieldPlan& field, std::string_view text);
  Check CheckEnum(const FieldPlan& field, int64_t value);
  Check CheckScalar(const FieldPlan& field, int64_t value);
  // The decoder's calendar (years 1969..9999), as stored values; times a day
  // wider each side for the offsets.
  Micros time_min = 0, time_max = 0;
  int32_t date_min = 0, date_max = 0;
  static constexpr int32_t date_min_period = 196901, date_max_period = 999912;

  Rejection Reject(Code code, std::string message) const {
    return Rejection{code, "field " + path + ": " + std::move(message)};
  }
  Rejection WrongType(const char* expected, element value) const {
    return Reject(Code::kMalformed,
                  std::string("must be ") + expected + ", got " + JsonTypeName(value.type()));
  }
};

JsonDecoder::Impl::Impl() {
  schema = reflection::GetSchema(fb::InputEventBinarySchema::data());
  BuildPlans();
  date_min = *ParseDate("1969-01-01");
  date_max = *ParseDate("9999-12-31");
  time_min = static_cast<Micros>(date_min - 1) * kMicrosPerDay;
  time_max = static_cast<Micros>(date_max + 2) * kMicrosPerDay - 1;
}

void JsonDecoder::Impl::BuildPlans() {
  for (const reflection::Enum* e : *schema->enums()) {
    auto plan = std::make_unique<EnumPlan>();
    for (const reflection::EnumVal* v : *e->values()) {
      plan->values.emplace(v->name()->str(), v->value());
      plan->names += (plan->names.empty() ? "" : "|") + v->name()->str();
    }
    enums.push_back(std::move(plan));
  }
  for (size_t i = 0; i < schema->objects()->size(); ++i) {
    tables.push_back(std::make_unique<TablePlan>());
  }
  for (size_t i = 0; i < schema->objects()->size(); ++i) {
    const reflection::Object* object = schema->objects()->Get(i);
    TablePlan& plan = *tables[i];
    plan.name = object->name()->str();
    plan.name = plan.name.substr(plan.name.rfind('.') + 1);
    plan.internal = object->attributes() != nullptr &&
                    object->attributes()->LookupByKey("internal") != nullptr;
    std::vector<const reflection::Field*> fields(object->fields()->begin(),
                                                 object->fields()->end());
    std::sort(fields.begin(), fields.end(),
              [](auto* a, auto* b) { return a->id() < b->id(); });
    for (const reflection::Field* f : fields) {
      FieldPlan fp;
      fp.name = f->name()->str();
      fp.voffset = f->offset();
      fp.reflected = f;
      fp.base = f->type()->base_type();
      const bool is_enum = fp.base != BaseType::Vector && fp.base != BaseType::Obj &&
                           f->type()->index() >= 0;
      fp.nonempty = HasAttribute(f, "nonempty");
      if (fp.base == BaseType::String) {
        fp.conv = HasAttribute(f, "ident") ? Conv::kId : Conv::kText;
        fp.required = f->required();
      } else if (fp.base == BaseType::Vector) {
        const BaseType element = f->type()->element();
        fp.conv = element == BaseType::String ? Conv::kIdVector
                  : element == BaseType::Obj  ? Conv::kTableVector
                                              : Conv::kEnumVector;
        if (fp.conv == Conv::kEnumVector) fp.enum_plan = enums[f->type()->index()].get();
        if (fp.conv == Conv::kTableVector) fp.table = tables[f->type()->index()].get();
        fp.required = f->required();
      } else {
        fp.conv = ScalarConv(f, is_enum);
        if (is_enum) fp.enum_plan = enums[f->type()->index()].get();
        fp.required = !f->optional() && fp.conv != Conv::kNotJson;
      }
      plan.fields.push_back(std::move(fp));
    }
    for (size_t k = 0; k < plan.fields.size(); ++k) plan.by_name[plan.fields[k].name] = k;
    for (FieldPlan& fp : plan.fields) {
      if (fp.conv != Conv::kMoneyOrRemaining) continue;
      auto flag = plan.by_name.find(fp.name + "_is_remaining");
      MKT_ASSERT(flag != plan.by_name.end(), "schema: ", fp.name, "_is_remaining missing");
      fp.remaining_voffset = plan.fields[flag->second].voffset;
    }
  }
  const reflection::Enum* union_enum = schema->enums()->LookupByKey("mkt.fb.Event");
  MKT_ASSERT(union_enum != nullptr, "schema: union Event missing");
  for (const reflection::EnumVal* v : *union_enum->values()) {
    if (v->value() == 0) continue;  // NONE
    event_types.emplace(v->name()->str(),
                        std::make_pair(static_cast<fb::Event>(v->value()),
                                       tables[v->union_type()->index()].get()));
  }
}

}  // namespace mkt

namespace mkt {

Check JsonDecoder::Impl::DecodeScalar(const FieldPlan& field, element value, int64_t* out,
                                      bool* remaining) {
  switch (field.conv) {
    case Conv::kBool: {
      if (!value.is_bool()) return WrongType("true or false", value);
      *out = value.get_bool().value() ? 1 : 0;
      return std::nullopt;
    }
    case Conv::kEnum: {
      if (!value.is_string()) return WrongType("a string", value);
      const std::string_view text = value.get_string().value();
      auto it = field.enum_plan->values.find(std::string(text));
      if (it == field.enum_plan->values.end()) {
        return Reject(Code::kMalformed, Quote(text) + " is not one of " + field.enum_plan->names);
      }
      *out = it->second;
      return std::nullopt;
    }
    case Conv::kMoney:
    case Conv::kMoneyOrRemaining: {
      if (!value.is_string()) return WrongType("a decimal string such as \"18.00\"", value);
      const std::string_view text = value.get_string().value();
      if (field.conv == Conv::kMoneyOrRemaining && text == "remaining") {
        *out = 0;
        *remaining = true;
        return std::nullopt;
      }
      const auto fen = ParseMoney(text);
      if (!fen) {
        return Reject(Code::kInvalidAmount,
                      Quote(text) + " is not an amount: a non-negative decimal string with at "
                                    "most 2 decimals, at most 1e12 yuan");
      }
      *out = fen->value();
      return std::nullopt;
    }
    case Conv::kTime:
    case Conv::kDate:
    case Conv::kPeriod:
    case Conv::kPayRate: return DecodeTextScalar(field, value, out);
    case Conv::kTenths:
    case Conv::kMilli: return DecodeDecimalNumber(field, value, out);
    case Conv::kPlainInt: {
      if (!value.is_int64()) return WrongType("an integer", value);
      const int64_t v = value.get_int64().value();
      const int64_t max = field.base == BaseType::Long ? INT64_MAX : INT32_MAX;
      if (v < 0 || v > max) {
        return Reject(Code::kMalformed, std::to_string(v) + " is out of range 0.." +
                                            std::to_string(max));
      }
      *out = v;
      return std::nullopt;
    }
    default: MKT_ASSERT(false, "not a scalar conversion for ", field.name);
  }
  return std::nullopt;
}

Check JsonDecoder::Impl::DecodeTextScalar(const FieldPlan& field, element value, int64_t* out) {
  if (!value.is_string()) return WrongType("a string", value);
  const std::string_view text = value.get_string().value();
  std::optional<int64_t> parsed;
  const char* expected = "";
  switch (field.conv) {
    case Conv::kTime:
      parsed = ParseRfc3339(text);
      expected = "an RFC 3339 timestamp with offset, such as \"2026-10-03T10:00:00+08:00\"";
      break;
    case Conv::kDate:
      parsed = ParseDate(text);
      expected = "a date \"YYYY-MM-DD\"";
      break;
    case Conv::kPeriod:
      parsed = ParsePeriod(text);
      expected = "a month \"YYYY-MM\"";
      break;
    case Conv::kPayRate: {
      // The zhe figure "0.1".."9.9": the buyer pays rate*10 percent.
      const auto fen = ParseMoney(text);
      if (fen && fen->value() >= 10 && fen->value() <= 990 && fen->value() % 10 == 0) {
        parsed = fen->value() * 10;  // "8.5" -> 850 -> 8500 bp
      }
      expected = "a discount rate (zhe) from \"0.1\" to \"9.9\" with one decimal";
      break;
    }
    default: MKT_ASSERT(false, "not a text scalar: ", field.name);
  }
  if (!parsed) {
    return Reject(field.conv == Conv::kPayRate ? Code::kInvalidAmount : Code::kMalformed,
                  Quote(text) + " is not " + expected);
  }
  *out = *parsed;
  return std::nullopt;
}

namespace {

// A non-negative JSON number with at most `decimals` decimals, scaled to an
// integer exactly. simdjson's DOM holds numbers as binary64; its shortest
// round-trip text (std::to_chars) is the literal the sender wrote for any value
// of up to 15 significant digits, so the digits are read from that text with
// integer arithmetic and no rounding happens.
std::optional<int64_t> ScaledDecimal(element value, int decimals) {
  int64_t scale = 1;
  for (int i = 0; i < decimals; ++i) scale *= 10;
  if (value.is_int64()) {
    const int64_t v = value.get_int64().value();
    if (v < 0 || v > INT32_MAX / scale) return std::nullopt;
    return v * scale;
  }
  char text[32];
  const auto [end, error] = std::to_chars(text, text + sizeof text, value.get_double().value());
  if (error != std::errc()) return std::nullopt;
  const std::string_view digits(text, end - text);
  if (digits.find_first_not_of("0123456789.") != std::string_view::npos) {
    return std::nullopt;  // negative, or an exponent form (far out of range)
  }
  const size_t dot = digits.find('.');  // 120.0 prints as "120": no dot, no decimals
  const size_t fraction = dot == std::string_view::npos ? 0 : digits.size() - dot - 1;
  if (fraction > static_cast<size_t>(decimals)) return std::nullopt;
  int64_t scaled = 0;
  for (char c : digits) {
    if (c != '.') scaled = scaled * 10 + (c - '0');
    if (scaled > INT32_MAX) return std::nullopt;
  }
  for (size_t i = fraction; i < static_cast<size_t>(decimals); ++i) scaled *= 10;
  return scaled <= INT32_MAX ? std::optional<int64_t>(scaled) : std::nullopt;
}

}  // namespace

Check JsonDecoder::Impl::DecodeDecimalNumber(const FieldPlan& field, element value, int64_t* out) {
  if (!value.is_number()) return WrongType("a number", value);
  const int decimals = field.conv == Conv::kTenths ? 1 : 3;
  const auto scaled = ScaledDecimal(value, decimals);
  if (!scaled) {
    return Reject(Code::kMalformed, "must be a non-negative number with at most " +
                                        std::to_string(decimals) + " decimals");
  }
  *out = *scaled;
  return std::nullopt;
}

Check JsonDecoder::Impl::DecodeString(const FieldPlan& field, element value,
                                      flatbuffers::uoffset_t* out) {
  if (!value.is_string()) return WrongType("a string", value);
  const std::string_view text = value.get_string().value();
  if (auto r = CheckText(field, text)) return r;
  *out = builder.CreateString(text.data(), text.size()).o;
  return std::nullopt;
}

Check JsonDecoder::Impl::DecodeVector(const FieldPlan& field, element value, size_t depth,
                                      flatbuffers::uoffset_t* out) {
  if (!value.is_array()) return WrongType("an array", value);
  const simdjson::dom::array array = value.get_array().value();
  if (array.size() > limits::kVectorElementsMax) {
    return Reject(Code::kMalformed, "more than " + std::to_string(limits::kVectorElementsMax) +
                                        " elements");
  }
  const std::string base_path = path;
  std::vector<flatbuffers::uoffset_t> offsets;
  std::vector<uint8_t> bytes;
  size_t index = 0;
  for (element item : array) {
    path = base_path + "[" + std::to_string(index++) + "]";
    if (field.conv == Conv::kTableVector) {
      if (!item.is_object()) return WrongType("an object", item);
      flatbuffers::uoffset_t table = 0;
      if (auto r = DecodeTable(*field.table, item.get_object().value(), depth + 1, &table)) {
        return r;
      }
      offsets.push_back(table);
    } else if (field.conv == Conv::kIdVector) {
      flatbuffers::uoffset_t s = 0;
      if (auto r = DecodeString(field, item, &s)) return r;
      offsets.push_back(s);
    } else {
      FieldPlan element_plan = field;
      element_plan.conv = Conv::kEnum;
      int64_t v = 0;
      bool unused = false;
      if (auto r = DecodeScalar(element_plan, item, &v, &unused)) return r;
      bytes.push_back(static_cast<uint8_t>(v));
    }
  }
  path = base_path;
  if (field.conv == Conv::kEnumVector) {
    *out = builder.CreateVector(bytes).o;
  } else {
    // Offsets were recorded as uoffset_t; rebuild typed offsets for the vector.
    std::vector<flatbuffers::Offset<void>> typed(offsets.begin(), offsets.end());
    *out = builder.CreateVector(typed).o;
  }
  return std::nullopt;
}

Check JsonDecoder::Impl::DecodeField(const FieldPlan& field, element value, size_t depth,
                                     Pending* out) {
  *out = Pending{&field, 0, 0, false};
  if (field.base == BaseType::String) return DecodeString(field, value, &out->offset);
  if (field.base == BaseType::Vector) return DecodeVector(field, value, depth, &out->offset);
  return DecodeScalar(field, value, &out->scalar, &out->remaining);
}

// Reads the object in two passes: first every key is matched to its field
// (unknown and duplicate keys refused), then fields are decoded and written in
// schema order, so the bytes depend only on the values, never on key order.
Check JsonDecoder::Impl::DecodeTable(const TablePlan& plan, simdjson::dom::object object,
                                     size_t depth, flatbuffers::uoffset_t* out) {
  if (depth > limits::kJsonDepthMax) return Reject(Code::kMalformed, "nested too deeply");
  const std::string base_path = path;
  auto field_path = [&](std::string_view name) {
    return base_path.empty() ? std::string(name) : base_path + "." + std::string(name);
  };
  std::vector<std::optional<element>> values(plan.fields.size());
  std::unordered_set<std::string_view> envelope_seen;
  for (auto [key, value] : object) {
    path = field_path(key);
    if (depth == 0 && IsEnvelopeKey(key)) {
      if (!envelope_seen.insert(key).second) return Reject(Code::kMalformed, "appears twice");
      continue;
    }
    auto it = plan.by_name.find(key);
    if (it == plan.by_name.end() || plan.fields[it->second].conv == Conv::kNotJson) {
      path = base_path;
      return Reject(Code::kMalformed, "unknown field " + Quote(key) + " for " + plan.name);
    }
    if (values[it->second]) return Reject(Code::kMalformed, "appears twice");
    values[it->second] = value;
  }
  std::vector<Pending> pending;
  for (size_t i = 0; i < plan.fields.size(); ++i) {
    const FieldPlan& field = plan.fields[i];
    path = field_path(field.name);
    if (!values[i] || values[i]->is_null()) {  // null is absent
      if (field.required) return Reject(Code::kMissingField, "is required for " + plan.name);
      continue;
    }
    Pending p;
    if (auto r = DecodeField(field, *values[i], depth, &p)) return r;
    pending.push_back(p);
  }
  path = base_path;
  const flatbuffers::uoffset_t start = builder.StartTable();
  WriteTable(pending);
  *out = builder.EndTable(start);
  return std::nullopt;
}

void JsonDecoder::Impl::WriteTable(const std::vector<Pending>& pending) {
  // Present values are always written (no default elision), so "sent as 0" and
  // "absent" stay distinguishable for optional fields.
  for (const Pending& p : pending) {
    const flatbuffers::voffset_t vo = p.field->voffset;
    if (p.offset != 0) {
      builder.AddOffset(vo, flatbuffers::Offset<void>(p.offset));
      continue;
    }
    if (p.remaining) {
      builder.AddElement<uint8_t>(p.field->remaining_voffset, 1);
      continue;
    }
    switch (p.field->base) {
      case BaseType::Bool:
      case BaseType::UByte: builder.AddElement<uint8_t>(vo, static_cast<uint8_t>(p.scalar)); break;
      case BaseType::Int: builder.AddElement<int32_t>(vo, static_cast<int32_t>(p.scalar)); break;
      case BaseType::Long: builder.AddElement<int64_t>(vo, p.scalar); break;
      default: MKT_ASSERT(false, "unsupported scalar type for field ", p.field->name);
    }
  }
}

Check JsonDecoder::Impl::DecodeEnvelope(element root, std::string_view* type,
                                        std::string_view* event_id, std::string_view* seller_id,
                                        Micros* at) {
  const simdjson::dom::object object = root.get_object().value();
  auto text_field = [&](const char* name, std::string_view* out) -> Check {
    path = name;
    element value;
    if (object.at_key(name).get(value) != simdjson::SUCCESS || value.is_null()) {
      return Reject(Code::kMissingField, "is required");
    }
    if (!value.is_string()) return WrongType("a string", value);
    *out = value.get_string().value();
    return std::nullopt;
  };
  if (auto r = text_field("event_id", event_id)) return r;
  if (!IsValidId(*event_id)) return Reject(Code::kInvalidId, Quote(*event_id) + " is not an id");
  if (auto r = text_field("type", type)) return r;
  if (auto r = text_field("seller_id", seller_id)) return r;
  if (!IsValidId(*seller_id)) return Reject(Code::kInvalidId, Quote(*seller_id) + " is not an id");
  std::string_view at_text;
  if (auto r = text_field("at", &at_text)) return r;
  const auto parsed = ParseRfc3339(at_text);
  if (!parsed) {
    return Reject(Code::kMalformed, Quote(at_text) +
                                        " is not an RFC 3339 timestamp with offset, such as "
                                        "\"2026-10-03T10:00:00+08:00\"");
  }
  *at = *parsed;
  return std::nullopt;
}


// The same rules over an InputEvent that arrived as bytes (cluster mode's
// ledger.inbound), field by field from the plans the JSON decoder uses, so an
// upstream producer writing FlatBuffers cannot get past a check a JSON sender
// meets. `table` has passed the Verifier.
Check JsonDecoder::Impl::CheckTable(const TablePlan& plan, const flatbuffers::Table& table,
                                    size_t depth) {
  if (depth > limits::kJsonDepthMax) return Reject(Code::kMalformed, "nested too deeply");
  const std::string base_path = path;
  for (const FieldPlan& field : plan.fields) {
    path = base_path.empty() ? field.name : base_path + "." + field.name;
    if (auto r = CheckField(field, table, depth)) return r;
  }
  path = base_path;
  return std::nullopt;
}

Check JsonDecoder::Impl::CheckField(const FieldPlan& field, const flatbuffers::Table& table,
                                    size_t depth) {
  const bool present = table.GetOptionalFieldOffset(field.voffset) != 0 ||
                       (field.remaining_voffset != 0 &&
                        table.GetOptionalFieldOffset(field.remaining_voffset) != 0);
  if (!present) {
    // The decoder writes every value it was sent, so an absent required field was not sent.
    if (field.required) return Reject(Code::kMissingField, "is required");
    return std::nullopt;
  }
  if (field.base == BaseType::String) {
    const flatbuffers::String* s = flatbuffers::GetFieldS(table, *field.reflected);
    return CheckText(field, s->string_view());
  }
  if (field.base == BaseType::Vector) {
    const flatbuffers::VectorOfAny* v = flatbuffers::GetFieldAnyV(table, *field.reflected);
    if (v->size() > limits::kVectorElementsMax) {
      return Reject(Code::kMalformed, "more than " + std::to_string(limits::kVectorElementsMax) +
                                          " elements");
    }
    const std::string base_path = path;
    for (flatbuffers::uoffset_t i = 0; i < v->size(); ++i) {
      path = base_path + "[" + std::to_string(i) + "]";
      Check r;
      if (field.conv == Conv::kTableVector) {
        r = CheckTable(*field.table, *flatbuffers::GetAnyVectorElemPointer<const flatbuffers::Table>(v, i),
                       depth + 1);
      } else if (field.conv == Conv::kIdVector) {
        r = CheckText(field, flatbuffers::GetAnyVectorElemPointer<const flatbuffers::String>(v, i)->string_view());
      } else {
        r = CheckEnum(field, flatbuffers::GetAnyVectorElemI(v, field.reflected->type()->element(), i));
      }
      if (r) return r;
    }
    path = base_path;
    return std::nullopt;
  }
  return CheckScalar(field, flatbuffers::GetAnyFieldI(table, *field.reflected));
}

Check JsonDecoder::Impl::CheckText(const FieldPlan& field, std::string_view text) {
  if ((field.conv == Conv::kId || field.conv == Conv::kIdVector) && !IsValidId(text)) {
    return Reject(Code::kInvalidId, Quote(text) + " is not an id: 1 to 64 of A-Z a-z 0-9 . _ : -");
  }
  if (field.conv == Conv::kText && !IsValidText(text)) {
    return Reject(Code::kInvalidText, "text must be UTF-8 without NUL, at most 512 bytes (got " +
                                          std::to_string(text.size()) + " bytes)");
  }
  if (field.nonempty && text.empty()) return Reject(Code::kMissingField, "must not be empty");
  return std::nullopt;
}

Check JsonDecoder::Impl::CheckEnum(const FieldPlan& field, int64_t value) {
  for (const auto& [name, v] : field.enum_plan->values) {
    if (v == value) return std::nullopt;
  }
  return Reject(Code::kMalformed, std::to_string(value) + " is not a value of " + field.enum_plan->names);
}

Check JsonDecoder::Impl::CheckScalar(const FieldPlan& field, int64_t v) {
  auto out_of_range = [&](Code code, int64_t lo, int64_t hi) -> Check {
    if (v >= lo && v <= hi) return std::nullopt;
    return Reject(code, std::to_string(v) + " is out of range " + std::to_string(lo) + ".." +
                            std::to_string(hi));
  };
  switch (field.conv) {
    case Conv::kBool:
    case Conv::kNotJson: return out_of_range(Code::kMalformed, 0, 1);  // the only not_json fields are flags
    case Conv::kEnum: return CheckEnum(field, v);
    case Conv::kMoney:
    case Conv::kMoneyOrRemaining: return out_of_range(Code::kInvalidAmount, 0, limits::kMoneyFenMax);
    case Conv::kTime: return out_of_range(Code::kMalformed, time_min, time_max);
    case Conv::kDate: return out_of_range(Code::kMalformed, date_min, date_max);
    case Conv::kPeriod: {
      if (v >= date_min_period && v <= date_max_period && v % 100 >= 1 && v % 100 <= 12) return std::nullopt;
      return Reject(Code::kMalformed, std::to_string(v) + " is not a month YYYYMM");
    }
    case Conv::kPayRate: {
      if (v >= 100 && v <= 9900 && v % 100 == 0) return std::nullopt;
      return Reject(Code::kInvalidAmount, std::to_string(v) + " is not a discount rate 100..9900 bp in steps of 100");
    }
    case Conv::kTenths:
    case Conv::kMilli: return out_of_range(Code::kMalformed, 0, INT32_MAX);
    case Conv::kPlainInt:
      return out_of_range(Code::kMalformed, 0, field.base == BaseType::Long ? INT64_MAX : INT32_MAX);
    default: MKT_ASSERT(false, "not a scalar conversion for ", field.name);
  }
  return std::nullopt;
}

std::optional<Rejection> JsonDecoder::Impl::CheckInput(const fb::InputEvent& event) {
  path = "event_id";
  if (event.event_id() == nullptr) return Reject(Code::kMissingField, "is required");
  if (!IsValidId(event.event_id()->string_view())) return Reject(Code::kInvalidId, "is not an id");
  path = "seller_id";
  if (event.seller_id() == nullptr) return Reject(Code::kMissingField, "is required");
  if (!IsValidId(event.seller_id()->string_view())) return Reject(Code::kInvalidId, "is not an id");
  path = "at";
  if (event.at_us() < time_min || event.at_us() > time_max) {
    return Reject(Code::kMalformed, std::to_string(event.at_us()) + " µs is outside the years 1969..9999");
  }
  path = "type";
  const TablePlan* plan = nullptr;
  for (const auto& [name, type_plan] : event_types) {
    if (type_plan.first == event.event_type()) plan = type_plan.second;
  }
  if (plan == nullptr || event.event() == nullptr) {
    return Reject(Code::kUnknownType, "event type " + std::to_string(static_cast<int>(event.event_type())) +
                                          " is not an event type");
  }
  if (plan->internal) return Reject(Code::kUnknownType, plan->name + " is appended by the ledger itself, never sent");
  path.clear();
  return CheckTable(*plan, *reinterpret_cast<const flatbuffers::Table*>(event.event()), 0);
}

}  // namespace mkt

namespace mkt {

DecodeResult JsonDecoder::Impl::Decode(std::string_view line) {
  DecodeResult result;
  auto reject = [&](Rejection r) {
    result.rejection = std::move(r);
    return std::move(result);
  };
  if (line.size() > limits::kJsonLineBytesMax) {
    return reject({Code::kMalformed, "line is " + std::to_string(line.size()) +
                                         " bytes; at most " +
                                         std::to_string(limits::kJsonLineBytesMax) + " allowed"});
  }
  element root;
  const auto error = parser.parse(line.data(), line.size()).get(root);
  if (error == simdjson::UTF8_ERROR) {
    return reject({Code::kInvalidText, "input is not valid UTF-8"});
  }
  if (error == simdjson::DEPTH_ERROR) return reject({Code::kMalformed, "JSON nested too deeply"});
  if (error) {
    return reject({Code::kMalformed, std::string("not valid JSON: ") +
                                         simdjson::error_message(error)});
  }
  if (!root.is_object()) return reject({Code::kMalformed, "an event must be a JSON object"});
  std::string_view type, event_id, seller_id;
  Micros at = 0;
  {
    element id;
    if (root.at_key("event_id").get(id) == simdjson::SUCCESS && id.is_string()) {
      result.event_id = std::string(id.get_string().value().substr(0, limits::kIdBytesMax));
    }
  }
  if (auto r = DecodeEnvelope(root, &type, &event_id, &seller_id, &at)) return reject(*r);
  auto it = event_types.find(std::string(type));
  if (it == event_types.end()) {
    return reject({Code::kUnknownType, "field type: " + Quote(type) + " is not an event type"});
  }
  const TablePlan& plan = *it->second.second;
  if (plan.internal) {
    return reject({Code::kUnknownType, "field type: " + Quote(type) +
                                           " is appended by the ledger itself, never sent"});
  }
  builder.Clear();
  path.clear();
  flatbuffers::uoffset_t body = 0;
  if (auto r = DecodeTable(plan, root.get_object().value(), 0, &body)) return reject(*r);
  const auto id_offset = builder.CreateString(event_id.data(), event_id.size());
  const auto seller_offset = builder.CreateString(seller_id.data(), seller_id.size());
  builder.Finish(fb::CreateInputEvent(builder, id_offset, seller_offset, at, it->second.first,
                                      flatbuffers::Offset<void>(body)));
  result.event.emplace(builder.Release());
  return result;
}

DecodedEvent::DecodedEvent(flatbuffers::DetachedBuffer buffer) : buffer_(std::move(buffer)) {}

JsonDecoder::JsonDecoder() : impl_(std::make_unique<Impl>()) {
  MKT_ASSERT(impl_->parser.allocate(limits::kJsonLineBytesMax, limits::kJsonDepthMax) ==
                 simdjson::SUCCESS,
             "cannot allocate the JSON parser");
}
JsonDecoder::~JsonDecoder() = default;

DecodeResult JsonDecoder::Decode(std::string_view line) { return impl_->Decode(line); }

std::optional<Rejection> JsonDecoder::CheckInput(const fb::InputEvent& event) {
  return impl_->CheckInput(event);
}

std::string_view EventTypeName(fb::Event type) { return fb::EnumNameEvent(type); }

}  // namespace mkt
