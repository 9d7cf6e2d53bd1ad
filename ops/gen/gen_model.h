// The generator's model of the marketplace (internal to ops/gen): event types, the compact
// scheduled Event, the catalogue with its coupon campaigns, and the state an order carries
// while its lifecycle is planned.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <string>
#include <unordered_map>
#include <vector>

#include "ledger/assert.h"
#include "ops/gen/delivery_shapes.h"

namespace mkt::gen::detail {

inline constexpr int64_t kNever = std::numeric_limits<int64_t>::max();

// Grouped by the id the event is about; the groups decide how Formatter writes them.
enum class Type : uint8_t {
  // product_id
  kProductListed,
  kResellerRateSet,
  kProductUpdated,
  kProductProfileUpdated,
  kProductDailyMetrics,
  kDeliveryTemplateDefined,  // template_id, but scheduled with the catalogue
  // order_id
  kOrderPlaced,
  kOrderPriceChanged,
  kOrderPaid,
  kOrderVoided,
  kCouponRedeemed,
  kCouponReleased,
  kDeliveryStep,
  kReviewPosted,
  // coupon_id
  kCouponCreated,
  kCouponIssuancePaused,
  kCouponIssuanceResumed,
  kCouponVoided,
  kCouponClaimed,
  // refund_id
  kRefundRequested,
  kRefundApproved,
  kRefundRejected,
  // invoice_id
  kInvoiceRequested,
  kInvoiceIssued,
  kInvoiceRejected,
};

// One scheduled event, compact so weeks of pending lifecycle stay small. Strings are made at
// write time from indexes into the catalogue, the coupon campaigns and the word lists.
//
// Fields beyond the obvious ones, by type:
//   amount_fen   list_price | new_price | OrderPaid cash | refund amount | invoice amount |
//                InvoiceIssued tracking number digits
//   voucher_fen  OrderPaid voucher | DeliveryStep actual_start (Unix s, 0 = absent) |
//                InvoiceRequested second order number (0 = one order) | InvoiceIssued number
//   detail       ProductUpdated fee bp (0 = absent) | OrderPriceChanged reason | profile flag
//                bits | codes (below) of DeliveryStep, ReviewPosted, refunds and invoices
//   ref          coupon number (coupon events, CouponRedeemed) | refund number (1, 2) |
//                DeliveryStep node index | metrics index of the day | template shape index
// order_no names the order of order events and refunds, and the first order of an invoice.
struct Event {
  int64_t at_s = 0;  // Unix seconds
  uint64_t seq = 0;  // creation order, breaks ties of at_s
  int64_t amount_fen = 0;
  int64_t voucher_fen = 0;
  int64_t order_no = 0;  // per seller, from 1
  int32_t seller = 0;
  int32_t product = 0;  // always a listed product of the seller: bad events build on it
  int32_t buyer = 0;
  int32_t quantity = 0;
  int32_t detail = 0;
  int32_t ref = 0;
  Type type = Type::kProductListed;
  uint8_t kind = 0;
  uint8_t channel = 0;
  uint8_t reseller = 0;  // 1..kResellers, 0 = none
  uint8_t spec = 0;      // 1-based into the category's specs, 0 = absent
  uint8_t period = 0;    // likewise
  uint8_t rename = 0;    // ProductUpdated: 1-based into kRenameSuffixes, 0 = no name
};

// Small enumerations of one event (action, actor, reason index, ...) packed 4 bits each into
// Event::detail, so the Event does not grow a field per event type.
inline int32_t PackCodes(std::initializer_list<int> codes) {
  int32_t packed = 0;
  int shift = 0;
  for (int code : codes) {
    MKT_ASSERT(code >= 0 && code < 16, "code ", code);
    packed |= code << shift;
    shift += 4;
  }
  return packed;
}
inline int CodeAt(int32_t detail, int index) { return detail >> (4 * index) & 0xF; }

struct LaterFirst {
  bool operator()(const Event& a, const Event& b) const {
    return a.at_s != b.at_s ? a.at_s > b.at_s : a.seq > b.seq;
  }
};

// ---------------------------------------------------------------------------------------------
// Catalogue and coupon campaigns.

// One buyer's claims of one coupon, as far as the generator has decided them. Counts include
// events still in the future, which errs on the safe side: the ledger never sees more claims
// or fewer coupons in use than counted here, and every counted claim or release happened by
// `settled_at`.
struct ClaimTrack {
  int32_t claimed = 0;
  int32_t in_use = 0;  // redeemed on an order that was not voided or released
  int64_t settled_at = 0;
};

struct Coupon {
  int32_t no = 0;  // per seller, from 1
  uint8_t theme = 0;
  bool products_scope = false;
  bool discount = false;  // else threshold (满减)
  bool visible = true;
  uint8_t scenarios = 0;        // bit per index of kKindNames; never trial
  int32_t pay_rate_tenths = 0;  // discount: the zhe figure * 10 (85 = 8.5 折, pays 85%)
  int64_t threshold_fen = 0;    // threshold
  int64_t amount_off_fen = 0;
  int64_t created_s = 0;
  int64_t issue_from_s = 0;
  int64_t issue_to_s = 0;
  int64_t use_from_s = 0;
  int64_t use_to_s = 0;
  int64_t pause_s = kNever;  // issuance paused in [pause_s, resume_s]
  int64_t resume_s = kNever;
  int64_t void_s = kNever;
  int32_t total = 0;
  int32_t per_user_limit = 0;
  int32_t claimed = 0;
  std::vector<int32_t> products;                   // products scope: product indexes
  std::unordered_map<int32_t, ClaimTrack> claims;  // by buyer
};

struct Product {
  std::string name;
  int category = 0;
  int32_t fee_bp = 0;   // 0: absent, the policy default applies
  int32_t rate_bp = 0;  // 0: no reseller rate
  int64_t base_fen = 0;
  int64_t listed_at_s = 0;
  uint8_t shape = 0;         // delivery template: 1 + index into kDeliveryShapes, 0 = none
  int32_t orders_today = 0;  // placed today, for ProductDailyMetrics
};

struct Seller {
  std::vector<Product> products;
  std::vector<uint64_t> product_cumulative;  // popularity, Zipf over the listing order
  int64_t orders_placed = 0;
  uint8_t custom_shape = 0;  // a defined template: 1 + index into kDeliveryShapes, 0 = none
  int32_t coupons_created = 0;
  std::vector<Coupon> coupons;  // campaigns still usable, by number
};

// One ProductDailyMetrics report; the day's reports are referred to by Event::ref.
struct DailyFigures {
  int64_t day = 0;  // days since the epoch, local
  int64_t uv = 0;
  int64_t visitors = 0;
  int64_t dwell_milli = 0;  // avg_dwell_seconds * 1000
  int64_t quotes = 0;
  int64_t tickets_opened = 0;
  int64_t tickets_resolved = 0;
  int64_t ticket_hours_milli = 0;
};

// ---------------------------------------------------------------------------------------------
// An order while its lifecycle is planned.

struct OrderPlan {
  Event placed;
  int64_t at = 0;  // its latest planned event so far
  int64_t price = 0;
  int64_t discount = 0;  // of the coupon applied, if any
  int32_t coupon = 0;    // number of the coupon applied, 0 = none
};

// The delivery instance the stream drives; the ledger opened it at payment (LEDGER.md 4.4).
struct DeliveryRun {
  const DeliveryShape* shape = nullptr;  // nullptr: the product has no template
  int64_t next_at = kNever;  // the stream's next step; kNever once the stream stops driving it
  int64_t next_actual_start = 0;
  int32_t next_codes = 0;  // detail of the next step
  int32_t node = 0;
  int32_t appeal_node = -1;  // the node at which someone will appeal, -1 = none
  uint8_t rejects = 0;
  bool ended = false;  // completed or terminated: nothing may follow
};

struct RefundRun {
  int64_t next_at = kNever;   // the next request or decision
  int64_t refunded = 0;       // approved so far
  int64_t refunded_cash = 0;  // the cash part of it (LEDGER.md 3.3 split)
  int64_t amount = 0;         // of the request awaiting its decision
  int32_t number = 0;         // requests so far
  bool awaiting_decision = false;
  bool buyer = true;      // initiator of the current request
  bool immediate = true;  // release of the current request
};

// A paid order's after-sale life, simulated in time order (after_sales.cc). Every event of the
// order stays before `horizon`: from there on a ledger timer (default review, a node's timeout,
// a refund's auto-approval) owns the order, and a later stream event would make it miss.
struct AfterSales {
  Event order;  // its OrderPlaced: seller, product, order number, buyer
  int64_t cash = 0;
  int64_t voucher = 0;
  int64_t paid_at = 0;
  int64_t horizon = 0;
  DeliveryRun delivery;
  RefundRun refund;
  int64_t review_at = kNever;
  bool review_after_delivery = false;  // the buyer reviews once delivery completes
  int64_t invoice_at = kNever;
  bool invoiced = false;
};

// A paid order without refunds or invoice of its own, which a later invoice request of the
// same buyer and seller may include (合并开票) while the order is still the stream's.
struct InvoiceCandidate {
  int64_t order_no = 0;
  int64_t cash = 0;
  int64_t paid_at = 0;
  int64_t horizon = 0;
};

}  // namespace mkt::gen::detail
