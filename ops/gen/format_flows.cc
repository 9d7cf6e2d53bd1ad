// NDJSON fields of the after-sale families (LEDGER.md section 3): daily metrics, delivery
// templates and steps, reviews, coupon campaigns, refunds and invoices.
#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "ledger/assert.h"
#include "ops/gen/delivery_shapes.h"
#include "ops/gen/flow_words.h"
#include "ops/gen/gen_internal.h"
#include "ops/gen/json_fields.h"
#include "ops/gen/word_lists.h"

namespace mkt::gen::detail {

namespace {

constexpr std::array<std::string_view, 4> kActions = {"complete", "reject", "appeal",
                                                      "resolve_appeal"};
constexpr std::array<std::string_view, 4> kActors = {"buyer", "seller", "platform", "system"};
constexpr std::array<std::string_view, 3> kNodeActors = {"buyer", "seller", "system"};
constexpr std::array<std::string_view, 2> kOutcomes = {"continue", "terminate"};
constexpr std::array<std::string_view, 2> kParties = {"seller", "platform"};

// A non-negative JSON number with up to `decimals` decimals from an integer scaled by
// 10^decimals, without trailing zeros: 45123 milli -> 45.123, 7000 -> 7, 55 tenths -> 5.5.
void AppendScaled(std::string* out, int64_t scaled, int decimals) {
  int64_t scale = 1;
  for (int i = 0; i < decimals; ++i) scale *= 10;
  AppendUnsigned(out, static_cast<uint64_t>(scaled / scale), 1);
  int64_t fraction = scaled % scale;
  if (fraction == 0) return;
  int width = decimals;
  while (fraction % 10 == 0) {
    fraction /= 10;
    --width;
  }
  out->push_back('.');
  AppendUnsigned(out, static_cast<uint64_t>(fraction), width);
}

void ScaledField(std::string* out, std::string_view key, int64_t scaled, int decimals) {
  Key(out, key);
  AppendScaled(out, scaled, decimals);
}

void AppendDate(std::string* out, int64_t day) {
  const CivilDate date = CivilFromDays(day);
  AppendUnsigned(out, static_cast<uint64_t>(date.year), 4);
  out->push_back('-');
  AppendUnsigned(out, date.month, 2);
  out->push_back('-');
  AppendUnsigned(out, date.day, 2);
}

// Yuan without trailing ".00", for coupon names.
void AppendYuan(std::string* out, int64_t fen) {
  AppendUnsigned(out, static_cast<uint64_t>(fen / 100), 1);
  if (fen % 100 == 0) return;
  out->push_back('.');
  AppendUnsigned(out, static_cast<uint64_t>(fen % 100), 2);
}

// "Autumn sale: 15% off", "Flash sale: spend 500 save 50".
std::string CouponName(const Coupon& c) {
  std::string name(kCouponThemes[c.theme]);
  name.append(": ");
  if (c.discount) {
    AppendUnsigned(&name, static_cast<uint64_t>(100 - c.pay_rate_tenths), 1);
    name.append("% off");
  } else {
    name.append("spend ");
    AppendYuan(&name, c.threshold_fen);
    name.append(" save ");
    AppendYuan(&name, c.amount_off_fen);
  }
  return name;
}

// The same buyer always invoices under the same title: two in three are companies named after
// a city and a trade, with a tax id (unified social credit code) built from the buyer number.
bool IsCompany(int32_t buyer) { return buyer % 3 != 0; }

std::string InvoiceTitle(int32_t buyer) {
  if (!IsCompany(buyer)) return "Personal";
  const auto b = static_cast<size_t>(buyer);
  return std::string(kCompanyCities[b % kCompanyCities.size()]) + " " +
         std::string(kCompanyWords[b / kCompanyCities.size() % kCompanyWords.size()]) +
         " Co., Ltd.";
}

std::string TaxId(int32_t buyer) {
  std::string id = "91";
  id.append(kTaxRegions[static_cast<size_t>(buyer) % kTaxRegions.size()]).append("MA");
  AppendUnsigned(&id, static_cast<uint64_t>(buyer) + 1, 8);
  return id;
}

std::string_view ReviewText(int quality, int text) {
  const size_t i = static_cast<size_t>(text - 1);
  if (quality == 5) return kFiveStarTexts[i];
  if (quality == 4) return kFourStarTexts[i];
  if (quality == 3) return kMiddleStarTexts[i];
  return kLowStarTexts[i];
}

}  // namespace

void Formatter::AppendMetrics(const Event& e, std::string* line) {
  const DailyFigures& f = figures_[static_cast<size_t>(e.ref)];
  ProductIdField(line, e.seller, e.product);
  Key(line, "date");
  line->push_back('"');
  AppendDate(line, f.day);
  line->push_back('"');
  IntField(line, "uv", f.uv);
  IntField(line, "visitors", f.visitors);
  ScaledField(line, "avg_dwell_seconds", f.dwell_milli, 3);
  IntField(line, "quotes", f.quotes);
  IntField(line, "tickets_opened", f.tickets_opened);
  IntField(line, "tickets_resolved", f.tickets_resolved);
  ScaledField(line, "avg_ticket_hours", f.ticket_hours_milli, 3);
}

void Formatter::AppendTemplate(const Event& e, std::string* line) {
  const DeliveryShape& shape = kDeliveryShapes[static_cast<size_t>(e.ref)];
  StringField(line, "template_id", shape.id);
  Key(line, "nodes");
  line->push_back('[');
  for (const NodeShape& node : shape.nodes) {
    if (&node != &shape.nodes.front()) line->push_back(',');
    line->append("{\"name\":\"").append(node.name).push_back('"');
    StringField(line, "actor", kNodeActors[static_cast<size_t>(node.actor)]);
    BoolField(line, "rejectable", node.rejectable);
    if (node.timeout_tenths != 0) ScaledField(line, "timeout_days", node.timeout_tenths, 1);
    line->push_back('}');
  }
  line->push_back(']');
}

// Codes: action, actor, outcome, note + 1 (delivery.cc).
void Formatter::AppendDeliveryStep(const Event& e, std::string* line) {
  const Product& product =
      sellers_[static_cast<size_t>(e.seller)].products[static_cast<size_t>(e.product)];
  const DeliveryShape& shape = kDeliveryShapes[product.shape - 1u];
  const int action = CodeAt(e.detail, 0);
  const int note = CodeAt(e.detail, 3);
  OrderIdField(line, e.seller, e.order_no);
  StringField(line, "node", shape.nodes[static_cast<size_t>(e.ref)].name);
  StringField(line, "action", kActions[static_cast<size_t>(action)]);
  StringField(line, "actor", kActors[static_cast<size_t>(CodeAt(e.detail, 1))]);
  if (note != 0) {
    const auto i = static_cast<size_t>(note - 1);
    StringField(line, "note",
                action == 1   ? kRejectNotes[i]
                : action == 2 ? kAppealNotes[i]
                              : kResolveNotes[i]);
  }
  if (e.voucher_fen != 0) {
    Key(line, "actual_start");
    line->push_back('"');
    times_.Append(line, e.voucher_fen);
    line->push_back('"');
  }
  if (action == 3)
    StringField(line, "outcome", kOutcomes[static_cast<size_t>(CodeAt(e.detail, 2))]);
}

// Codes: quality, attitude, speed, text + 1 (after_sales.cc).
void Formatter::AppendReview(const Event& e, std::string* line) {
  OrderIdField(line, e.seller, e.order_no);
  IntField(line, "quality", CodeAt(e.detail, 0));
  IntField(line, "attitude", CodeAt(e.detail, 1));
  IntField(line, "speed", CodeAt(e.detail, 2));
  const int text = CodeAt(e.detail, 3);
  if (text != 0) StringField(line, "text", ReviewText(CodeAt(e.detail, 0), text));
}

void Formatter::AppendCouponFields(const Event& e, std::string* line) {
  CouponIdField(line, e.seller, e.ref);
  if (e.type == Type::kCouponCreated) AppendCouponCreated(e, line);
  if (e.type == Type::kCouponClaimed) {
    line->append(",\"buyer_id\":\"");
    AppendBuyerId(line, e.buyer);
    line->push_back('"');
  }
}

void Formatter::AppendCouponCreated(const Event& e, std::string* line) {
  const std::vector<Coupon>& coupons = sellers_[static_cast<size_t>(e.seller)].coupons;
  const auto it = std::lower_bound(coupons.begin(), coupons.end(), e.ref,
                                   [](const Coupon& c, int32_t no) { return c.no < no; });
  MKT_ASSERT(it != coupons.end() && it->no == e.ref, "coupon ", e.ref, " is gone");
  const Coupon& c = *it;
  StringField(line, "name", CouponName(c));
  StringField(line, "scope", c.products_scope ? "products" : "shop");
  if (c.products_scope) {
    Key(line, "product_ids");
    for (size_t i = 0; i < c.products.size(); ++i) {
      line->append(i == 0 ? "[\"" : ",\"");
      AppendProductId(line, e.seller, c.products[i]);
      line->push_back('"');
    }
    line->push_back(']');
  }
  StringField(line, "kind", c.discount ? "discount" : "threshold");
  if (c.discount) {
    Key(line, "pay_rate");
    line->push_back('"');
    AppendScaled(line, c.pay_rate_tenths, 1);
    if (c.pay_rate_tenths % 10 == 0) line->append(".0");  // always one decimal: "9.0"
    line->push_back('"');
  } else {
    MoneyField(line, "threshold", c.threshold_fen);
    MoneyField(line, "amount_off", c.amount_off_fen);
  }
  const std::array<std::pair<std::string_view, int64_t>, 4> windows = {
      {{"issue_from", c.issue_from_s},
       {"issue_to", c.issue_to_s},
       {"use_from", c.use_from_s},
       {"use_to", c.use_to_s}}};
  for (const auto& [key, at_s] : windows) {
    Key(line, key);
    line->push_back('"');
    times_.Append(line, at_s);
    line->push_back('"');
  }
  IntField(line, "total", c.total);
  IntField(line, "per_user_limit", c.per_user_limit);
  Key(line, "scenarios");
  bool first = true;
  for (size_t kind = 0; kind < kKindNames.size(); ++kind) {
    if ((c.scenarios >> kind & 1) == 0) continue;
    line->append(first ? "[\"" : ",\"").append(kKindNames[kind]).push_back('"');
    first = false;
  }
  line->push_back(']');
  BoolField(line, "visible", c.visible);
}

// Requested codes: initiator, release, reason, keep_reason + 1, remaining (refunds.cc);
// decided codes: by, rejection reason.
void Formatter::AppendRefundFields(const Event& e, std::string* line) {
  line->append(",\"refund_id\":\"rf-");
  AppendSellerId(line, e.seller);
  line->push_back('-');
  AppendUnsigned(line, static_cast<uint64_t>(e.order_no), 6);
  line->push_back('-');
  AppendUnsigned(line, static_cast<uint64_t>(e.ref), 1);
  line->push_back('"');
  const int by = CodeAt(e.detail, 0);
  if (e.type == Type::kRefundApproved || e.type == Type::kRefundRejected) {
    StringField(line, "by", kParties[static_cast<size_t>(by)]);
    if (e.type == Type::kRefundRejected) {
      StringField(line, "reason", kRefundRejectReasons[static_cast<size_t>(CodeAt(e.detail, 1))]);
    }
    return;
  }
  OrderIdField(line, e.seller, e.order_no);
  if (CodeAt(e.detail, 4) != 0) {
    StringField(line, "amount", "remaining");
  } else {
    MoneyField(line, "amount", e.amount_fen);
  }
  const auto reason = static_cast<size_t>(CodeAt(e.detail, 2));
  StringField(line, "initiator", by == 0 ? "buyer" : "seller");
  StringField(line, "reason", by == 0 ? kBuyerRefundReasons[reason] : kSellerRefundReasons[reason]);
  const int keep = CodeAt(e.detail, 3);
  StringField(line, "release", CodeAt(e.detail, 1) == 0 ? "immediate" : "keep");
  if (keep != 0) StringField(line, "keep_reason", kKeepReasons[static_cast<size_t>(keep - 1)]);
}

void Formatter::AppendInvoiceFields(const Event& e, std::string* line) {
  line->append(",\"invoice_id\":\"iv-");
  AppendSellerId(line, e.seller);
  line->push_back('-');
  AppendUnsigned(line, static_cast<uint64_t>(e.order_no), 6);
  line->push_back('"');
  switch (e.type) {
    case Type::kInvoiceRequested:
      AppendInvoiceRequested(e, line);
      return;
    case Type::kInvoiceIssued: {
      const auto carrier = static_cast<size_t>(CodeAt(e.detail, 0));
      Key(line, "invoice_no");
      line->push_back('"');
      AppendUnsigned(line, static_cast<uint64_t>(e.voucher_fen), 8);
      line->push_back('"');
      StringField(line, "carrier", kCarriers[carrier]);
      Key(line, "tracking_no");
      line->append("\"").append(kCarrierPrefixes[carrier]);
      AppendUnsigned(line, static_cast<uint64_t>(e.amount_fen), 12);
      line->push_back('"');
      return;
    }
    default:  // kInvoiceRejected
      StringField(line, "reason", kInvoiceRejectReasons[static_cast<size_t>(CodeAt(e.detail, 0))]);
      return;
  }
}

// Codes: invoice_type normal|special (invoices.cc). voucher_fen: an earlier order included.
void Formatter::AppendInvoiceRequested(const Event& e, std::string* line) {
  line->append(",\"buyer_id\":\"");
  AppendBuyerId(line, e.buyer);
  line->append("\",\"order_ids\":[\"");
  AppendOrderId(line, e.seller, e.order_no);
  if (e.voucher_fen != 0) {
    line->append("\",\"");
    AppendOrderId(line, e.seller, e.voucher_fen);
  }
  line->append("\"]");
  MoneyField(line, "amount", e.amount_fen);
  const bool special = CodeAt(e.detail, 0) == 1;
  StringField(line, "invoice_type", special ? "special" : "normal");
  StringField(line, "title", InvoiceTitle(e.buyer));
  if (IsCompany(e.buyer)) StringField(line, "tax_id", TaxId(e.buyer));
}

}  // namespace mkt::gen::detail
