// Money: CNY in integer fen (1/100 yuan). Never a binary float.
//
// Every rounding in the ledger goes through MulDivRoundHalfUp; Fee and the
// proportional splits are defined on top of it (LEDGER.md section 1).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mkt {

// An amount in fen. Arithmetic is checked: overflow is a programmer error
// (inputs are bounded to 1e14 fen long before int64 runs out), so it aborts.
class Fen {
 public:
  constexpr Fen() = default;
  constexpr explicit Fen(int64_t fen) : fen_(fen) {}
  constexpr int64_t value() const { return fen_; }

  Fen operator+(Fen other) const;
  Fen operator-(Fen other) const;
  Fen operator-() const { return Fen(0) - *this; }
  Fen& operator+=(Fen other) { return *this = *this + other; }
  Fen& operator-=(Fen other) { return *this = *this - other; }
  constexpr auto operator<=>(const Fen&) const = default;

 private:
  int64_t fen_ = 0;
};

// Basis points: 10% = 1000.
using Bp = int32_t;
inline constexpr Bp kBpPerUnit = 10'000;

// round_half_up(amount * numerator / denominator), computed exactly in 128 bits.
// Half rounds away from zero; a negative amount is rounded on its absolute value
// and negated. denominator > 0, numerator >= 0.
Fen MulDivRoundHalfUp(Fen amount, int64_t numerator, int64_t denominator);

// fee(amount, bp) = floor((amount*bp + 5000) / 10000), sign-symmetric.
Fen Fee(Fen amount, Bp bp);

// Splits `total` into parts proportional to `weights` by largest remainder, so
// the parts sum to `total` exactly. Ties go to the earlier part. All weights >= 0,
// at least one > 0; total >= 0.
std::vector<Fen> SplitLargestRemainder(Fen total, std::span<const int64_t> weights);

// Parses a JSON money string: digits, optionally '.' and one or two digits.
// No sign, exponent, spaces, leading '+', empty parts or leading zeros ("007").
// Magnitude at most limits::kMoneyFenMax. Returns nullopt on any other form.
std::optional<Fen> ParseMoney(std::string_view text);

// "1800.00", "-0.05": always two decimals.
std::string FormatMoney(Fen amount);

}  // namespace mkt
