// `ledger audit statement` (LEDGER.md section 9, issue 7): recompute a closed
// statement from the log alone and compare it, field by field, with the
// SettlementClosed event that froze it.
//
// The seller's partition is read from seq 0, verifying the chain, and the
// seller's events are applied to a fresh settlement read model in a scratch
// store; at the close event its head_hash must be the hash of the entry just
// before it, and the statement the fresh model would close must equal the
// event's figures. Reading then goes on to the end of the partition for the
// restatement (known_now). Nothing of the live read models is trusted.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "ledger/log.h"
#include "ledger/time.h"
#include "schemas/settlement_generated.h"
#include "replay/verify.h"

namespace mkt {

struct FieldCheck {
  std::string field;
  int64_t recorded = 0;    // in the SettlementClosed event (fen)
  int64_t recomputed = 0;  // from the log
};

// The closed period "as known now" (issue 7, time travel by business time): the
// statement as it closed plus every line booked in a later period that belongs
// to the period's business: adjustments of its orders (refunds approved after
// the close) and its sale lines held over by the close (held_from). The closed
// statement itself never changes; this shows what later events say about it.
struct Restatement {
  fb::SettlementFigures totals;                // as closed + later_lines
  std::vector<fb::SettlementLineT> later_lines;  // in period, then key order
  Micros known_at = 0;                          // recorded time of the last entry read
  std::optional<ChainBreak> chain_break;       // the log broke after the close: known up to it
};

struct StatementAudit {
  bool found = false;                     // a SettlementClosed for (seller, period) exists
  uint32_t partition = 0;
  uint64_t seq = 0;                       // of the SettlementClosed event
  Micros closed_at = 0;
  std::string head_hash;                  // hex, as recorded
  bool head_hash_matches = false;         // = hash of the entry at seq - 1
  std::optional<ChainBreak> chain_break;  // the log broke before the close
  std::vector<FieldCheck> fields;
  uint64_t events_replayed = 0;           // of this seller, before the close
  Restatement known_now;                  // found only

  bool matches() const;
};

// Returns the audit, or an error message (scratch store I/O).
std::variant<StatementAudit, std::string> AuditStatement(const Log& log, std::string_view seller_id,
                                                         int32_t period, TzOffset tz,
                                                         const std::string& scratch_dir);

}  // namespace mkt
