// The monthly close (LEDGER.md section 5, `ledger settle`): for every seller
// with a statement in the period, plan the close from the settlement read
// model and append SettlementClosed through the ledger, one seller per
// batch so that each event's head_hash is the partition head it was
// computed on. Used by the CLI and the service alike.
#pragma once

#include <string>
#include <vector>

#include "ledger/ledger.h"
#include "projections/settlement.h"

namespace mkt {

struct SettleReport {
  struct Closed {
    std::string seller_id;
    Fen payable;
  };
  struct Refused {
    std::string seller_id;
    Rejection rejection;  // period_not_ended, period_closed, earlier_period_open
  };
  std::vector<Closed> closed;
  std::vector<Refused> refused;
};

// Closes `period` at `now`. Returns "" or a fatal error (storage, or a frozen
// statement that differs from its event: an invariant broken, stop and audit).
std::string SettlePeriod(Ledger& ledger, const Log& log, const SettlementProjection& settlement,
                         int32_t period, Micros now, SettleReport* report);

}  // namespace mkt
