#include "replay/audit_statement.h"

#include <algorithm>

#include "ledger/hash.h"
#include "ledger/ledger.h"
#include "ledger/limits.h"
#include "projections/projections.h"

namespace mkt {
namespace {

bool IsTheClose(const AcceptedRecord& r, std::string_view seller_id, int32_t period) {
  return r.input->event_type() == fb::Event::SettlementClosed &&
         r.input->seller_id()->string_view() == seller_id &&
         r.input->event_as_SettlementClosed()->period() == period;
}

std::vector<FieldCheck> Compare(const fb::SettlementClosed& e, const fb::StatementT& st) {
  const fb::SettlementFigures& t = *st.totals;
  return {{"gross", e.gross(), t.gross()},
          {"voucher", e.voucher(), t.voucher()},
          {"platform_fee", e.platform_fee(), t.platform_fee()},
          {"reseller_commission", e.reseller_commission(), t.reseller_commission()},
          {"net", e.net(), t.seller_net()},
          {"carried_in", e.carried_in(), st.carried_in},
          {"payable", e.payable(), st.payable},
          {"carried_out", e.carried_out(), st.carried_out},
          {"voucher_invoice_due", e.voucher_invoice_due(), st.voucher_invoice_due},
          {"payout_held", e.payout_held(), st.payout_held},
          {"payout_releasable", e.payout_releasable(), st.payout_releasable}};
}

// Applies the seller's records of one read chunk to the scratch model.
std::string ApplyChunk(Store& scratch, SettlementProjection& model,
                       const std::vector<AcceptedRecord>& records) {
  if (records.empty()) return {};
  rocksdb::WriteBatch batch;
  model.Apply(records, &batch);
  return scratch.Write(&batch, /*sync=*/false);  // scratch: thrown away after the audit
}

}  // namespace

bool StatementAudit::matches() const {
  return found && !chain_break && head_hash_matches &&
         std::all_of(fields.begin(), fields.end(),
                     [](const FieldCheck& f) { return f.recorded == f.recomputed; });
}

// Whether a line of a later period belongs to `period`'s business.
bool BelongsTo(const SettlementProjection& model, std::string_view seller_id, const fb::SettlementLineT& line,
               int32_t period) {
  if (line.held_from == period) return true;
  const OrderSettlement order = model.OfOrder(seller_id, line.order_id);
  return order.period == period || order.held_from == period;
}

// Lines can be booked up to the month after the seller's last event or close.
std::variant<Restatement, std::string> Restate(const SettlementProjection& model, std::string_view seller_id,
                                               int32_t period, int32_t last_period, Restatement known) {
  for (int32_t later = NextPeriod(period); later <= NextPeriod(last_period); later = NextPeriod(later)) {
    std::string cursor;
    do {
      auto view = model.Statement(seller_id, later, limits::kStatementLinesLimitMax, cursor);
      if (auto* error = std::get_if<std::string>(&view)) return *error;
      StatementView& page = std::get<StatementView>(view);
      for (fb::SettlementLineT& line : page.lines) {
        if (!BelongsTo(model, seller_id, line, period)) continue;
        known.totals = Add(known.totals, *line.figures);
        known.later_lines.push_back(std::move(line));
      }
      cursor = page.next_cursor.value_or("");
    } while (!cursor.empty());
  }
  return known;
}

std::variant<StatementAudit, std::string> AuditStatement(const Log& log, std::string_view seller_id,
                                                         int32_t period, TzOffset tz,
                                                         const std::string& scratch_dir) {
  auto opened = Store::Open(scratch_dir, Projections::Families());
  if (auto* error = std::get_if<std::string>(&opened)) return *error;
  std::unique_ptr<Store> scratch = std::move(std::get<std::unique_ptr<Store>>(opened));
  SettlementProjection model(scratch.get(), tz);
  StatementAudit audit;
  audit.partition = PartitionOf(seller_id, log.partition_count());
  Hash prev = kGenesisHash;
  int32_t last_period = period;  // the latest month of the seller's events and closes
  std::vector<LogEntry> entries;
  for (uint64_t next = 0;;) {
    if (std::string error = log.Read(audit.partition, next, limits::kLogReadBatchMax, &entries);
        !error.empty()) {
      return error;
    }
    if (entries.empty()) break;
    std::vector<AcceptedRecord> records;
    for (const LogEntry& entry : entries) {
      if (std::string why = CheckChainEntry(entry, audit.partition, next, prev); !why.empty()) {
        if (!audit.found) {
          audit.chain_break = ChainBreak{audit.partition, next, why};
          return audit;
        }
        audit.known_now.chain_break = ChainBreak{audit.partition, next, why};
        break;
      }
      const AcceptedRecord record = *ViewStoredEvent(entry.bytes);
      audit.known_now.known_at = record.record->recorded_at_us();
      if (!audit.found && IsTheClose(record, seller_id, period)) {
        if (std::string error = ApplyChunk(*scratch, model, records); !error.empty()) return error;
        records.clear();
        const auto* close = record.input->event_as_SettlementClosed();
        audit.found = true;
        audit.seq = entry.seq;
        audit.closed_at = record.input->at_us();
        if (close->head_hash() != nullptr) {
          audit.head_hash = ToHex({close->head_hash()->data(), close->head_hash()->size()});
          audit.head_hash_matches = close->head_hash()->size() == prev.size() &&
                                    std::equal(prev.begin(), prev.end(), close->head_hash()->begin());
        }
        const fb::StatementT recomputed = model.PlanClose(seller_id, period).closing;
        audit.fields = Compare(*close, recomputed);
        audit.known_now.totals = *recomputed.totals;
      }
      if (record.input->seller_id()->string_view() == seller_id) {
        records.push_back(record);
        if (!audit.found) ++audit.events_replayed;
        const int32_t month = record.input->event_type() == fb::Event::SettlementClosed
                                  ? record.input->event_as_SettlementClosed()->period()
                                  : LocalPeriod(record.input->at_us(), tz);
        last_period = std::max(last_period, month);
      }
      std::copy_n(fb::GetStoredEvent(entry.bytes.data())->hash()->begin(), prev.size(), prev.begin());
      ++next;
    }
    if (std::string error = ApplyChunk(*scratch, model, records); !error.empty()) return error;
    if (audit.known_now.chain_break) break;
  }
  if (!audit.found) return audit;  // no such close in the log
  auto known = Restate(model, seller_id, period, last_period, std::move(audit.known_now));
  if (auto* error = std::get_if<std::string>(&known)) return *error;
  audit.known_now = std::move(std::get<Restatement>(known));
  return audit;
}

}  // namespace mkt
