#include "projections/invoice_list.h"

#include "ledger/enum_names.h"
#include "ledger/keys.h"
#include "ledger/limits.h"
#include "projections/scan.h"

namespace mkt {

bool IsOverdue(const fb::InvoiceRowT& row, Micros as_of) {
  return row.status == fb::InvoiceStatus::requested && as_of > row.due_at_us;
}

void InvoiceListProjection::Apply(std::span<const AcceptedRecord> records,
                                  rocksdb::WriteBatch* batch) {
  for (const AcceptedRecord& record : records) ApplyOne(record);
  rows_.Flush(batch);
  rows_.Trim(limits::kStateCacheEntriesMax);
}

void InvoiceListProjection::ApplyOne(const AcceptedRecord& r) {
  const fb::InputEvent& e = *r.input;
  const std::string_view seller = e.seller_id()->string_view();
  const fb::Derived* d = r.record->derived();
  switch (e.event_type()) {
    case fb::Event::InvoiceRequested: {
      const auto* q = e.event_as_InvoiceRequested();
      fb::InvoiceRowT* row = rows_.Mutable(seller, q->invoice_id()->string_view());
      row->invoice_id = q->invoice_id()->str();
      row->buyer_id = q->buyer_id()->str();
      for (const flatbuffers::String* id : *q->order_ids()) row->order_ids.push_back(id->str());
      row->amount = q->amount();
      row->invoice_type = q->invoice_type();
      row->title = q->title()->str();
      row->tax_id = q->tax_id() != nullptr ? q->tax_id()->str() : "";
      row->status = fb::InvoiceStatus::requested;
      row->requested_at_us = e.at_us();
      row->due_at_us = *d->invoice_due_at_us();
      row->seller_pays_postage = d->seller_pays_postage().value_or(false);
      return;
    }
    case fb::Event::InvoiceIssued: {
      const auto* q = e.event_as_InvoiceIssued();
      fb::InvoiceRowT* row = rows_.Mutable(seller, q->invoice_id()->string_view());
      row->status = fb::InvoiceStatus::issued;
      row->issued_at_us = row->decided_at_us = e.at_us();
      row->invoice_no = q->invoice_no()->str();
      row->carrier = q->carrier()->str();
      row->tracking_no = q->tracking_no()->str();
      return;
    }
    case fb::Event::InvoiceRejected: {
      const auto* q = e.event_as_InvoiceRejected();
      fb::InvoiceRowT* row = rows_.Mutable(seller, q->invoice_id()->string_view());
      row->status = fb::InvoiceStatus::rejected;
      row->decided_at_us = e.at_us();
      row->reason = q->reason()->str();
      return;
    }
    case fb::Event::RefundApproved:
      if (d == nullptr || d->credit_note_invoice_ids() == nullptr) return;
      for (const flatbuffers::String* id : *d->credit_note_invoice_ids()) {
        rows_.Mutable(seller, id->string_view())->needs_credit_note = true;
      }
      return;
    default: return;
  }
}

std::vector<fb::InvoiceRowT> InvoiceListProjection::List(std::string_view seller_id,
                                                         std::optional<std::string> status,
                                                         Micros as_of) const {
  std::vector<fb::InvoiceRowT> rows =
      ReadPrefix<fb::InvoiceRow>(*store_, kCfInvoices, keys::Scoped(seller_id, ""));
  if (!status) return rows;
  std::erase_if(rows, [&](const fb::InvoiceRowT& row) {
    return *status == "overdue" ? !IsOverdue(row, as_of)
                                : SpecName(fb::EnumNameInvoiceStatus(row.status)) != *status;
  });
  return rows;
}

}  // namespace mkt
