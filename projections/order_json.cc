#include "projections/order_json.h"

#include <algorithm>
#include <cstdio>

#include "ledger/assert.h"
#include "ledger/enum_names.h"
#include "ledger/money.h"

namespace mkt {
namespace {

// The text of ROW is written directly (no DOM): the order list is the hot path
// of `serve`, and building nlohmann documents was half of its CPU. The Json
// functions below parse this text, so ROW has one definition. Escaping is
// nlohmann's dump(): `"`, `\\`, \b \f \n \r \t, other bytes below 0x20 as
// \u00xx; everything else (UTF-8, validated when decoded) as is.
void AppendString(std::string* out, std::string_view s) {
  out->push_back('"');
  for (const char c : s) {
    switch (c) {
      case '"': *out += "\\\""; break;
      case '\\': *out += "\\\\"; break;
      case '\b': *out += "\\b"; break;
      case '\f': *out += "\\f"; break;
      case '\n': *out += "\\n"; break;
      case '\r': *out += "\\r"; break;
      case '\t': *out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof(escaped), "\\u%04x", static_cast<unsigned>(c));
          *out += escaped;
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

// One JSON object being written: `{"k":v,...}`.
class Object {
 public:
  explicit Object(std::string* out) : out_(out) { out_->push_back('{'); }
  ~Object() { out_->push_back('}'); }
  Object(const Object&) = delete;
  Object& operator=(const Object&) = delete;

  std::string* Key(std::string_view key) {
    if (!first_) out_->push_back(',');
    first_ = false;
    AppendString(out_, key);
    out_->push_back(':');
    return out_;
  }
  void Str(std::string_view key, std::string_view value) { AppendString(Key(key), value); }
  void StrOrNull(std::string_view key, const std::string& value) {  // "" is absent
    if (value.empty()) {
      Null(key);
    } else {
      Str(key, value);
    }
  }
  void Int(std::string_view key, int64_t value) { *Key(key) += std::to_string(value); }
  void Null(std::string_view key) { *Key(key) += "null"; }
  void Money(std::string_view key, int64_t fen) { Str(key, FormatMoney(Fen(fen))); }
  void Time(std::string_view key, std::optional<Micros> at, TzOffset tz) {
    if (at) {
      Str(key, FormatRfc3339(*at, tz));
    } else {
      Null(key);
    }
  }

 private:
  std::string* out_;
  bool first_ = true;
};

void AppendDelivery(std::string* out, const fb::OrderRowT& row, TzOffset tz) {
  if (row.delivery_state == fb::DeliveryState::none) {
    *out += "null";
    return;
  }
  Object o(out);
  o.Str("template", row.delivery_template);
  o.Str("state", SpecName(fb::EnumNameDeliveryState(row.delivery_state)));
  o.StrOrNull("node", row.delivery_node);
  o.Time("service_start", row.service_start_us, tz);
}

void AppendSettlement(std::string* out, const fb::OrderRowT& row, const OrderSettlement& s, TzOffset tz,
                      Micros now) {
  const bool paid = row.status != fb::OrderStatus::unpaid && row.status != fb::OrderStatus::voided;
  const std::optional<Micros> eligible_at = s.eligible_at ? s.eligible_at : row.eligible_at_us;
  std::string_view state = paid && eligible_at && now >= *eligible_at ? "eligible" : "not_eligible";
  if (s.held_from) state = "held";
  if (s.settled) state = "settled";
  std::optional<int32_t> period = s.period;
  if (!period && eligible_at) period = LocalPeriod(*eligible_at, tz);
  Object o(out);
  o.Str("state", state);
  o.Time("eligible_at", eligible_at, tz);
  if (period) {
    o.Str("period", FormatPeriod(*period));
  } else {
    o.Null("period");
  }
  if (s.held_from) {
    o.Str("held_from", FormatPeriod(*s.held_from));
  } else {
    o.Null("held_from");
  }
}

// What was bought and through whom: the same fields, in the same order, on an
// order row and on the refund row listed under it.
void AppendTerms(Object& o, const fb::OrderRowT& row) {
  o.StrOrNull("spec", row.spec);
  o.StrOrNull("period", row.period);
  o.Int("quantity", row.quantity);
  o.Str("channel", SpecName(fb::EnumNameChannel(row.channel)));
  o.StrOrNull("reseller_id", row.reseller_id);
  if (row.reseller_rate_bp) {
    o.Int("reseller_rate_bp", *row.reseller_rate_bp);
  } else {
    o.Null("reseller_rate_bp");
  }
}

void AppendOrderRow(std::string* out, const fb::OrderRowT& row, const OrderSettlement& settlement, TzOffset tz,
                    Micros now) {
  const int64_t payable = row.price - row.discount;
  // Below zero only when a refund came after invoicing (the invoice then needs a
  // credit note); nothing more can be invoiced.
  const int64_t invoiceable = std::max<int64_t>(0, row.paid_cash - row.refunded_cash - row.invoiced);
  Object o(out);
  o.Str("order_id", row.order_id);
  o.Str("seller_id", row.seller_id);
  o.Str("product_id", row.product_id);
  o.Str("product_name", row.product_name);
  o.Str("buyer_id", row.buyer_id);
  o.Str("kind", SpecName(fb::EnumNameOrderKind(row.kind)));
  AppendTerms(o, row);
  o.Str("status", SpecName(fb::EnumNameOrderStatus(row.status)));
  o.Money("list_price", row.list_price);
  o.Money("price", row.price);
  o.Money("discount", row.discount);
  o.Money("payable", payable);
  o.Money("paid_cash", row.paid_cash);
  o.Money("paid_voucher", row.paid_voucher);
  o.Money("refunded", row.refunded);
  o.Money("invoiced", row.invoiced);
  o.Money("invoiceable", invoiceable);
  o.Str("placed_at", FormatRfc3339(row.placed_at_us, tz));
  o.Time("paid_at", row.paid_at_us, tz);
  o.Str("expires_at", FormatRfc3339(row.expires_at_us, tz));
  o.StrOrNull("coupon_id", row.coupon_id);
  AppendDelivery(o.Key("delivery"), row, tz);
  AppendSettlement(o.Key("settlement"), row, settlement, tz, now);
}

void AppendRefundListRow(std::string* out, const fb::OrderRowT& order, const fb::RefundRowT& refund, TzOffset tz) {
  MKT_ASSERT(refund.decided_at_us.has_value(), "refund row before approval");
  const std::string approved_at = FormatRfc3339(*refund.decided_at_us, tz);
  Object o(out);
  o.Str("order_id", order.order_id);
  o.Str("refund_id", refund.refund_id);
  o.Money("amount", -refund.amount);
  o.Str("seller_id", order.seller_id);
  o.Str("product_id", order.product_id);
  o.Str("product_name", order.product_name);
  o.Str("buyer_id", order.buyer_id);
  o.Str("kind", "refund");
  AppendTerms(o, order);
  o.Str("status", "approved");
  for (const char* zero : {"list_price", "price", "discount"}) o.Money(zero, 0);
  o.Money("payable", -refund.amount);
  o.Money("paid_cash", -refund.cash);
  o.Money("paid_voucher", -refund.voucher);
  for (const char* zero : {"refunded", "invoiced", "invoiceable"}) o.Money(zero, 0);
  o.Str("placed_at", approved_at);
  o.Str("paid_at", approved_at);
  for (const char* absent : {"expires_at", "coupon_id", "delivery", "settlement"}) o.Null(absent);
}

Json OrNull(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }
Json Money(int64_t fen) { return FormatMoney(Fen(fen)); }
Json Time(std::optional<Micros> at, TzOffset tz) {
  return at ? Json(FormatRfc3339(*at, tz)) : Json(nullptr);
}

}  // namespace

Json OrderRowJson(const fb::OrderRowT& row, const OrderSettlement& settlement, TzOffset tz,
                  Micros now) {
  std::string text;
  AppendOrderRow(&text, row, settlement, tz, now);
  return Json::parse(text);
}

Json RefundJson(const fb::RefundRowT& r, TzOffset tz) {
  const bool approved = r.status == fb::RefundStatus::approved;
  return Json{{"refund_id", r.refund_id},
              {"order_id", r.order_id},
              {"amount", Money(r.amount)},
              {"initiator", SpecName(fb::EnumNameInitiator(r.initiator))},
              {"status", SpecName(fb::EnumNameRefundStatus(r.status))},
              {"requested_at", FormatRfc3339(r.requested_at_us, tz)},
              {"decided_at", Time(r.decided_at_us, tz)},
              {"by", OrNull(r.by)},
              {"cash", approved ? Money(r.cash) : Json(nullptr)},
              {"voucher", approved ? Money(r.voucher) : Json(nullptr)},
              {"release", SpecName(fb::EnumNameRelease(r.release))},
              {"reason", r.reason}};
}

Json RefundListRowJson(const fb::OrderRowT& order, const fb::RefundRowT& refund, TzOffset tz) {
  std::string text;
  AppendRefundListRow(&text, order, refund, tz);
  return Json::parse(text);
}

Json OrderDetailJson(const OrderDetail& detail, TzOffset tz, Micros now) {
  Json history = Json::array();
  for (const fb::HistoryEntryT& h : detail.history) {
    history.push_back(Json{{"seq", h.seq},
                           {"type", h.type},
                           {"at", FormatRfc3339(h.at_us, tz)},
                           {"event_id", h.event_id}});
  }
  Json refunds = Json::array();
  for (const fb::RefundRowT& r : detail.refunds) refunds.push_back(RefundJson(r, tz));
  return Json{{"order", OrderRowJson(detail.row, detail.settlement, tz, now)},
              {"history", std::move(history)},
              {"refunds", std::move(refunds)}};
}

std::string OrderPageText(const OrderListPage& page, TzOffset tz, Micros now) {
  std::string out;
  out.reserve(page.rows.size() * 1024 + 64);
  {
    Object o(&out);  // closes the object when it goes out of scope
    std::string* rows = o.Key("orders");
    rows->push_back('[');
    for (size_t i = 0; i < page.rows.size(); ++i) {
      if (i > 0) rows->push_back(',');
      const OrderListEntry& e = page.rows[i];
      if (e.refund) {
        AppendRefundListRow(rows, e.order, *e.refund, tz);
      } else {
        AppendOrderRow(rows, e.order, e.settlement, tz, now);
      }
    }
    rows->push_back(']');
    if (page.next_cursor) {
      o.Str("next_cursor", *page.next_cursor);
    } else {
      o.Null("next_cursor");
    }
  }
  return out;
}

Json OrderPageJson(const OrderListPage& page, TzOffset tz, Micros now) {
  return Json::parse(OrderPageText(page, tz, now));
}

}  // namespace mkt
