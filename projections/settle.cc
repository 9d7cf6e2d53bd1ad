#include "projections/settle.h"

namespace mkt {
namespace {

DecodedEvent CloseEvent(std::string_view seller_id, int32_t period, Micros at,
                        const fb::StatementT& closing, const Hash& head_hash) {
  flatbuffers::FlatBufferBuilder b(512);
  const fb::SettlementFigures& t = *closing.totals;
  const std::vector<uint8_t> head(head_hash.begin(), head_hash.end());
  const auto body = fb::CreateSettlementClosedDirect(
      b, period, t.gross(), t.voucher(), t.platform_fee(), t.reseller_commission(), t.seller_net(),
      closing.carried_in, closing.payable, closing.carried_out, closing.voucher_invoice_due,
      closing.payout_held, closing.payout_releasable, &head);
  // Deterministic: a second close of the same statement is the same event.
  const std::string event_id = "settle:" + FormatPeriod(period) + ":" + std::string(seller_id);
  b.Finish(fb::CreateInputEvent(b, b.CreateString(event_id), b.CreateString(seller_id), at,
                                fb::Event::SettlementClosed, body.Union()));
  return DecodedEvent(b.Release());
}

// The figures the read model froze must be the ones the event carries.
bool SameClosing(const fb::StatementT& stored, const fb::StatementT& sent) {
  return stored.status == fb::StatementStatus::closed && *stored.totals == *sent.totals &&
         stored.carried_in == sent.carried_in && stored.payable == sent.payable &&
         stored.carried_out == sent.carried_out &&
         stored.voucher_invoice_due == sent.voucher_invoice_due &&
         stored.payout_held == sent.payout_held &&
         stored.payout_releasable == sent.payout_releasable;
}

// "" when closed or refused (recorded in report), else the fatal error.
std::string CloseOne(Ledger& ledger, const Log& log, const SettlementProjection& settlement,
                     const std::string& seller, int32_t period, Micros now, SettleReport* report) {
  ClosePlan plan = settlement.PlanClose(seller, period);
  if (plan.refusal) {
    report->refused.push_back({seller, *plan.refusal});
    return {};
  }
  const uint32_t partition = PartitionOf(seller, log.partition_count());
  const DecodedEvent event = CloseEvent(seller, period, now, plan.closing, log.Head(partition).last_hash);
  const DecodedEvent* events[] = {&event};
  std::vector<EventResult> results;
  if (std::string error = ledger.Process(events, &results); !error.empty()) return error;
  if (results.at(0).outcome != Outcome::kAccepted) {
    MKT_ASSERT(results[0].rejection.has_value(), "a close reported duplicate after planning it");
    report->refused.push_back({seller, *results[0].rejection});
    return {};
  }
  const auto view = settlement.Statement(seller, period, 0, "");
  const fb::StatementT& stored = std::get<StatementView>(view).statement;
  if (!SameClosing(stored, plan.closing)) {
    return "settle: the statement of " + seller + " for " + FormatPeriod(period) +
           " was frozen with figures other than its SettlementClosed event; stop and audit";
  }
  report->closed.push_back({seller, Fen(stored.payable)});
  return {};
}

}  // namespace

std::string SettlePeriod(Ledger& ledger, const Log& log, const SettlementProjection& settlement,
                         int32_t period, Micros now, SettleReport* report) {
  const TzOffset tz = ledger.policy().timezone;
  const Micros period_end = StartOfPeriod(NextPeriod(period), tz);
  for (const std::string& seller : settlement.SellersWithStatement(period)) {
    if (now < period_end) {
      report->refused.push_back({seller, Rejection{Code::kPeriodNotEnded,
                                                   "field period: " + FormatPeriod(period) +
                                                       " ends at " + FormatRfc3339(period_end, tz)}});
      continue;
    }
    if (std::string error = CloseOne(ledger, log, settlement, seller, period, now, report);
        !error.empty()) {
      return error;
    }
  }
  return {};
}

}  // namespace mkt
