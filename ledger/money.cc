#include "ledger/money.h"

#include <algorithm>
#include <cstdlib>
#include <numeric>

#include "ledger/assert.h"
#include "ledger/limits.h"

namespace mkt {

// GCC and Clang provide 128-bit integers; products of two int64 values fit.
__extension__ using Int128 = __int128;

Fen Fen::operator+(Fen other) const {
  int64_t sum = 0;
  MKT_ASSERT(!__builtin_add_overflow(fen_, other.fen_, &sum), "fen overflow ", fen_, " + ",
             other.fen_);
  return Fen(sum);
}

Fen Fen::operator-(Fen other) const {
  int64_t diff = 0;
  MKT_ASSERT(!__builtin_sub_overflow(fen_, other.fen_, &diff), "fen overflow ", fen_, " - ",
             other.fen_);
  return Fen(diff);
}

Fen MulDivRoundHalfUp(Fen amount, int64_t numerator, int64_t denominator) {
  MKT_ASSERT(denominator > 0 && numerator >= 0, "bad ratio ", numerator, "/", denominator);
  const bool negative = amount.value() < 0;
  const Int128 magnitude = negative ? -static_cast<Int128>(amount.value()) : amount.value();
  const Int128 scaled = magnitude * numerator;
  const Int128 rounded = (scaled * 2 + denominator) / (static_cast<Int128>(denominator) * 2);
  MKT_ASSERT(rounded <= INT64_MAX, "rounded amount out of range");
  const auto result = static_cast<int64_t>(rounded);
  return Fen(negative ? -result : result);
}

Fen Fee(Fen amount, Bp bp) {
  MKT_ASSERT(bp >= 0 && bp <= kBpPerUnit, "fee rate out of range: ", bp);
  return MulDivRoundHalfUp(amount, bp, kBpPerUnit);
}

std::vector<Fen> SplitLargestRemainder(Fen total, std::span<const int64_t> weights) {
  MKT_ASSERT(total.value() >= 0, "split of negative total ", total.value());
  Int128 weight_sum = 0;
  for (int64_t w : weights) {
    MKT_ASSERT(w >= 0, "negative weight ", w);
    weight_sum += w;
  }
  MKT_ASSERT(weight_sum > 0, "split with zero weights");
  std::vector<Fen> parts(weights.size());
  std::vector<std::pair<Int128, size_t>> remainders;
  remainders.reserve(weights.size());
  int64_t assigned = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    const Int128 scaled = static_cast<Int128>(total.value()) * weights[i];
    parts[i] = Fen(static_cast<int64_t>(scaled / weight_sum));
    assigned += parts[i].value();
    remainders.emplace_back(scaled % weight_sum, i);
  }
  // Largest remainder first; ties to the earlier part, so the split is deterministic.
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  int64_t left = total.value() - assigned;
  MKT_ASSERT(left >= 0 && left <= static_cast<int64_t>(weights.size()), "split residue ", left);
  for (size_t k = 0; left > 0; ++k, --left) parts[remainders[k].second] += Fen(1);
  return parts;
}

std::optional<Fen> ParseMoney(std::string_view text) {
  const size_t dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view fraction =
      dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  if (whole.empty() || whole.size() > 13) return std::nullopt;
  if (whole.size() > 1 && whole[0] == '0') return std::nullopt;
  if (dot != std::string_view::npos && (fraction.empty() || fraction.size() > 2)) {
    return std::nullopt;
  }
  auto all_digits = [](std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (!all_digits(whole) || !all_digits(fraction)) return std::nullopt;
  int64_t fen = 0;
  for (char c : whole) fen = fen * 10 + (c - '0');
  fen *= 100;
  if (fraction.size() >= 1) fen += (fraction[0] - '0') * 10;
  if (fraction.size() == 2) fen += fraction[1] - '0';
  if (fen > limits::kMoneyFenMax) return std::nullopt;
  return Fen(fen);
}

std::string FormatMoney(Fen amount) {
  const int64_t v = amount.value();
  const uint64_t magnitude = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  std::string out = v < 0 ? "-" : "";
  out += std::to_string(magnitude / 100);
  out += '.';
  out += static_cast<char>('0' + magnitude % 100 / 10);
  out += static_cast<char>('0' + magnitude % 10);
  return out;
}

}  // namespace mkt
