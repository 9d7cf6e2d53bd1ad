// Calendar (proleptic Gregorian, Howard Hinnant's algorithms).
#include <cstdint>
#include <stdexcept>
#include <string>

#include "ops/gen/gen_internal.h"

namespace mkt::gen::detail {

namespace {

int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day) {
  year -= month <= 2;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const auto year_of_era = static_cast<unsigned>(year - era * 400);
  const unsigned day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146'097 + static_cast<int64_t>(day_of_era) - 719'468;
}

}  // namespace

CivilDate CivilFromDays(int64_t days) {
  days += 719'468;
  const int64_t era = (days >= 0 ? days : days - 146'096) / 146'097;
  const auto day_of_era = static_cast<unsigned>(days - era * 146'097);
  const unsigned year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36'524 - day_of_era / 146'096) / 365;
  const unsigned day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const unsigned mp = (5 * day_of_year + 2) / 153;
  CivilDate date;
  date.day = day_of_year - (153 * mp + 2) / 5 + 1;
  date.month = mp < 10 ? mp + 3 : mp - 9;
  date.year = static_cast<int64_t>(year_of_era) + era * 400 + (date.month <= 2);
  return date;
}

int64_t ParseStartDate(const std::string& text) {
  const auto fail = [&] { throw std::invalid_argument("start_date: not a date: " + text); };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') fail();
  int64_t fields[3] = {0, 0, 0};
  const size_t begins[3] = {0, 5, 8};
  const size_t ends[3] = {4, 7, 10};
  for (int f = 0; f < 3; ++f) {
    for (size_t i = begins[f]; i < ends[f]; ++i) {
      if (text[i] < '0' || text[i] > '9') fail();
      fields[f] = fields[f] * 10 + (text[i] - '0');
    }
  }
  if (fields[0] < 1971 || fields[0] > 9989 || fields[1] < 1 || fields[1] > 12) fail();
  const int64_t days =
      DaysFromCivil(fields[0], static_cast<unsigned>(fields[1]), static_cast<unsigned>(fields[2]));
  const CivilDate back = CivilFromDays(days);
  if (back.month != fields[1] || back.day != fields[2]) fail();  // e.g. 2026-02-30
  return days;
}

int64_t MonthsLater(int64_t day, int months) {
  const CivilDate date = CivilFromDays(day);
  const int64_t month_index = date.year * 12 + (date.month - 1) + months;
  return DaysFromCivil(month_index / 12, static_cast<unsigned>(month_index % 12) + 1, 1);
}

}  // namespace mkt::gen::detail
