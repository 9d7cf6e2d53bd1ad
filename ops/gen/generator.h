// Synthetic marketplace event stream for `ledger gen`: demos, tests and benchmarks.
//
// Generate() writes NDJSON events of every type of LEDGER.md section 3 that upstream sends:
// the catalogue (with delivery templates and daily product metrics), orders, coupon campaigns
// and their use, refunds, delivery steps, reviews and invoices. The stream is a pure function
// of GenOptions: the same options give byte-identical output on any machine, because every
// random draw comes from std::mt19937_64's raw output (fixed by the standard) and is shaped
// with integer arithmetic only (no std distributions, no libm).
//
// Contract of the valid stream (what the ledger must accept with zero rejections):
// - lines are sorted by `at` (ties in creation order), so every aggregate's events (seller,
//   order, coupon, refund, invoice) are non-decreasing in time; the events planned for one
//   order are strictly increasing (an invoice request that includes an earlier order of the
//   same buyer may share a second with that order's events);
// - the catalogue is listed (and reseller rates set, at most once per product; a seller's own
//   delivery template defined before the products that use it) before start_date; orders are
//   placed in [start_date, end of the last month); their price changes, coupon use, payment
//   or void follow within 3 days 2 hours, well before the 7-day unpaid expiry; coupon
//   campaigns issue and are usable within the period;
// - after payment, an order's events (delivery steps, refunds, review, invoice request) stop
//   before the first deadline the stream leaves to the ledger's timers: the default review
//   30 days after payment, a delivery node's timeout the buyer lets pass, the auto-approval
//   of a refund request the seller never answers. So after ingesting, `ledger tick` finds
//   every such deadline still due and its event in order. Invoice issues and rejections,
//   which are not events of the order, may come later;
// - event ids are `e-<seed>-<n>`, n counting valid events from 1.
//
// With invalid_rate > 0, each valid event is followed, with that probability, by one extra bad
// event of the same seller and the same `at`, chosen so that the ledger must reject it and its
// rejection cannot change how any later valid event is judged. Bad events use their own ids
// (`e-<seed>-x<n>`, except the deliberate event_id_conflict re-send) and their own random
// stream, so removing them leaves exactly the invalid_rate = 0 output.
//
// Memory is bounded by one hour of order placements plus the events scheduled after them
// (mostly days, at most about six weeks of after-sale life of recent orders), the coupon
// campaigns still usable, and one day of product metrics; not by the length of the stream.
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
