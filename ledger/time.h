// Time: stored as UTC microseconds since the Unix epoch; shown as RFC 3339 in
// the policy timezone (a fixed offset, no DST). Calendar logic (days, months)
// uses that offset.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mkt {

using Micros = int64_t;  // UTC microseconds since 1970-01-01T00:00:00Z
inline constexpr Micros kMicrosPerSecond = 1'000'000;
inline constexpr Micros kMicrosPerDay = 86'400 * kMicrosPerSecond;

// A fixed UTC offset in minutes, e.g. +08:00 = 480.
struct TzOffset {
  int32_t minutes = 480;
  Micros micros() const { return static_cast<Micros>(minutes) * 60 * kMicrosPerSecond; }
};

// "YYYY-MM-DDTHH:MM:SS[.f{1,6}](Z|+HH:MM|-HH:MM)". 'T' and 'Z' are upper case.
// Years 1970..9999. Leap seconds and "-00:00" are refused. nullopt on any other form.
std::optional<Micros> ParseRfc3339(std::string_view text);

// "+08:00", "-05:30", "Z" (as "+00:00"). nullopt otherwise.
std::optional<TzOffset> ParseOffset(std::string_view text);

// RFC 3339 in `tz`, seconds precision unless there are fractional microseconds.
std::string FormatRfc3339(Micros at, TzOffset tz);

// Days since 1970-01-01 of a civil date "YYYY-MM-DD".
std::optional<int32_t> ParseDate(std::string_view text);
std::string FormatDate(int32_t day);
// "YYYY-MM" as YYYYMM.
std::optional<int32_t> ParsePeriod(std::string_view text);
std::string FormatPeriod(int32_t period);

// The calendar day (days since epoch) and month (YYYYMM) of an instant in `tz`.
int32_t LocalDay(Micros at, TzOffset tz);
int32_t LocalPeriod(Micros at, TzOffset tz);
// The first instant of a local day / of a period's first day, in `tz`.
Micros StartOfLocalDay(int32_t day, TzOffset tz);
Micros StartOfPeriod(int32_t period, TzOffset tz);
int32_t NextPeriod(int32_t period);

// Days since epoch <-> civil date (proleptic Gregorian).
int32_t DaysFromCivil(int32_t year, uint32_t month, uint32_t day);
void CivilFromDays(int32_t days, int32_t* year, uint32_t* month, uint32_t* day);

}  // namespace mkt
