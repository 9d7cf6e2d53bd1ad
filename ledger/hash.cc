#include "ledger/hash.h"

#include <openssl/evp.h>

#include "ledger/assert.h"

namespace mkt {

Sha256Stream::Sha256Stream() : ctx_(EVP_MD_CTX_new()) {
  MKT_ASSERT(ctx_ != nullptr, "EVP_MD_CTX_new failed");
  MKT_ASSERT(EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(ctx_), EVP_sha256(), nullptr) == 1,
             "EVP_DigestInit_ex failed");
}

Sha256Stream::~Sha256Stream() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_)); }

void Sha256Stream::Update(std::string_view bytes) {
  MKT_ASSERT(EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), bytes.data(), bytes.size()) == 1,
             "EVP_DigestUpdate failed");
}

Hash Sha256Stream::Finish() {
  Hash out{};
  unsigned int length = 0;
  MKT_ASSERT(EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(ctx_), out.data(), &length) == 1 &&
                 length == out.size(),
             "EVP_DigestFinal_ex failed");
  return out;
}

Hash Sha256(std::string_view bytes) {
  Sha256Stream stream;
  stream.Update(bytes);
  return stream.Finish();
}

Hash ChainHash(const Hash& prev, std::string_view record_bytes) {
  Sha256Stream stream;
  stream.Update({reinterpret_cast<const char*>(prev.data()), prev.size()});
  stream.Update(record_bytes);
  return stream.Finish();
}

std::string ToHex(std::span<const uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

}  // namespace mkt
