// LEDGER.md section 1: money is integer fen, JSON money is a decimal string,
// fee() rounds half up on the absolute value, splits use largest remainder.
#include "ledger/money.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cstdint>
#include <numeric>
#include <vector>

#include "ledger/limits.h"

namespace mkt {
namespace {

std::vector<int64_t> Values(const std::vector<Fen>& parts) {
  std::vector<int64_t> out;
  for (Fen f : parts) out.push_back(f.value());
  return out;
}

TEST(Money, FeeOfTencentWorkedExampleIs200Yuan) {
  EXPECT_EQ(Fee(Fen(200000), 1000), Fen(20000));  // 2000.00 at 10% = 200.00
  EXPECT_EQ(Fee(Fen(200000), 2000), Fen(40000));  // reseller 20% = 400.00
}

TEST(Money, FeeRoundsHalfUpAtExactlyHalfAFen) {
  EXPECT_EQ(Fee(Fen(5), 1000), Fen(1));   // 0.5 fen -> 1
  EXPECT_EQ(Fee(Fen(4), 1000), Fen(0));   // 0.4 fen -> 0
  EXPECT_EQ(Fee(Fen(15), 1000), Fen(2));  // 1.5 fen -> 2
  EXPECT_EQ(Fee(Fen(14), 1000), Fen(1));  // 1.4 fen -> 1
  EXPECT_EQ(Fee(Fen(1), 5000), Fen(1));   // 0.5 fen -> 1
  EXPECT_EQ(Fee(Fen(1), 4999), Fen(0));
}

TEST(Money, FeeRoundsHalfUpOnAbsoluteValue) {
  EXPECT_EQ(Fee(Fen(-5), 1000), Fen(-1));
  EXPECT_EQ(Fee(Fen(-4), 1000), Fen(0));
  EXPECT_EQ(Fee(Fen(-15), 1000), Fen(-2));
  EXPECT_EQ(Fee(Fen(-200000), 1000), Fen(-20000));
}

TEST(Money, FeeAtZeroAndFullRate) {
  EXPECT_EQ(Fee(Fen(12345), 0), Fen(0));
  EXPECT_EQ(Fee(Fen(12345), 10000), Fen(12345));
  EXPECT_EQ(Fee(Fen(0), 1000), Fen(0));
}

TEST(Money, MulDivRoundHalfUpRoundsHalfAwayFromZero) {
  EXPECT_EQ(MulDivRoundHalfUp(Fen(10), 1, 4), Fen(3));    // 2.5 -> 3
  EXPECT_EQ(MulDivRoundHalfUp(Fen(-10), 1, 4), Fen(-3));  // -2.5 -> -3
  EXPECT_EQ(MulDivRoundHalfUp(Fen(10), 1, 3), Fen(3));    // 3.33 -> 3
  EXPECT_EQ(MulDivRoundHalfUp(Fen(20), 1, 3), Fen(7));    // 6.67 -> 7
  EXPECT_EQ(MulDivRoundHalfUp(Fen(7), 3, 3), Fen(7));
}

TEST(Money, MulDivRoundHalfUpIsExactBeyond64Bits) {
  // 1e14 * 999'999'999 overflows int64; the 128-bit product must not.
  EXPECT_EQ(MulDivRoundHalfUp(Fen(limits::kMoneyFenMax), 999'999'999, 1'000'000'000),
            Fen(99'999'999'900'000));
  EXPECT_EQ(MulDivRoundHalfUp(Fen(limits::kMoneyFenMax), 1, 3), Fen(33'333'333'333'333));
}

TEST(Money, SplitLargestRemainderSumsExactlyAndTiesGoToEarlierPart) {
  const std::vector<int64_t> thirds{1, 1, 1};
  EXPECT_EQ(Values(SplitLargestRemainder(Fen(100), thirds)), (std::vector<int64_t>{34, 33, 33}));
  EXPECT_EQ(Values(SplitLargestRemainder(Fen(101), thirds)), (std::vector<int64_t>{34, 34, 33}));
  const std::vector<int64_t> halves{1, 1};
  EXPECT_EQ(Values(SplitLargestRemainder(Fen(1), halves)), (std::vector<int64_t>{1, 0}));
}

TEST(Money, SplitLargestRemainderGivesResidueToLargestRemainder) {
  const std::vector<int64_t> one_two{1, 2};
  EXPECT_EQ(Values(SplitLargestRemainder(Fen(10), one_two)), (std::vector<int64_t>{3, 7}));
  const std::vector<int64_t> zero_weight{0, 3, 1};
  EXPECT_EQ(Values(SplitLargestRemainder(Fen(5), zero_weight)), (std::vector<int64_t>{0, 4, 1}));
}

TEST(Money, ParseMoneyAcceptsDecimalStrings) {
  EXPECT_EQ(ParseMoney("0"), Fen(0));
  EXPECT_EQ(ParseMoney("0.1"), Fen(10));
  EXPECT_EQ(ParseMoney("0.10"), Fen(10));
  EXPECT_EQ(ParseMoney("0.05"), Fen(5));
  EXPECT_EQ(ParseMoney("1800.00"), Fen(180000));
  EXPECT_EQ(ParseMoney("1800"), Fen(180000));
  EXPECT_EQ(ParseMoney("1000000000000.00"), Fen(limits::kMoneyFenMax));  // 1e12 yuan, the max
  EXPECT_EQ(ParseMoney("1000000000000"), Fen(limits::kMoneyFenMax));
}

void ExpectAllRejected(std::initializer_list<const char*> texts) {
  for (const char* text : texts) {
    EXPECT_EQ(ParseMoney(text), std::nullopt) << "\"" << text << "\"";
  }
}

TEST(Money, ParseMoneyRejectsEmptyPartsAndSigns) {
  ExpectAllRejected({"", ".", ".5", "5.", "5..0", "5.0.0", "+5", "-5", "-0"});
}

TEST(Money, ParseMoneyRejectsExponentsAndNonNumbers) {
  ExpectAllRejected({"1e3", "1E3", "NaN", "nan", "Infinity", "inf", "0x10", "5yuan"});
  EXPECT_EQ(ParseMoney("\xEF\xBC\x91"), std::nullopt);  // full-width digit 1
  EXPECT_EQ(ParseMoney("٥"), std::nullopt);             // Arabic-Indic digit 5
}

TEST(Money, ParseMoneyRejectsSpacesAndSeparators) {
  ExpectAllRejected({" 5", "5 ", "1 000", "1,000", "5\n", "\t5"});
  EXPECT_EQ(ParseMoney(std::string_view("5\0", 2)), std::nullopt);
}

TEST(Money, ParseMoneyRejectsLeadingZeros) { ExpectAllRejected({"007", "00.5", "00", "01.00"}); }

TEST(Money, ParseMoneyRejectsMoreThanTwoDecimals) {
  ExpectAllRejected({"1.005", "1.000", "0.001"});
}

TEST(Money, ParseMoneyRejectsMoreThan1e12Yuan) {
  ExpectAllRejected({"1000000000000.01", "1000000000001", "99999999999999", "9223372036854775807"});
}

TEST(Money, FormatMoneyAlwaysShowsTwoDecimals) {
  EXPECT_EQ(FormatMoney(Fen(180000)), "1800.00");
  EXPECT_EQ(FormatMoney(Fen(10)), "0.10");
  EXPECT_EQ(FormatMoney(Fen(0)), "0.00");
  EXPECT_EQ(FormatMoney(Fen(-5)), "-0.05");
  EXPECT_EQ(FormatMoney(Fen(-123456)), "-1234.56");
  EXPECT_EQ(FormatMoney(Fen(limits::kMoneyFenMax)), "1000000000000.00");
}

TEST(Money, FenArithmeticIsExact) {
  EXPECT_EQ(Fen(180000) - Fen(20000), Fen(160000));
  EXPECT_EQ(-Fen(5), Fen(-5));
  Fen total;
  total += Fen(7);
  total -= Fen(10);
  EXPECT_EQ(total, Fen(-3));
}

RC_GTEST_PROP(Money, FormatThenParseRoundTrips, ()) {
  const int64_t fen = *rc::gen::inRange<int64_t>(0, limits::kMoneyFenMax + 1);
  const auto parsed = ParseMoney(FormatMoney(Fen(fen)));
  RC_ASSERT(parsed.has_value());
  RC_ASSERT(parsed->value() == fen);
}

RC_GTEST_PROP(Money, SplitSumsToTotalAndEachPartIsWithinOneFenOfItsShare, ()) {
  const int64_t total = *rc::gen::inRange<int64_t>(0, limits::kMoneyFenMax + 1);
  auto weights = *rc::gen::nonEmpty(
      rc::gen::container<std::vector<int64_t>>(rc::gen::inRange<int64_t>(0, 1'000'000'000)));
  weights.push_back(*rc::gen::inRange<int64_t>(1, 1'000'000'000));  // at least one > 0
  const std::vector<Fen> parts = SplitLargestRemainder(Fen(total), weights);
  RC_ASSERT(parts.size() == weights.size());
  __extension__ using Int128 = __int128;
  const Int128 weight_sum = std::accumulate(weights.begin(), weights.end(), Int128{0});
  int64_t sum = 0;
  for (size_t i = 0; i < parts.size(); ++i) {
    sum += parts[i].value();
    // |part - total*w/W| < 1  <=>  |part*W - total*w| < W
    Int128 diff = static_cast<Int128>(parts[i].value()) * weight_sum -
                  static_cast<Int128>(total) * weights[i];
    if (diff < 0) diff = -diff;
    RC_ASSERT(diff < weight_sum);
  }
  RC_ASSERT(sum == total);
}

RC_GTEST_PROP(Money, FeeIsAtMostTheAmountAndSignSymmetric, ()) {
  const int64_t amount = *rc::gen::inRange<int64_t>(0, limits::kMoneyFenMax + 1);
  const Bp bp = *rc::gen::inRange<Bp>(0, kBpPerUnit + 1);
  const Fen fee = Fee(Fen(amount), bp);
  RC_ASSERT(fee.value() >= 0);
  RC_ASSERT(fee.value() <= amount);
  RC_ASSERT(Fee(Fen(-amount), bp) == -fee);
}

RC_GTEST_PROP(Money, FeeMatchesTheSpecFormula, ()) {
  // fee(amount, bp) = floor((amount*bp + 5000) / 10000), for amounts where the
  // product fits in int64 so the formula can be evaluated directly.
  const int64_t amount = *rc::gen::inRange<int64_t>(0, 100'000'000'000'000);
  const Bp bp = *rc::gen::inRange<Bp>(0, kBpPerUnit + 1);
  __extension__ using Int128 = __int128;
  const Int128 expected = (static_cast<Int128>(amount) * bp + 5000) / 10000;
  RC_ASSERT(static_cast<Int128>(Fee(Fen(amount), bp).value()) == expected);
}

}  // namespace
}  // namespace mkt
