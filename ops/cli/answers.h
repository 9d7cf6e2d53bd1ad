// The answers of the read commands and of `settle`, `tick` and `verify`, as
// JSON documents (INTERFACE.md shapes) or a CommandError. The CLI prints them
// (as JSON or a table); `ledger serve` sends them over HTTP, so the two cannot
// drift apart.
//
// Threading: the read answers (orders, order, coupons, invoices, settlement,
// reseller statement, strength) may run on any thread once the store is open;
// SettleAnswer and TickAnswer belong on the ledger's writer thread (they
// append), and so does VerifyJson with VerifyChain (they need a log that is
// not moving).
//
// Option names in error messages are the CLI's ("--limit: ..."); the HTTP layer
// renames them to its query parameters.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "ops/cli/commands.h"
#include "projections/strength.h"

namespace mkt::cli {

using Answer = std::variant<Json, CommandError>;

Answer OrdersAnswer(Context& ctx, const OrdersArgs& args);
// The same answer as JSON text, written without a Json document (`serve`'s hot path).
std::variant<std::string, CommandError> OrdersAnswerText(Context& ctx, const OrdersArgs& args);
// `seller` may be empty when only one seller has the order id.
Answer OrderAnswer(Context& ctx, const std::string& order_id, const std::string& seller);
Answer CouponsAnswer(Context& ctx, const std::string& seller, const std::string& as_of);
Answer InvoicesAnswer(Context& ctx, const std::string& seller, const std::string& status,
                      const std::string& as_of);
Answer SettlementAnswer(Context& ctx, const SettlementArgs& args);
Answer ResellerStatementAnswer(Context& ctx, const std::string& reseller, const std::string& period);

// `strength`: one product's score (`single`) or the seller's ranking.
struct StrengthScores {
  bool single = false;
  std::vector<StrengthScore> scores;
};
std::variant<StrengthScores, CommandError> StrengthAnswer(Context& ctx, const StrengthArgs& args);
Json StrengthScoresJson(const StrengthScores& scores);
// The sellers whose catalogue has `product` (product ids are the seller's own).
std::vector<std::string> SellersOfProduct(Store& store, std::string_view product);

// One rejected NDJSON line as `ingest` reports it:
// `{"line":N,"event_id":"…"|null,"code":"…","message":"…"}`.
Json RejectedLineJson(uint64_t line_no, std::string_view event_id, const Rejection& rejection);
Json RejectedLineJson(uint64_t line_no, std::string_view event_id, std::string_view code,
                      std::string_view message);

// `{"closed":[…],"refused":[…]}`; `now` empty = the context's clock.
Answer SettleAnswer(Context& ctx, const std::string& period, const std::string& now);
// `{"emitted":N,"by_type":{…}}` and what was emitted.
Answer TickAnswer(Context& ctx, const std::string& now, TickReport* report = nullptr);
// The `verify` object for `report` and the opened store's digests.
Json VerifyJson(Context& ctx, const ChainReport& report);

}  // namespace mkt::cli
