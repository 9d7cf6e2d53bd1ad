#include "ledger/rules.h"

#include <string>

#include "ledger/json_decode.h"

namespace mkt {

std::string Quoted(std::string_view value) { return "\"" + std::string(value) + "\""; }

Rejection UnknownProduct(std::string_view product_id) {
  return Rejection{Code::kUnknownProduct,
                   "field product_id: " + Quoted(product_id) + " is not listed by this seller"};
}

std::string CouponClaimKey(std::string_view coupon_id, std::string_view buyer_id) {
  std::string key(coupon_id);
  key.push_back('\0');  // ids never contain NUL
  key.append(buyer_id);
  return key;
}

Check ApplyRules(const fb::InputEvent& event, RuleContext& ctx) {
  switch (event.event_type()) {
    case fb::Event::ProductListed:
    case fb::Event::ProductUpdated:
    case fb::Event::ResellerRateSet:
    case fb::Event::ProductProfileUpdated:
    case fb::Event::ProductDailyMetrics: return ApplyCatalogueEvent(event, ctx);
    case fb::Event::OrderPlaced:
    case fb::Event::OrderPriceChanged:
    case fb::Event::OrderPaid:
    case fb::Event::OrderVoided: return ApplyOrderEvent(event, ctx);
    case fb::Event::CouponCreated:
    case fb::Event::CouponIssuancePaused:
    case fb::Event::CouponIssuanceResumed:
    case fb::Event::CouponVoided:
    case fb::Event::CouponClaimed: return ApplyCouponEvent(event, ctx);
    case fb::Event::CouponRedeemed:
    case fb::Event::CouponReleased: return ApplyCouponUseEvent(event, ctx);
    case fb::Event::RefundRequested:
    case fb::Event::RefundApproved:
    case fb::Event::RefundRejected: return ApplyRefundEvent(event, ctx);
    case fb::Event::DeliveryTemplateDefined:
    case fb::Event::DeliveryStep: return ApplyDeliveryEvent(event, ctx);
    case fb::Event::ReviewPosted: return ApplyReviewEvent(event, ctx);
    case fb::Event::InvoiceRequested:
    case fb::Event::InvoiceIssued:
    case fb::Event::InvoiceRejected:
    case fb::Event::PlatformInvoiceReceived: return ApplyInvoiceEvent(event, ctx);
    case fb::Event::SettlementClosed: return ApplySettlementEvent(event, ctx);
    default:
      // The schema knows the type but its rules are not in this version yet:
      // refusing it is safe (a rejection changes nothing; it can be re-sent).
      return Rejection{Code::kUnsupportedType,
                       "field type: " + std::string(EventTypeName(event.event_type())) +
                           " is not supported by this ledger version yet"};
  }
}

}  // namespace mkt
