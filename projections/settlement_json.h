// JSON shapes of INTERFACE.md for settlement: STATEMENT, the reseller
// statement and the answer of `settle`.
#pragma once

#include <nlohmann/json.hpp>

#include "ledger/time.h"
#include "projections/settlement.h"

namespace mkt {

using Json = nlohmann::ordered_json;

// One line of STATEMENT's `lines`.
Json SettlementLineJson(const fb::SettlementLineT& line, TzOffset tz);
// STATEMENT, plus `line_count` and `next_cursor` (the lines are paged).
Json StatementJson(const StatementView& view, TzOffset tz);
Json ResellerStatementJson(const ResellerStatementView& view);

}  // namespace mkt
