#include "ledger/rejection.h"

namespace mkt {

std::string_view CodeName(Code code) {
  switch (code) {
    case Code::kMissingField: return "missing_field";
    case Code::kMalformed: return "malformed";
    case Code::kUnknownType: return "unknown_type";
    case Code::kUnknownProduct: return "unknown_product";
    case Code::kInvalidId: return "invalid_id";
    case Code::kInvalidText: return "invalid_text";
    case Code::kInvalidAmount: return "invalid_amount";
    case Code::kEventIdConflict: return "event_id_conflict";
    case Code::kOutOfOrder: return "out_of_order";
    case Code::kProductExists: return "product_exists";
    case Code::kResellerRateOutOfRange: return "reseller_rate_out_of_range";
    case Code::kResellerRateImmutable: return "reseller_rate_immutable";
    case Code::kResellerNotEnabled: return "reseller_not_enabled";
    case Code::kOrderExists: return "order_exists";
    case Code::kUnknownOrder: return "unknown_order";
    case Code::kOrderNotUnpaid: return "order_not_unpaid";
    case Code::kPriceIncreaseNotAllowed: return "price_increase_not_allowed";
    case Code::kCouponApplied: return "coupon_applied";
    case Code::kOrderExpired: return "order_expired";
    case Code::kAmountMismatch: return "amount_mismatch";
    case Code::kNotDue: return "not_due";
    case Code::kUnsupportedType: return "unsupported_type";
    case Code::kRefundExceedsBalance: return "refund_exceeds_balance";
    case Code::kRefundWrongApprover: return "refund_wrong_approver";
    case Code::kRefundNotPending: return "refund_not_pending";
    case Code::kDeliveryStepInvalid: return "delivery_step_invalid";
    case Code::kDeliveryNotApplicable: return "delivery_not_applicable";
    case Code::kDeliveryClosed: return "delivery_closed";
    case Code::kInvoiceExceedsInvoiceable: return "invoice_exceeds_invoiceable";
    case Code::kInvoiceNotPending: return "invoice_not_pending";
    case Code::kReviewExists: return "review_exists";
    case Code::kInvalidCoupon: return "invalid_coupon";
    case Code::kCouponNotIssuing: return "coupon_not_issuing";
    case Code::kCouponExhausted: return "coupon_exhausted";
    case Code::kCouponClaimLimit: return "coupon_claim_limit";
    case Code::kCouponNotClaimed: return "coupon_not_claimed";
    case Code::kCouponVoided: return "coupon_voided";
    case Code::kCouponNotUsable: return "coupon_not_usable";
    case Code::kCouponScopeMismatch: return "coupon_scope_mismatch";
    case Code::kCouponScenarioMismatch: return "coupon_scenario_mismatch";
    case Code::kCouponThresholdNotMet: return "coupon_threshold_not_met";
    case Code::kUnknownCoupon: return "unknown_coupon";
    case Code::kCouponNotApplied: return "coupon_not_applied";
    case Code::kOrderNotPaid: return "order_not_paid";
    case Code::kUnknownRefund: return "unknown_refund";
    case Code::kRefundExists: return "refund_exists";
    case Code::kUnknownInvoice: return "unknown_invoice";
    case Code::kInvoiceExists: return "invoice_exists";
    case Code::kInvoiceBuyerMismatch: return "invoice_buyer_mismatch";
    case Code::kPeriodNotEnded: return "period_not_ended";
    case Code::kPeriodClosed: return "period_closed";
    case Code::kEarlierPeriodOpen: return "earlier_period_open";
  }
  return "unknown";
}

}  // namespace mkt
