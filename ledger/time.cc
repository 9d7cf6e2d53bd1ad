#include "ledger/time.h"

#include <chrono>
#include <cstdio>

namespace mkt {
namespace {

bool Digits(std::string_view s, size_t pos, size_t count, int* value) {
  if (pos + count > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *value = v;
  return true;
}

bool ValidCivil(int year, int month, int day) {
  if (year < 1969 || year > 9999 || month < 1 || month > 12 || day < 1) return false;
  const std::chrono::year_month_day ymd{std::chrono::year{year},
                                        std::chrono::month{static_cast<unsigned>(month)},
                                        std::chrono::day{static_cast<unsigned>(day)}};
  return ymd.ok();
}

}  // namespace

int32_t DaysFromCivil(int32_t year, uint32_t month, uint32_t day) {
  const std::chrono::sys_days days{std::chrono::year{year} / std::chrono::month{month} /
                                   std::chrono::day{day}};
  return static_cast<int32_t>(days.time_since_epoch().count());
}

void CivilFromDays(int32_t days, int32_t* year, uint32_t* month, uint32_t* day) {
  const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{days}}};
  *year = static_cast<int32_t>(ymd.year());
  *month = static_cast<unsigned>(ymd.month());
  *day = static_cast<unsigned>(ymd.day());
}

std::optional<TzOffset> ParseOffset(std::string_view s) {
  if (s == "Z") return TzOffset{0};
  int hours = 0;
  int minutes = 0;
  if (s.size() != 6 || (s[0] != '+' && s[0] != '-') || s[3] != ':') return std::nullopt;
  if (!Digits(s, 1, 2, &hours) || !Digits(s, 4, 2, &minutes)) return std::nullopt;
  if (hours > 23 || minutes > 59) return std::nullopt;
  if (s[0] == '-' && hours == 0 && minutes == 0) return std::nullopt;  // "-00:00": unknown
  const int total = hours * 60 + minutes;
  return TzOffset{s[0] == '-' ? -total : total};
}

std::optional<Micros> ParseRfc3339(std::string_view s) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (s.size() < 20) return std::nullopt;
  if (!Digits(s, 0, 4, &year) || s[4] != '-' || !Digits(s, 5, 2, &month) || s[7] != '-' ||
      !Digits(s, 8, 2, &day) || s[10] != 'T' || !Digits(s, 11, 2, &hour) || s[13] != ':' ||
      !Digits(s, 14, 2, &minute) || s[16] != ':' || !Digits(s, 17, 2, &second)) {
    return std::nullopt;
  }
  if (!ValidCivil(year, month, day) || hour > 23 || minute > 59 || second > 59) {
    return std::nullopt;
  }
  size_t pos = 19;
  Micros fraction = 0;
  if (s[pos] == '.') {
    size_t digits = 0;
    ++pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (++digits > 6) return std::nullopt;  // below a microsecond would be lost
      fraction = fraction * 10 + (s[pos] - '0');
      ++pos;
    }
    if (digits == 0) return std::nullopt;
    for (size_t i = digits; i < 6; ++i) fraction *= 10;
  }
  const auto offset = ParseOffset(s.substr(pos));
  if (!offset) return std::nullopt;
  const Micros local = static_cast<Micros>(DaysFromCivil(year, month, day)) * kMicrosPerDay +
                       (static_cast<Micros>(hour) * 3600 + minute * 60 + second) *
                           kMicrosPerSecond +
                       fraction;
  const Micros utc = local - offset->micros();
  if (utc < 0) return std::nullopt;
  return utc;
}

std::string FormatRfc3339(Micros at, TzOffset tz) {
  const Micros local = at + tz.micros();
  Micros day = local / kMicrosPerDay;
  Micros rest = local % kMicrosPerDay;
  if (rest < 0) {
    rest += kMicrosPerDay;
    --day;
  }
  int32_t year = 0;
  uint32_t month = 0, dom = 0;
  CivilFromDays(static_cast<int32_t>(day), &year, &month, &dom);
  const Micros seconds = rest / kMicrosPerSecond;
  const Micros fraction = rest % kMicrosPerSecond;
  const int offset_abs = tz.minutes < 0 ? -tz.minutes : tz.minutes;
  char buf[64];
  int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02lld:%02lld:%02lld", year, month, dom,
                        static_cast<long long>(seconds / 3600),
                        static_cast<long long>(seconds / 60 % 60),
                        static_cast<long long>(seconds % 60));
  if (fraction != 0) {
    n += std::snprintf(buf + n, sizeof buf - n, ".%06lld", static_cast<long long>(fraction));
  }
  std::snprintf(buf + n, sizeof buf - n, "%c%02d:%02d", tz.minutes < 0 ? '-' : '+',
                offset_abs / 60, offset_abs % 60);
  return buf;
}

std::optional<int32_t> ParseDate(std::string_view s) {
  int year = 0, month = 0, day = 0;
  if (s.size() != 10 || !Digits(s, 0, 4, &year) || s[4] != '-' || !Digits(s, 5, 2, &month) ||
      s[7] != '-' || !Digits(s, 8, 2, &day) || !ValidCivil(year, month, day)) {
    return std::nullopt;
  }
  return DaysFromCivil(year, month, day);
}

std::string FormatDate(int32_t days) {
  int32_t year = 0;
  uint32_t month = 0, day = 0;
  CivilFromDays(days, &year, &month, &day);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", year, month, day);
  return buf;
}

std::optional<int32_t> ParsePeriod(std::string_view s) {
  int year = 0, month = 0;
  if (s.size() != 7 || !Digits(s, 0, 4, &year) || s[4] != '-' || !Digits(s, 5, 2, &month) ||
      !ValidCivil(year, month, 1)) {
    return std::nullopt;
  }
  return year * 100 + month;
}

std::string FormatPeriod(int32_t period) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", period / 100, period % 100);
  return buf;
}

int32_t LocalDay(Micros at, TzOffset tz) {
  const Micros local = at + tz.micros();
  Micros day = local / kMicrosPerDay;
  if (local % kMicrosPerDay < 0) --day;
  return static_cast<int32_t>(day);
}

int32_t LocalPeriod(Micros at, TzOffset tz) {
  int32_t year = 0;
  uint32_t month = 0, day = 0;
  CivilFromDays(LocalDay(at, tz), &year, &month, &day);
  return year * 100 + static_cast<int32_t>(month);
}

Micros StartOfLocalDay(int32_t day, TzOffset tz) {
  return static_cast<Micros>(day) * kMicrosPerDay - tz.micros();
}

Micros StartOfPeriod(int32_t period, TzOffset tz) {
  return StartOfLocalDay(DaysFromCivil(period / 100, period % 100, 1), tz);
}

int32_t NextPeriod(int32_t period) {
  return period % 100 == 12 ? (period / 100 + 1) * 100 + 1 : period + 1;
}

}  // namespace mkt
