// Appending the fields of a JSON object we are building (internal to ops/gen). Values come
// from the generator's own tables, which need no escaping (word_lists.h, flow_words.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ops/gen/gen_internal.h"

namespace mkt::gen::detail {

// Appends `,"key":` for the next field.
inline void Key(std::string* out, std::string_view key) {
  out->append(",\"").append(key).append("\":");
}
inline void StringField(std::string* out, std::string_view key, std::string_view value) {
  Key(out, key);
  out->append("\"").append(value).append("\"");
}
inline void MoneyField(std::string* out, std::string_view key, int64_t fen) {
  Key(out, key);
  out->push_back('"');
  AppendFen(out, fen);
  out->push_back('"');
}
inline void IntField(std::string* out, std::string_view key, int64_t value) {
  Key(out, key);
  out->append(std::to_string(value));
}
inline void BoolField(std::string* out, std::string_view key, bool value) {
  Key(out, key);
  out->append(value ? "true" : "false");
}

inline void OrderIdField(std::string* out, int32_t seller, int64_t order_no) {
  Key(out, "order_id");
  out->push_back('"');
  AppendOrderId(out, seller, order_no);
  out->push_back('"');
}
inline void ProductIdField(std::string* out, int32_t seller, int32_t product) {
  Key(out, "product_id");
  out->push_back('"');
  AppendProductId(out, seller, product);
  out->push_back('"');
}
inline void CouponIdField(std::string* out, int32_t seller, int32_t coupon) {
  Key(out, "coupon_id");
  out->push_back('"');
  AppendCouponId(out, seller, coupon);
  out->push_back('"');
}

}  // namespace mkt::gen::detail
