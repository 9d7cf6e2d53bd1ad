// The business rules of LEDGER.md section 3: each event type has one handler
// that first checks everything (returning a Rejection on the first failure) and
// only then changes state and records the facts it derived. Split by concern:
// catalogue_rules.cc, order_rules.cc.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ledger/policy.h"
#include "ledger/rejection.h"
#include "ledger/state.h"
#include "schemas/ledger_log_generated.h"

namespace mkt {

struct RuleContext {
  const Policy& policy;
  LedgerState& state;
  std::string_view seller_id;
  Micros at;             // the event's business time
  fb::DerivedT& derived;  // facts to store with the accepted event
};

// Checks `event` against the state and, when accepted, applies it.
Check ApplyRules(const fb::InputEvent& event, RuleContext& ctx);

// Per concern (called by ApplyRules).
Check ApplyCatalogueEvent(const fb::InputEvent& event, RuleContext& ctx);
Check ApplyOrderEvent(const fb::InputEvent& event, RuleContext& ctx);
Check ApplyCouponEvent(const fb::InputEvent& event, RuleContext& ctx);
Check ApplyCouponUseEvent(const fb::InputEvent& event, RuleContext& ctx);
Check ApplyRefundEvent(const fb::InputEvent& event, RuleContext& ctx);

// Checks shared by every event on an existing order: it exists, `at` does not go
// back before its latest event; and that it is still unpaid.
Check FindOrder(RuleContext& ctx, std::string_view order_id, const fb::OrderStateT** out);
Check MustBeUnpaid(const fb::OrderStateT& order, std::string_view order_id);
// The coupon_claims key of one buyer's claims of one coupon.
std::string CouponClaimKey(std::string_view coupon_id, std::string_view buyer_id);
// Gives the order's coupon claim back to its buyer (void or release); records it.
void ReleaseCoupon(RuleContext& ctx, fb::OrderStateT* order);

// Shared message pieces, so every rule names fields and values alike.
std::string Quoted(std::string_view value);
Rejection UnknownProduct(std::string_view product_id);

// Delivery templates (LEDGER.md section 4.4): built-in or defined by the seller.
struct TemplateNode {
  std::string name;
  fb::NodeActor actor;
  bool rejectable;
  std::optional<int32_t> timeout_tenths_days;
};
// The template's nodes, or an empty list when the seller has no such template.
std::vector<TemplateNode> FindTemplate(RuleContext& ctx, std::string_view name);
std::string_view DefaultTemplate(fb::Category category);

Check ApplyDeliveryEvent(const fb::InputEvent& event, RuleContext& ctx);
Check ApplyReviewEvent(const fb::InputEvent& event, RuleContext& ctx);
Check ApplyInvoiceEvent(const fb::InputEvent& event, RuleContext& ctx);
Check ApplySettlementEvent(const fb::InputEvent& event, RuleContext& ctx);
// After a refund lowered the order's cash net: flags issued invoices above it.
void FlagCreditNotes(RuleContext& ctx, fb::OrderStateT* order);
// requested_at + n working days (Mon-Fri minus policy holidays, policy timezone),
// at the same local time of day.
Micros AddWorkingDays(Micros at, int32_t days, const Policy& policy);
// An unpaid order at or past its expiry deadline only waits for its void.
Check NotExpired(const fb::OrderStateT& order, std::string_view order_id, RuleContext& ctx);
// Schedules the timeout of a node just entered at ctx.at, if it has one.
void AddDeliveryTimer(RuleContext& ctx, std::string_view order_id, const TemplateNode& node);
// A release=immediate refund ends the order's open delivery (terminated).
void TerminateDelivery(RuleContext& ctx, fb::OrderStateT* order);

}  // namespace mkt
