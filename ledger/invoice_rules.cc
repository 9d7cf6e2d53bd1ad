// LEDGER.md section 6: the seller invoices buyers for cash paid. An invoice
// request is allocated to its orders in the listed order; a rejection gives the
// allocation back; a refund after issue that leaves an order invoiced above its
// cash net flags the invoice for a credit note.
#include <algorithm>
#include <set>
#include <string>

#include "ledger/enum_names.h"
#include "ledger/rules.h"

namespace mkt {
namespace {

// cash paid - cash refunded - non-rejected requests; negative once a refund
// came after invoicing (that is what needs a credit note).
Fen Invoiceable(const fb::OrderStateT& order) {
  return Fen(order.paid_cash) - Fen(order.refunded_cash) - Fen(order.invoiced);
}

bool IsWorkingDay(int32_t day, const Policy& policy) {
  const int32_t weekday = ((day % 7) + 10) % 7;  // 0 = Monday; 1970-01-01 (day 0) was a Thursday
  if (weekday >= 5) return false;
  return !std::binary_search(policy.holidays.begin(), policy.holidays.end(), day);
}

// Every order must be this seller's, paid, and the buyer's; each listed once.
Check CheckOrders(const fb::InvoiceRequested& e, RuleContext& ctx,
                  std::vector<const fb::OrderStateT*>* orders) {
  std::set<std::string_view> seen;
  for (const flatbuffers::String* id : *e.order_ids()) {
    if (!seen.insert(id->string_view()).second) {
      return Rejection{Code::kMalformed, "field order_ids: " + Quoted(id->string_view()) + " is listed twice"};
    }
    const fb::OrderStateT* order = nullptr;
    if (auto r = FindOrder(ctx, id->string_view(), &order)) return r;
    if (!order->paid_at_us || order->status == fb::OrderStatus::voided) {
      return Rejection{Code::kOrderNotPaid, "field order_ids: order " + Quoted(id->string_view()) + " is not paid"};
    }
    if (order->buyer_id != e.buyer_id()->string_view()) {
      return Rejection{Code::kInvoiceBuyerMismatch, "field order_ids: order " + Quoted(id->string_view()) +
                                                        " belongs to buyer " + Quoted(order->buyer_id)};
    }
    orders->push_back(order);
  }
  if (orders->empty()) return Rejection{Code::kMissingField, "field order_ids: must name at least one order"};
  return std::nullopt;
}

Check CheckRequest(const fb::InvoiceRequested& e, RuleContext& ctx,
                   std::vector<const fb::OrderStateT*>* orders) {
  const std::string_view id = e.invoice_id()->string_view();
  if (ctx.state.invoices.Find(ctx.seller_id, id) != nullptr) {
    return Rejection{Code::kInvoiceExists, "field invoice_id: " + Quoted(id) + " already exists"};
  }
  if (e.invoice_type() == fb::InvoiceType::special && (e.tax_id() == nullptr || e.tax_id()->size() == 0)) {
    return Rejection{Code::kMissingField, "field tax_id: is required for a special (VAT) invoice"};
  }
  if (e.amount() <= 0) return Rejection{Code::kMalformed, "field amount: must be above 0"};
  if (auto r = CheckOrders(e, ctx, orders)) return r;
  Fen available(0);
  for (const fb::OrderStateT* order : *orders) available += std::max(Fen(0), Invoiceable(*order));
  if (Fen(e.amount()) > available) {
    return Rejection{Code::kInvoiceExceedsInvoiceable, "field amount: " + FormatMoney(Fen(e.amount())) +
                                                           " exceeds the invoiceable " + FormatMoney(available)};
  }
  return std::nullopt;
}

Check InvoiceRequested(const fb::InvoiceRequested& e, RuleContext& ctx) {
  std::vector<const fb::OrderStateT*> orders;
  if (auto r = CheckRequest(e, ctx, &orders)) return r;
  const std::string_view id = e.invoice_id()->string_view();
  fb::InvoiceStateT* invoice = ctx.state.invoices.Mutable(ctx.seller_id, id);
  Fen left(e.amount());
  for (size_t i = 0; i < orders.size(); ++i) {  // allocate in the listed order
    const std::string order_id = e.order_ids()->Get(i)->str();
    const Fen share = std::min(left, std::max(Fen(0), Invoiceable(*orders[i])));
    left -= share;
    fb::OrderStateT* order = ctx.state.orders.Mutable(ctx.seller_id, order_id);
    order->invoiced = (Fen(order->invoiced) + share).value();
    order->invoice_ids.push_back(std::string(id));
    order->last_at_us = ctx.at;
    invoice->order_ids.push_back(order_id);
    invoice->amounts.push_back(share.value());
    auto allocation = std::make_unique<fb::InvoiceAllocationT>();
    allocation->order_id = order_id;
    allocation->amount = share.value();
    ctx.derived.invoice_allocations.push_back(std::move(allocation));
  }
  MKT_ASSERT(left == Fen(0), "invoice allocation left ", left.value());
  invoice->status = fb::InvoiceStatus::requested;
  invoice->last_at_us = ctx.at;
  ctx.derived.invoice_due_at_us = AddWorkingDays(ctx.at, ctx.policy.invoice_sla_working_days, ctx.policy);
  // Strictly above the threshold the seller pays the postage.
  ctx.derived.seller_pays_postage = Fen(e.amount()) > ctx.policy.invoice_seller_pays_postage_above;
  return std::nullopt;
}

// Issued or rejected: only a pending request; a rejection frees its allocation.
Check InvoiceDecided(const fb::InputEvent& event, std::string_view id, RuleContext& ctx) {
  const fb::InvoiceStateT* invoice = ctx.state.invoices.Find(ctx.seller_id, id);
  if (invoice == nullptr) {
    return Rejection{Code::kUnknownInvoice, "field invoice_id: " + Quoted(id) + " is not an invoice of this seller"};
  }
  if (ctx.at < invoice->last_at_us) {
    return Rejection{Code::kOutOfOrder, "field at: earlier than the latest accepted event of invoice " + Quoted(id)};
  }
  if (invoice->status != fb::InvoiceStatus::requested) {
    return Rejection{Code::kInvoiceNotPending, "field invoice_id: " + Quoted(id) + " is already " +
                                                   std::string(SpecName(fb::EnumNameInvoiceStatus(invoice->status)))};
  }
  const bool rejected = event.event_type() == fb::Event::InvoiceRejected;
  fb::InvoiceStateT* mutable_invoice = ctx.state.invoices.Mutable(ctx.seller_id, id);
  for (size_t i = 0; i < mutable_invoice->order_ids.size(); ++i) {
    auto allocation = std::make_unique<fb::InvoiceAllocationT>();
    allocation->order_id = mutable_invoice->order_ids[i];
    allocation->amount = mutable_invoice->amounts[i];
    ctx.derived.invoice_allocations.push_back(std::move(allocation));
    if (!rejected) continue;
    fb::OrderStateT* order = ctx.state.orders.Mutable(ctx.seller_id, mutable_invoice->order_ids[i]);
    order->invoiced = (Fen(order->invoiced) - Fen(mutable_invoice->amounts[i])).value();
  }
  mutable_invoice->status = rejected ? fb::InvoiceStatus::rejected : fb::InvoiceStatus::issued;
  mutable_invoice->last_at_us = ctx.at;
  return std::nullopt;
}

}  // namespace

Micros AddWorkingDays(Micros at, int32_t days, const Policy& policy) {
  int32_t day = LocalDay(at, policy.timezone);
  const Micros time_of_day = at - StartOfLocalDay(day, policy.timezone);
  for (int32_t counted = 0; counted < days;) {
    ++day;
    if (IsWorkingDay(day, policy)) ++counted;
  }
  return StartOfLocalDay(day, policy.timezone) + time_of_day;
}

void FlagCreditNotes(RuleContext& ctx, fb::OrderStateT* order) {
  if (Invoiceable(*order) >= Fen(0)) return;
  for (const std::string& id : order->invoice_ids) {
    const fb::InvoiceStateT* invoice = ctx.state.invoices.Find(ctx.seller_id, id);
    if (invoice == nullptr || invoice->status != fb::InvoiceStatus::issued || invoice->needs_credit_note) continue;
    ctx.state.invoices.Mutable(ctx.seller_id, id)->needs_credit_note = true;
    ctx.derived.credit_note_invoice_ids.push_back(id);
  }
}

Check ApplyInvoiceEvent(const fb::InputEvent& event, RuleContext& ctx) {
  switch (event.event_type()) {
    case fb::Event::InvoiceRequested: return InvoiceRequested(*event.event_as_InvoiceRequested(), ctx);
    case fb::Event::InvoiceIssued:
      return InvoiceDecided(event, event.event_as_InvoiceIssued()->invoice_id()->string_view(), ctx);
    case fb::Event::InvoiceRejected:
      return InvoiceDecided(event, event.event_as_InvoiceRejected()->invoice_id()->string_view(), ctx);
    case fb::Event::PlatformInvoiceReceived:
      // Recorded for settlement (payout_held); the amount is checked by the decoder.
      return std::nullopt;
    default: MKT_ASSERT(false, "not an invoice event");
  }
  return std::nullopt;
}

}  // namespace mkt
