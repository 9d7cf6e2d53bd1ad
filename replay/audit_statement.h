// `ledger audit statement` (LEDGER.md section 9, issue 7): recompute a closed
// statement from the log alone and compare it, field by field, with the
// SettlementClosed event that froze it.
//
// The seller's partition is read from seq 0, verifying the chain, and the
// seller's events are applied to a fresh settlement read model in a scratch
// store; at the close event its head_hash must be the hash of the entry just
// before it, and the statement the fresh model would close must equal the
// event's figures. Nothing of the live read models is trusted.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "ledger/log.h"
#include "ledger/time.h"
#include "replay/verify.h"

namespace mkt {

struct FieldCheck {
  std::string field;
  int64_t recorded = 0;    // in the SettlementClosed event (fen)
  int64_t recomputed = 0;  // from the log
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

  bool matches() const;
};

// Returns the audit, or an error message (scratch store I/O).
std::variant<StatementAudit, std::string> AuditStatement(const Log& log, std::string_view seller_id,
                                                         int32_t period, TzOffset tz,
                                                         const std::string& scratch_dir);

}  // namespace mkt
