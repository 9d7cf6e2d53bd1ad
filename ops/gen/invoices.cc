// Invoices (LEDGER.md section 6): about a fifth of the paid orders with a cash part get an
// invoice request, usually for everything invoiceable (cash paid - cash refunded); some
// include an earlier paid order of the same buyer (合并开票). Most are issued within the
// ten-working-day SLA, a few rejected.
//
// An order included in another order's invoice request gets one more event, so it must still
// be the stream's (before its horizon) and nothing else may change what it can invoice: only
// orders without refunds and without an invoice of their own are offered for inclusion.
#include <algorithm>
#include <cstdint>

#include "ops/gen/flow_words.h"
#include "ops/gen/gen_internal.h"

namespace mkt::gen::detail {

namespace {

constexpr uint64_t kInvoicePerMille = 200;
constexpr uint64_t kCombinePerMille = 600;  // when the buyer has an earlier order to include
constexpr uint64_t kPartialPerMille = 120;
constexpr uint64_t kSpecialPerMille = 300;  // of company buyers: special (VAT) invoices
constexpr uint64_t kIssuedPerMille = 920;

uint64_t CandidateKey(const Event& order) {
  return static_cast<uint64_t>(order.seller) << 32 | static_cast<uint32_t>(order.buyer);
}

}  // namespace

// Requested soon after payment, or once the buyer's accounts department gets to it.
void Generator::StartInvoice(AfterSales* run) {
  if (!kGenerateInvoices || run->cash == 0 || !rng_.PerMille(kInvoicePerMille)) return;
  const uint64_t r = rng_.Below(100);
  int64_t delay = rng_.Between(kSecondsPerHour, 2 * kSecondsPerDay);
  if (r >= 40) delay = rng_.Between(2 * kSecondsPerDay, 10 * kSecondsPerDay);
  if (r >= 80) delay = rng_.Between(10 * kSecondsPerDay, 25 * kSecondsPerDay);
  run->invoice_at = run->paid_at + delay;
}

// Codes of InvoiceRequested: type normal|special. The issue or rejection is not an event of
// the order, so it is scheduled right away, whatever the order's horizon.
void Generator::RequestInvoice(AfterSales* run) {
  const int64_t at = run->invoice_at;
  run->invoice_at = kNever;
  const int64_t invoiceable = run->cash - run->refund.refunded_cash;
  if (invoiceable <= 0) return;
  run->invoiced = true;
  Event e = AfterSalesEvent(Type::kInvoiceRequested, *run, at);
  e.amount_fen = invoiceable;
  const auto candidate = invoice_candidates_.find(CandidateKey(run->order));
  if (candidate != invoice_candidates_.end() && candidate->second.paid_at < at &&
      at < candidate->second.horizon && rng_.PerMille(kCombinePerMille)) {
    e.voucher_fen = candidate->second.order_no;
    e.amount_fen += candidate->second.cash;
    invoice_candidates_.erase(candidate);
  } else if (rng_.PerMille(kPartialPerMille)) {
    e.amount_fen = std::max<int64_t>(1, invoiceable * rng_.Between(50, 90) / 100);
  }
  const bool company = run->order.buyer % 3 != 0;  // see InvoiceTitle in format_flows.cc
  e.detail = PackCodes({company && rng_.PerMille(kSpecialPerMille) ? 1 : 0});
  Push(e);
  Event decided = AfterSalesEvent(Type::kInvoiceIssued, *run, at);
  if (rng_.PerMille(kIssuedPerMille)) {
    decided.at_s += rng_.Between(4 * kSecondsPerHour, 12 * kSecondsPerDay);
    decided.detail = PackCodes({static_cast<int>(rng_.Below(kCarriers.size()))});
    decided.amount_fen = rng_.Between(100'000'000'000, 999'999'999'999);  // tracking number
    decided.voucher_fen = rng_.Between(10'000'000, 99'999'999);           // invoice number
  } else {
    decided.type = Type::kInvoiceRejected;
    decided.at_s += rng_.Between(kSecondsPerHour, 3 * kSecondsPerDay);
    decided.detail = PackCodes({static_cast<int>(rng_.Below(kInvoiceRejectReasons.size()))});
  }
  Push(decided);
}

// The order may be included in a later request of the same buyer while it is the stream's.
void Generator::OfferForCombinedInvoice(const AfterSales& run) {
  if (!kGenerateInvoices || run.invoiced || run.refund.number > 0 || run.cash == 0) return;
  invoice_candidates_[CandidateKey(run.order)] =
      InvoiceCandidate{run.order.order_no, run.cash, run.paid_at, run.horizon};
}

// Candidates past their horizon are dropped once the pool has doubled since the last sweep,
// so each candidate is swept a few times at most and the pool stays within twice the orders of
// the last month or so.
void Generator::PruneInvoicePool(int64_t now_s) {
  if (invoice_candidates_.size() < 2 * invoice_candidates_kept_ + 1024) return;
  std::erase_if(invoice_candidates_,
                [now_s](const auto& entry) { return entry.second.horizon <= now_s; });
  invoice_candidates_kept_ = invoice_candidates_.size();
}

}  // namespace mkt::gen::detail
