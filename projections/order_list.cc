#include "projections/order_list.h"

#include "ledger/enum_names.h"
#include "ledger/hash.h"
#include "ledger/keys.h"
#include "ledger/limits.h"

namespace mkt {
namespace {

std::string_view Str(const flatbuffers::String* s) { return s ? s->string_view() : ""; }

std::string HistoryKey(std::string_view seller_id, std::string_view order_id, uint64_t seq) {
  std::string key = keys::Scoped(seller_id, order_id);
  key.push_back('\0');
  keys::AppendU64(&key, seq);
  return key;
}

std::string HistoryValue(const AcceptedRecord& r) {
  flatbuffers::FlatBufferBuilder b(128);
  b.Finish(fb::CreateHistoryEntryDirect(b, r.seq, EventTypeName(r.input->event_type()).data(),
                                        r.input->at_us(), r.input->event_id()->c_str()));
  return {reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize()};
}

// The orders an event belongs to: one for order events, the allocated ones for
// invoice events, none for others.
std::string_view SingleOrderIdOf(const AcceptedRecord& r) {
  const fb::InputEvent& e = *r.input;
  switch (e.event_type()) {
    case fb::Event::OrderPlaced: return Str(e.event_as_OrderPlaced()->order_id());
    case fb::Event::OrderPriceChanged: return Str(e.event_as_OrderPriceChanged()->order_id());
    case fb::Event::OrderPaid: return Str(e.event_as_OrderPaid()->order_id());
    case fb::Event::OrderVoided: return Str(e.event_as_OrderVoided()->order_id());
    case fb::Event::CouponRedeemed: return Str(e.event_as_CouponRedeemed()->order_id());
    case fb::Event::CouponReleased: return Str(e.event_as_CouponReleased()->order_id());
    case fb::Event::RefundRequested: return Str(e.event_as_RefundRequested()->order_id());
    case fb::Event::DeliveryStep: return Str(e.event_as_DeliveryStep()->order_id());
    case fb::Event::ReviewPosted: return Str(e.event_as_ReviewPosted()->order_id());
    case fb::Event::RefundApproved:
    case fb::Event::RefundRejected: return Str(r.record->derived()->order_id());
    default: return {};
  }
}

// Delivery and eligibility facts the ledger derived (OrderPaid, DeliveryStep,
// an approved release=immediate refund), whatever the event type.
std::vector<std::string_view> OrderIdsOf(const AcceptedRecord& r) {
  std::vector<std::string_view> ids;
  const fb::Derived* d = r.record->derived();
  if (d != nullptr && d->invoice_allocations() != nullptr) {
    for (const fb::InvoiceAllocation* a : *d->invoice_allocations()) ids.push_back(a->order_id()->string_view());
    return ids;
  }
  const std::string_view id = SingleOrderIdOf(r);
  if (!id.empty()) ids.push_back(id);
  return ids;
}

void ApplyDeliveryFacts(const fb::Derived* d, fb::OrderRowT* row) {
  if (d == nullptr) return;
  if (d->delivery_state()) row->delivery_state = *d->delivery_state();
  if (d->delivery_node() != nullptr) row->delivery_node = d->delivery_node()->str();
  if (d->eligible_at_us()) row->eligible_at_us = d->eligible_at_us();
  if (d->service_start_us()) row->service_start_us = d->service_start_us();
}

}  // namespace

std::string OrderTimeKey(std::string_view seller_id, Micros placed_at, std::string_view order_id) {
  std::string key = keys::Scoped(seller_id, "");
  keys::AppendU64(&key, ~static_cast<uint64_t>(placed_at));
  // Inverted id bytes then 0xff: equal times list order_id descending, and a
  // longer id sorts before its prefix (ids never contain 0x00, so ~b != 0xff).
  for (char c : order_id) key.push_back(static_cast<char>(~static_cast<uint8_t>(c)));
  key.push_back('\xff');
  return key;
}

std::string RefundTimeKey(std::string_view seller_id, Micros approved_at,
                          std::string_view refund_id) {
  return OrderTimeKey(seller_id, approved_at, std::string(refund_id) + "/");
}

std::vector<std::string> OrderListProjection::Families() {
  return {kCfOrders, kCfOrdersByTime, kCfOrderIds, kCfOrderHistory, kCfRefunds};
}

OrderListProjection::OrderListProjection(Store* store)
    : store_(store), rows_(store, kCfOrders, ""), refunds_(store, kCfRefunds, "") {}

void OrderListProjection::Apply(std::span<const AcceptedRecord> records,
                                rocksdb::WriteBatch* batch) {
  for (const AcceptedRecord& record : records) ApplyOne(record, batch);
  rows_.Flush(batch);
  refunds_.Flush(batch);
  rows_.Trim(limits::kStateCacheEntriesMax);
  refunds_.Trim(limits::kStateCacheEntriesMax);
}

void OrderListProjection::ApplyRefund(const AcceptedRecord& r, fb::OrderRowT* row,
                                      rocksdb::WriteBatch* batch) {
  const fb::InputEvent& e = *r.input;
  const fb::Derived* d = r.record->derived();
  const std::string_view seller = e.seller_id()->string_view();
  if (e.event_type() == fb::Event::RefundRequested) {
    const auto* req = e.event_as_RefundRequested();
    fb::RefundRowT* refund = refunds_.Mutable(seller, row->order_id + '\0' + req->refund_id()->str());
    refund->refund_id = req->refund_id()->str();
    refund->order_id = row->order_id;
    refund->amount = *d->refund_amount();
    refund->initiator = req->initiator();
    refund->release = req->release();
    refund->status = fb::RefundStatus::pending;
    refund->requested_at_us = e.at_us();
    refund->reason = req->reason()->str();
    return;
  }
  const bool approved = e.event_type() == fb::Event::RefundApproved;
  const std::string refund_id = approved ? e.event_as_RefundApproved()->refund_id()->str()
                                         : e.event_as_RefundRejected()->refund_id()->str();
  fb::RefundRowT* refund = refunds_.Mutable(seller, row->order_id + '\0' + refund_id);
  MKT_ASSERT(!refund->refund_id.empty(), "decision on an unseen refund ", refund_id);
  refund->decided_at_us = e.at_us();
  refund->by = approved ? SpecName(fb::EnumNameApprover(e.event_as_RefundApproved()->by()))
                        : SpecName(fb::EnumNameDecider(e.event_as_RefundRejected()->by()));
  refund->status = approved ? fb::RefundStatus::approved : fb::RefundStatus::rejected;
  if (!approved) return;
  refund->cash = *d->refund_cash();
  refund->voucher = *d->refund_voucher();
  row->refunded += refund->amount;
  row->refunded_cash += refund->cash;
  row->status = row->refunded == row->paid_cash + row->paid_voucher
                    ? fb::OrderStatus::refunded
                    : fb::OrderStatus::partially_refunded;
  flatbuffers::FlatBufferBuilder b(128);
  b.Finish(fb::CreateOrderIndexEntryDirect(b, fb::RowType::refund, row->order_id.c_str(),
                                           refund_id.c_str(), row->product_id.c_str(),
                                           row->buyer_id.c_str(), row->kind, row->channel));
  batch->Put(store_->cf(kCfOrdersByTime), RefundTimeKey(seller, e.at_us(), refund_id),
             rocksdb::Slice(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize()));
}

void OrderListProjection::PlaceOrder(const AcceptedRecord& r, rocksdb::WriteBatch* batch) {
  const auto* e = r.input->event_as_OrderPlaced();
  const fb::Derived* d = r.record->derived();
  MKT_ASSERT(d != nullptr && d->expires_at_us().has_value(), "OrderPlaced without derived facts");
  const std::string_view seller = r.input->seller_id()->string_view();
  fb::OrderRowT* row = rows_.Mutable(seller, e->order_id()->string_view());
  row->order_id = e->order_id()->str();
  row->seller_id = std::string(seller);
  row->product_id = e->product_id()->str();
  row->product_name = Str(d->product_name());
  row->buyer_id = e->buyer_id()->str();
  row->kind = e->kind();
  row->spec = Str(e->spec());
  row->period = Str(e->period());
  row->quantity = e->quantity();
  row->channel = e->channel();
  row->reseller_id = Str(e->reseller_id());
  row->reseller_rate_bp = d->reseller_rate_bp();
  row->platform_fee_bp = d->platform_fee_bp().value_or(0);
  row->status = fb::OrderStatus::unpaid;
  row->list_price = row->price = e->list_price();
  row->placed_at_us = r.input->at_us();
  row->expires_at_us = *d->expires_at_us();
  row->delivery_template = Str(d->delivery_template());

  flatbuffers::FlatBufferBuilder b(128);
  b.Finish(fb::CreateOrderIndexEntryDirect(b, fb::RowType::order, row->order_id.c_str(),
                                           nullptr, row->product_id.c_str(), row->buyer_id.c_str(),
                                           row->kind, row->channel));
  batch->Put(store_->cf(kCfOrdersByTime), OrderTimeKey(seller, row->placed_at_us, row->order_id),
             rocksdb::Slice(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize()));
  batch->Put(store_->cf(kCfOrderIds), keys::Scoped(row->order_id, seller), "");
}

void OrderListProjection::ApplyOne(const AcceptedRecord& r, rocksdb::WriteBatch* batch) {
  for (std::string_view order_id : OrderIdsOf(r)) ApplyToOrder(r, order_id, batch);
}

void OrderListProjection::ApplyToOrder(const AcceptedRecord& r, std::string_view order_id,
                                       rocksdb::WriteBatch* batch) {
  const std::string_view seller = r.input->seller_id()->string_view();
  const fb::Derived* d = r.record->derived();
  batch->Put(store_->cf(kCfOrderHistory), HistoryKey(seller, order_id, r.seq), HistoryValue(r));
  if (r.input->event_type() == fb::Event::OrderPlaced) return PlaceOrder(r, batch);

  fb::OrderRowT* row = rows_.Mutable(seller, order_id);
  MKT_ASSERT(!row->order_id.empty(), "event for an order the projection never saw: ", order_id);
  switch (r.input->event_type()) {
    case fb::Event::OrderPriceChanged:
      row->price = r.input->event_as_OrderPriceChanged()->new_price();
      break;
    case fb::Event::OrderPaid: {
      const auto* e = r.input->event_as_OrderPaid();
      row->status = fb::OrderStatus::paid;
      row->paid_at_us = r.input->at_us();
      row->paid_cash = e->cash();
      row->paid_voucher = e->voucher();
      break;
    }
    case fb::Event::OrderVoided:
      row->status = fb::OrderStatus::voided;
      row->coupon_id.clear();
      row->discount = 0;
      break;
    case fb::Event::CouponRedeemed:
      MKT_ASSERT(d != nullptr && d->discount().has_value(), "CouponRedeemed without discount");
      row->coupon_id = r.input->event_as_CouponRedeemed()->coupon_id()->str();
      row->discount = *d->discount();
      break;
    case fb::Event::CouponReleased:
      row->coupon_id.clear();
      row->discount = 0;
      break;
    case fb::Event::RefundRequested:
    case fb::Event::RefundApproved:
    case fb::Event::RefundRejected: ApplyRefund(r, row, batch); break;
    case fb::Event::InvoiceRequested:
    case fb::Event::InvoiceRejected: {
      const int64_t sign = r.input->event_type() == fb::Event::InvoiceRequested ? 1 : -1;
      for (const fb::InvoiceAllocation* a : *d->invoice_allocations()) {
        if (a->order_id()->string_view() == order_id) row->invoiced += sign * a->amount();
      }
      break;
    }
    default: break;
  }
  ApplyDeliveryFacts(d, row);
}

}  // namespace mkt
