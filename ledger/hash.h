// SHA-256 (OpenSSL) and the per-partition hash chain of LEDGER.md section 9:
// hash = SHA-256(prev_hash || stored record bytes), from 32 zero bytes.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace mkt {

using Hash = std::array<uint8_t, 32>;
inline constexpr Hash kGenesisHash{};

Hash Sha256(std::string_view bytes);
Hash ChainHash(const Hash& prev, std::string_view record_bytes);
std::string ToHex(std::span<const uint8_t> bytes);

// Incremental SHA-256 for digests over many pieces (projection digests).
class Sha256Stream {
 public:
  Sha256Stream();
  ~Sha256Stream();
  Sha256Stream(const Sha256Stream&) = delete;
  Sha256Stream& operator=(const Sha256Stream&) = delete;
  void Update(std::string_view bytes);
  Hash Finish();

 private:
  void* ctx_;  // EVP_MD_CTX, kept opaque so OpenSSL stays out of this header
};

}  // namespace mkt
