// Synthetic marketplace event stream for `ledger gen`: demos, tests and benchmarks.
//
// Generate() writes NDJSON events in the format of LEDGER.md section 3 (catalogue and order
// events: ProductListed, ResellerRateSet, ProductUpdated, ProductProfileUpdated, OrderPlaced,
// OrderPriceChanged, OrderPaid, OrderVoided). The stream is a pure function of GenOptions: the
// same options give byte-identical output on any machine, because every random draw comes from
// std::mt19937_64's raw output (fixed by the standard) and is shaped with integer arithmetic
// only (no std distributions, no libm).
//
// Contract of the valid stream (what the ledger must accept with zero rejections):
// - lines are sorted by `at` (ties in creation order), so every seller's and every order's
//   events are non-decreasing in time; an order's own events are strictly increasing;
// - the catalogue is listed (and reseller rates set, at most once per product) before
//   start_date; orders are placed in [start_date, end of the last month); their price
//   changes, payment or void follow within 3 days 1 hour (payments within 2 days 1 hour,
//   possibly after the last month), well before the 7-day unpaid expiry, so the ledger's
//   timers never race the stream;
// - event ids are `e-<seed>-<n>`, n counting valid events from 1.
//
// With invalid_rate > 0, each valid event is followed, with that probability, by one extra bad
// event of the same seller and the same `at`, chosen so that the ledger must reject it and its
// rejection cannot change how any later valid event is judged. Bad events use their own ids
// (`e-<seed>-x<n>`, except the deliberate event_id_conflict re-send) and their own random
// stream, so removing them leaves exactly the invalid_rate = 0 output.
//
// Memory is bounded by one hour of order placements plus the events scheduled after them
// (a few days of pending payments and voids), not by the length of the stream.
//
// Threading: Generate() keeps no global state; concurrent calls writing to different streams
// are safe.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>

namespace mkt::gen {

struct GenOptions {
  uint64_t seed = 1;
  int sellers = 10;
  int64_t orders = 10000;
  double invalid_rate = 0.0;              // fraction in [0,1] of extra bad events mixed in
  std::string start_date = "2026-10-01";  // first day, policy timezone +08:00
  int months = 1;                         // orders spread over this many calendar months
};

// `events` counts every line written, bad ones included; `invalid` counts the bad ones.
struct GenStats {
  int64_t events = 0;
  int64_t invalid = 0;
};

// Writes the stream to `out`. Returns counts. Orders fall in [start_date, first day of the
// month `months` calendar months after start_date's month), so a mid-month start_date makes
// the first month partial. Throws std::invalid_argument when an option is out of range:
// seed any; sellers 1..100000; orders 0..10^10; invalid_rate in [0,1]; start_date a real
// YYYY-MM-DD in 1971..9989; months 1..120. The caller checks `out` for write errors.
GenStats Generate(const GenOptions& options, std::ostream& out);

}  // namespace mkt::gen
