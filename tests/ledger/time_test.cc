// LEDGER.md section 1: JSON timestamps are RFC 3339 with an offset, stored as
// UTC microseconds; calendar logic uses policy.timezone (default +08:00).
#include "ledger/time.h"

#include <gtest/gtest.h>

#include <string>

namespace mkt {
namespace {

constexpr TzOffset kBeijing{480};
// 2026-10-03T02:00:00Z in microseconds since the epoch.
constexpr Micros k20261003T0200Z = 1'790'992'800'000'000;
constexpr int32_t kDay20260930 = 20726;
constexpr int32_t kDay20261001 = 20727;

Micros At(const char* text) {
  const auto at = ParseRfc3339(text);
  EXPECT_TRUE(at.has_value()) << text;
  return at.value_or(-1);
}

TEST(Time, Rfc3339WithZuluOrOffsetIsUtcMicros) {
  EXPECT_EQ(ParseRfc3339("2026-10-03T02:00:00Z"), k20261003T0200Z);
  EXPECT_EQ(ParseRfc3339("2026-10-03T10:00:00+08:00"), k20261003T0200Z);
  EXPECT_EQ(ParseRfc3339("2026-10-02T20:30:00-05:30"), k20261003T0200Z);
  EXPECT_EQ(ParseRfc3339("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseRfc3339("1970-01-01T08:00:00+08:00"), 0);
}

TEST(Time, Rfc3339FractionalSecondsOneToSixDigits) {
  EXPECT_EQ(ParseRfc3339("2026-10-03T02:00:00.1Z"), k20261003T0200Z + 100'000);
  EXPECT_EQ(ParseRfc3339("2026-10-03T02:00:00.12Z"), k20261003T0200Z + 120'000);
  EXPECT_EQ(ParseRfc3339("2026-10-03T02:00:00.123Z"), k20261003T0200Z + 123'000);
  EXPECT_EQ(ParseRfc3339("2026-10-03T10:00:00.123456+08:00"), k20261003T0200Z + 123'456);
  EXPECT_EQ(ParseRfc3339("2026-10-03T02:00:00.000001Z"), k20261003T0200Z + 1);
}

TEST(Time, Rfc3339AcceptsLeapDayOfLeapYear) {
  EXPECT_TRUE(ParseRfc3339("2024-02-29T12:00:00+08:00").has_value());
  EXPECT_TRUE(ParseRfc3339("2000-02-29T12:00:00Z").has_value());
}

TEST(Time, Rfc3339RejectsEveryOtherForm) {
  for (const char* text : {
           "2026-10-03T10:00:00",           // no offset
           "2026-10-03 10:00:00+08:00",     // space instead of T
           "2026-10-03t10:00:00+08:00",     // lowercase t
           "2026-10-03T10:00:00z",          // lowercase z
           "2026-10-03T10:00:00-00:00",     // unknown local offset
           "2026-10-03T24:00:00+08:00",     // hour 24
           "2026-12-31T23:59:60Z",          // leap second
           "2026-10-03T10:60:00Z",          // minute 60
           "2026-02-30T10:00:00Z",          // Feb 30
           "2025-02-29T10:00:00Z",          // 2025 is not a leap year
           "2100-02-29T10:00:00Z",          // 2100 is not a leap year
           "2026-13-01T10:00:00Z",          // month 13
           "2026-00-01T10:00:00Z",          // month 0
           "2026-10-00T10:00:00Z",          // day 0
           "2026-10-03T10:00:00.1234567Z",  // 7 fractional digits
           "2026-10-03T10:00:00.Z",         // empty fraction
           "0999-10-03T10:00:00Z",          // year before 1970
           "2026-10-03T10:00:00Zjunk",      // trailing junk
           "2026-10-03T10:00:00+08:00 ",    // trailing space
           " 2026-10-03T10:00:00+08:00",    // leading space
           "2026-10-03T10:00:00+0800",      // offset without colon
           "2026-10-03T10:00:00+08",        // offset without minutes
           "2026-10-03T10:00:00+24:00",     // offset hour out of range
           "2026-10-03T10:00+08:00",        // no seconds
           "2026-10-3T10:00:00+08:00",      // one-digit day
           "26-10-03T10:00:00+08:00",       // two-digit year
           "2026-10-03",                    // a date
           "",
       }) {
    EXPECT_EQ(ParseRfc3339(text), std::nullopt) << "\"" << text << "\"";
  }
}

TEST(Time, SameInstantFromDifferentOffsetsIsEqual) {
  EXPECT_EQ(At("2026-10-01T00:00:00+08:00"), At("2026-09-30T16:00:00Z"));
  EXPECT_EQ(At("2026-10-01T00:00:00+08:00"), At("2026-09-30T11:00:00-05:00"));
  EXPECT_EQ(At("2026-01-01T05:29:59.5+05:30"), At("2025-12-31T23:59:59.500000Z"));
}

TEST(Time, FormatRfc3339ShowsThePolicyOffset) {
  EXPECT_EQ(FormatRfc3339(k20261003T0200Z, kBeijing), "2026-10-03T10:00:00+08:00");
  EXPECT_EQ(FormatRfc3339(k20261003T0200Z, TzOffset{0}), "2026-10-03T02:00:00+00:00");
  EXPECT_EQ(FormatRfc3339(k20261003T0200Z, TzOffset{-330}), "2026-10-02T20:30:00-05:30");
  EXPECT_EQ(FormatRfc3339(k20261003T0200Z + 500'000, kBeijing), "2026-10-03T10:00:00.500000+08:00");
}

TEST(Time, FormatThenParseRoundTrips) {
  for (Micros at : {Micros{0}, k20261003T0200Z, k20261003T0200Z + 1, At("2026-12-31T23:59:59Z")}) {
    for (TzOffset tz : {kBeijing, TzOffset{0}, TzOffset{-330}, TzOffset{840}}) {
      EXPECT_EQ(ParseRfc3339(FormatRfc3339(at, tz)), at) << FormatRfc3339(at, tz);
    }
  }
}

TEST(Time, ParseOffsetAcceptsZuluAndSignedHoursMinutes) {
  EXPECT_EQ(ParseOffset("+08:00")->minutes, 480);
  EXPECT_EQ(ParseOffset("-05:30")->minutes, -330);
  EXPECT_EQ(ParseOffset("Z")->minutes, 0);
  EXPECT_EQ(ParseOffset("+00:00")->minutes, 0);
  for (const char* text : {"-00:00", "08:00", "+8:00", "+0800", "+24:00", "+08:60", "z", ""}) {
    EXPECT_FALSE(ParseOffset(text).has_value()) << text;
  }
}

TEST(Time, LocalPeriodChangesAtLocalMidnightNotUtcMidnight) {
  EXPECT_EQ(LocalPeriod(At("2026-09-30T23:59:59+08:00"), kBeijing), 202609);
  EXPECT_EQ(LocalPeriod(At("2026-09-30T23:59:59.999999+08:00"), kBeijing), 202609);
  EXPECT_EQ(LocalPeriod(At("2026-10-01T00:00:00+08:00"), kBeijing), 202610);
  // 16:00Z on the 30th is already October in Beijing.
  EXPECT_EQ(LocalPeriod(At("2026-09-30T16:00:00Z"), kBeijing), 202610);
  EXPECT_EQ(LocalPeriod(At("2026-09-30T15:59:59Z"), kBeijing), 202609);
  EXPECT_EQ(LocalPeriod(At("2026-09-30T16:00:00Z"), TzOffset{0}), 202609);
  EXPECT_EQ(LocalPeriod(At("2026-12-31T16:00:00Z"), kBeijing), 202701);
}

TEST(Time, LocalDayChangesAtLocalMidnight) {
  EXPECT_EQ(LocalDay(At("2026-09-30T23:59:59+08:00"), kBeijing), kDay20260930);
  EXPECT_EQ(LocalDay(At("2026-10-01T00:00:00+08:00"), kBeijing), kDay20261001);
  EXPECT_EQ(LocalDay(At("2026-09-30T16:00:00Z"), kBeijing), kDay20261001);
  EXPECT_EQ(LocalDay(At("2026-10-01T00:00:00-05:00"), TzOffset{-300}), kDay20261001);
  EXPECT_EQ(LocalDay(At("2026-09-30T23:59:59-05:00"), TzOffset{-300}), kDay20260930);
}

TEST(Time, StartOfLocalDayAndPeriodAreLocalMidnight) {
  EXPECT_EQ(StartOfLocalDay(kDay20261001, kBeijing), At("2026-10-01T00:00:00+08:00"));
  EXPECT_EQ(StartOfPeriod(202610, kBeijing), At("2026-09-30T16:00:00Z"));
  EXPECT_EQ(NextPeriod(202609), 202610);
  EXPECT_EQ(NextPeriod(202612), 202701);
}

TEST(Time, ParseDateValidAndInvalid) {
  EXPECT_EQ(ParseDate("1970-01-01"), 0);
  EXPECT_EQ(ParseDate("2026-10-01"), kDay20261001);
  EXPECT_EQ(ParseDate("2026-09-30"), kDay20260930);
  EXPECT_TRUE(ParseDate("2024-02-29").has_value());
  for (const char* text :
       {"2025-02-29", "2026-02-30", "2026-13-01", "2026-00-01", "2026-10-00", "2026-1-01",
        "2026-10-1", "2026/10/01", "2026-10-01T", " 2026-10-01", "20261001", "0999-01-01", ""}) {
    EXPECT_EQ(ParseDate(text), std::nullopt) << text;
  }
  EXPECT_EQ(FormatDate(kDay20261001), "2026-10-01");
}

TEST(Time, ParsePeriodValidAndInvalid) {
  EXPECT_EQ(ParsePeriod("2026-10"), 202610);
  EXPECT_EQ(ParsePeriod("2026-01"), 202601);
  EXPECT_EQ(ParsePeriod("2026-12"), 202612);
  for (const char* text :
       {"2026-13", "2026-00", "2026-1", "202610", "2026-10-01", "2026/10", " 2026-10", ""}) {
    EXPECT_EQ(ParsePeriod(text), std::nullopt) << text;
  }
  EXPECT_EQ(FormatPeriod(202610), "2026-10");
}

}  // namespace
}  // namespace mkt
