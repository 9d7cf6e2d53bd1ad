// Randomness shaping: see gen_internal.h for the contracts.
#include <algorithm>
#include <bit>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "ledger/assert.h"
#include "ops/gen/gen_internal.h"

namespace mkt::gen::detail {

uint64_t Exp2Q32(int64_t x) {
  const int64_t whole = x >> 32;  // floor: C++20 defines >> on negatives as arithmetic
  const uint64_t frac = static_cast<uint64_t>(x) & (kOneQ32 - 1);
  constexpr uint64_t kLn2Q32 = 2'977'044'472;  // round(ln 2 * 2^32)
  const uint64_t y = (frac * kLn2Q32) >> 32;
  uint64_t term = kOneQ32;
  uint64_t sum = kOneQ32;
  for (uint64_t n = 1; n <= 12; ++n) {
    term = ((term * y) >> 32) / n;
    sum += term;
  }
  return whole >= 0 ? sum << whole : sum >> -whole;
}

int64_t Log2Q32(uint64_t x) {
  MKT_ASSERT(x >= 1 && x < kOneQ32, "x=", x);
  const int whole = std::bit_width(x) - 1;
  uint64_t mantissa_q30 = (x << 30) >> whole;  // in [1, 2)
  int64_t result = int64_t{whole} << 32;
  for (int bit = 31; bit >= 0; --bit) {
    mantissa_q30 = (mantissa_q30 * mantissa_q30) >> 30;
    if (mantissa_q30 >= (uint64_t{2} << 30)) {
      mantissa_q30 >>= 1;
      result += int64_t{1} << bit;
    }
  }
  return result;
}

std::vector<int64_t> Apportion(int64_t total, const std::vector<int64_t>& weights) {
  int64_t weight_sum = 0;
  for (int64_t w : weights) weight_sum += w;
  MKT_ASSERT(weight_sum > 0 && total <= std::numeric_limits<int64_t>::max() / weight_sum);
  std::vector<int64_t> parts(weights.size());
  std::vector<std::pair<int64_t, size_t>> remainders(weights.size());  // (-remainder, index)
  int64_t assigned = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    parts[i] = total * weights[i] / weight_sum;
    remainders[i] = {-(total * weights[i] % weight_sum), i};
    assigned += parts[i];
  }
  std::sort(remainders.begin(), remainders.end());
  for (int64_t k = 0; k < total - assigned; ++k) ++parts[remainders[static_cast<size_t>(k)].second];
  return parts;
}

}  // namespace mkt::gen::detail
