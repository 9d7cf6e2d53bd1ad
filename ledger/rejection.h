// Rejection codes: a stable enum whose strings are exactly those of LEDGER.md.
// A rejected event never enters the ledger; the code and a message naming the
// field and value are returned to the sender.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mkt {

enum class Code : uint8_t {
  kMissingField,
  kMalformed,
  kUnknownType,
  kUnknownProduct,
  kInvalidId,
  kInvalidText,
  kInvalidAmount,
  kEventIdConflict,
  kOutOfOrder,
  kProductExists,
  kResellerRateOutOfRange,
  kResellerRateImmutable,
  kResellerNotEnabled,
  kOrderExists,
  kUnknownOrder,
  kOrderNotUnpaid,
  kPriceIncreaseNotAllowed,
  kCouponApplied,
  kOrderExpired,
  kAmountMismatch,
  kNotDue,
  kUnsupportedType,
  kRefundExceedsBalance,
  kRefundWrongApprover,
  kRefundNotPending,
  kDeliveryStepInvalid,
  kDeliveryNotApplicable,
  kDeliveryClosed,
  kInvoiceExceedsInvoiceable,
  kInvoiceNotPending,
  kReviewExists,
  kInvalidCoupon,
  kCouponNotIssuing,
  kCouponExhausted,
  kCouponClaimLimit,
  kCouponNotClaimed,
  kCouponVoided,
  kCouponNotUsable,
  kCouponScopeMismatch,
  kCouponScenarioMismatch,
  kCouponThresholdNotMet,
  kUnknownCoupon,
  kCouponNotApplied,
  kOrderNotPaid,
  kUnknownRefund,
  kRefundExists,
  kUnknownInvoice,
  kInvoiceExists,
  kInvoiceBuyerMismatch,
  kPeriodNotEnded,
  kPeriodClosed,
  kEarlierPeriodOpen,
};

std::string_view CodeName(Code code);

struct [[nodiscard]] Rejection {
  Code code;
  std::string message;
};

// The result of a check: nothing, or why the event is refused.
using Check = std::optional<Rejection>;

}  // namespace mkt
