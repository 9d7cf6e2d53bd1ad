// Key encodings. Ids never contain '\0' (LEDGER.md id charset), so '\0' is a
// safe separator and keys sort by (seller, id). Integers are big-endian so that
// byte order is numeric order.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace mkt::keys {

inline void AppendU32(std::string* out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out->push_back(static_cast<char>(v >> shift));
}
inline void AppendU64(std::string* out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out->push_back(static_cast<char>(v >> shift));
}
inline uint64_t ReadU64(std::string_view in) {
  uint64_t v = 0;
  for (size_t i = 0; i < 8; ++i) v = (v << 8) | static_cast<uint8_t>(in[i]);
  return v;
}
inline uint32_t ReadU32(std::string_view in) {
  uint32_t v = 0;
  for (size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<uint8_t>(in[i]);
  return v;
}

// seller '\0' id
inline std::string Scoped(std::string_view seller_id, std::string_view id) {
  std::string key;
  key.reserve(seller_id.size() + id.size() + 1);
  key.append(seller_id);
  key.push_back('\0');
  key.append(id);
  return key;
}

// A prefixed aggregate key in ledger_state: tag, seller, '\0', id.
inline std::string Aggregate(char tag, std::string_view seller_id, std::string_view id) {
  std::string key(1, tag);
  key += Scoped(seller_id, id);
  return key;
}

// log: partition (u32) | seq (u64)
inline std::string LogKey(uint32_t partition, uint64_t seq) {
  std::string key;
  AppendU32(&key, partition);
  AppendU64(&key, seq);
  return key;
}

inline std::string PartitionHeadKey(uint32_t partition) {
  std::string key = "head/";
  AppendU32(&key, partition);
  return key;
}

inline constexpr std::string_view kStoreInfoKey = "store_info";

}  // namespace mkt::keys
