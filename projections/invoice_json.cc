#include "projections/invoice_json.h"

#include "ledger/enum_names.h"
#include "ledger/money.h"

namespace mkt {
namespace {

Json Optional(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }

Json InvoiceJson(const fb::InvoiceRowT& r, TzOffset tz, Micros as_of) {
  return Json{{"invoice_id", r.invoice_id},
              {"buyer_id", r.buyer_id},
              {"order_ids", r.order_ids},
              {"amount", FormatMoney(Fen(r.amount))},
              {"invoice_type", SpecName(fb::EnumNameInvoiceType(r.invoice_type))},
              {"title", r.title},
              {"tax_id", Optional(r.tax_id)},
              {"status", SpecName(fb::EnumNameInvoiceStatus(r.status))},
              {"requested_at", FormatRfc3339(r.requested_at_us, tz)},
              {"due_at", FormatRfc3339(r.due_at_us, tz)},
              {"issued_at", r.issued_at_us ? Json(FormatRfc3339(*r.issued_at_us, tz)) : Json(nullptr)},
              {"overdue", IsOverdue(r, as_of)},
              {"postage", r.seller_pays_postage ? "seller_pays" : "cod_allowed"},
              {"needs_credit_note", r.needs_credit_note},
              {"reason", Optional(r.reason)},
              {"invoice_no", Optional(r.invoice_no)},
              {"carrier", Optional(r.carrier)},
              {"tracking_no", Optional(r.tracking_no)}};
}

}  // namespace

Json InvoiceListJson(const std::vector<fb::InvoiceRowT>& rows, TzOffset tz, Micros as_of) {
  Json invoices = Json::array();
  for (const fb::InvoiceRowT& row : rows) invoices.push_back(InvoiceJson(row, tz, as_of));
  return Json{{"invoices", std::move(invoices)}};
}

}  // namespace mkt
