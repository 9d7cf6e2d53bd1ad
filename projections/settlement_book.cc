#include "projections/settlement_book.h"

#include "ledger/keys.h"
#include "ledger/limits.h"

namespace mkt {
namespace {

std::string_view Str(const flatbuffers::String* s) { return s ? s->string_view() : ""; }

template <typename T>
std::string Pack(const T& native) {
  flatbuffers::FlatBufferBuilder b(256);
  b.Finish(T::TableType::Pack(b, &native));
  return {reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize()};
}

template <typename Table>
typename Table::NativeTableType Unpack(std::string_view bytes) {
  flatbuffers::Verifier verifier(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  MKT_ASSERT(verifier.VerifyBuffer<Table>(nullptr), "corrupt settlement record");
  typename Table::NativeTableType native;
  flatbuffers::GetRoot<Table>(bytes.data())->UnPackTo(&native);
  return native;
}

std::string Tagged(char tag, std::string_view rest) {
  std::string key(1, tag);
  key.append(rest);
  return key;
}

Fen Net(const fb::SettlementOrderT& o) { return Fen(o.paid) - Fen(o.refunded); }

fb::SettlementFigures Formulas(const fb::SettlementOrderT& o) {
  return LineFormulas(Net(o), Fen(o.paid_voucher) - Fen(o.refunded_voucher), o.platform_fee_bp,
                      o.reseller_rate_bp);
}

fb::SettlementFigures SumOfLines(const fb::SettlementOrderT& o) {
  fb::SettlementFigures sum;
  for (const auto& line : o.lines) sum = Add(sum, *line->figures);
  return sum;
}

bool Blocked(const fb::SettlementOrderT& o) { return o.pending_refunds > 0 || o.appeal_open; }

}  // namespace

void Overlay::Scan(const Store& store, rocksdb::ColumnFamilyHandle* family,
                   std::string_view prefix,
                   const std::function<void(std::string_view, std::string_view)>& fn) const {
  std::unique_ptr<rocksdb::Iterator> it(store.db()->NewIterator(rocksdb::ReadOptions(), family));
  it->Seek(rocksdb::Slice(prefix.data(), prefix.size()));
  auto mine = pending_.lower_bound(prefix);
  auto in_prefix = [&](std::string_view key) { return key.starts_with(prefix); };
  while (true) {
    const bool store_live = it->Valid() && in_prefix(it->key().ToStringView());
    const bool mine_live = mine != pending_.end() && in_prefix(mine->first);
    if (!store_live && !mine_live) break;
    const int order = !store_live ? 1
                      : !mine_live ? -1
                                   : it->key().ToStringView().compare(mine->first);
    if (order < 0) {
      fn(it->key().ToStringView(), it->value().ToStringView());
      it->Next();
      continue;
    }
    if (mine->second) fn(mine->first, *mine->second);  // the batch's own value wins
    if (order == 0) it->Next();
    ++mine;
  }
  MKT_ASSERT(it->status().ok(), "settlement scan failed: ", it->status().ToString());
}

void Overlay::Flush(rocksdb::WriteBatch* batch, rocksdb::ColumnFamilyHandle* family) {
  for (const auto& [key, value] : pending_) {
    if (value) {
      batch->Put(family, key, *value);
    } else {
      batch->Delete(family, key);
    }
  }
  pending_.clear();
}

std::string PeriodBytes(int32_t period) {
  std::string bytes;
  keys::AppendU32(&bytes, static_cast<uint32_t>(period));
  return bytes;
}

std::string LinePrefix(std::string_view seller_id, int32_t period) {
  return Tagged('L', keys::Scoped(seller_id, PeriodBytes(period)));
}

std::string LineKey(std::string_view seller_id, const fb::SettlementLineT& line) {
  std::string key = LinePrefix(seller_id, line.period);
  key += line.order_id;
  key.push_back('\0');
  keys::AppendU32(&key, line.line_no);
  return key;
}

SettlementProjection::Book::Book(Store* store, TzOffset tz)
    : store_(store),
      tz_(tz),
      family_(store->cf(kCfSettlement)),
      reseller_family_(store->cf(kCfResellerSettlement)),
      orders_(store, kCfSettlement, "O"),
      statements_(store, kCfSettlement, "S"),
      sellers_(store, kCfSettlement, "M"),
      invoices_(store, kCfSettlement, "I"),
      reseller_statements_(store, kCfResellerSettlement, "S") {}

void SettlementProjection::Book::OnRecord(const AcceptedRecord& r) {
  const fb::InputEvent& e = *r.input;
  const fb::Derived* d = r.record->derived();
  const std::string_view seller = e.seller_id()->string_view();
  switch (e.event_type()) {
    case fb::Event::OrderPlaced: return Placed(r);
    case fb::Event::OrderPaid: {
      const auto* paid = e.event_as_OrderPaid();
      fb::SettlementOrderT* o = orders_.Mutable(seller, paid->order_id()->string_view());
      o->paid = (Fen(paid->cash()) + Fen(paid->voucher())).value();
      o->paid_voucher = paid->voucher();
      if (d != nullptr && d->eligible_at_us()) {
        Eligible(seller, paid->order_id()->string_view(), *d->eligible_at_us());
      }
      return;
    }
    case fb::Event::RefundRequested:
    case fb::Event::RefundApproved:
    case fb::Event::RefundRejected: return RefundEvent(r);
    case fb::Event::DeliveryStep: return DeliveryEvent(r);
    case fb::Event::SettlementClosed: return Close(r);
    case fb::Event::PlatformInvoiceReceived: {
      const auto* received = e.event_as_PlatformInvoiceReceived();
      fb::PlatformInvoicesT* inv = invoices_.Mutable(seller, PeriodBytes(received->period()));
      inv->received = (Fen(inv->received) + Fen(received->amount())).value();
      return;
    }
    default: return;
  }
}

void SettlementProjection::Book::Placed(const AcceptedRecord& r) {
  const auto* placed = r.input->event_as_OrderPlaced();
  const fb::Derived* d = r.record->derived();
  MKT_ASSERT(d != nullptr && d->platform_fee_bp(), "OrderPlaced without its fee rate");
  fb::SettlementOrderT* o =
      orders_.Mutable(r.input->seller_id()->string_view(), placed->order_id()->string_view());
  o->platform_fee_bp = *d->platform_fee_bp();
  if (d->reseller_rate_bp()) o->reseller_rate_bp = *d->reseller_rate_bp();
  o->reseller_id = Str(placed->reseller_id());
}

void SettlementProjection::Book::RefundEvent(const AcceptedRecord& r) {
  const fb::InputEvent& e = *r.input;
  const fb::Derived* d = r.record->derived();
  const std::string_view seller = e.seller_id()->string_view();
  const std::string_view order_id = e.event_type() == fb::Event::RefundRequested
                                        ? e.event_as_RefundRequested()->order_id()->string_view()
                                        : Str(d->order_id());
  MKT_ASSERT(orders_.Find(seller, order_id) != nullptr, "refund of an unseen order ", order_id);
  fb::SettlementOrderT* o = orders_.Mutable(seller, order_id);
  if (e.event_type() == fb::Event::RefundRequested) {
    o->pending_refunds += 1;
    return UpdateBlocked(seller, order_id, *o);
  }
  o->pending_refunds -= 1;
  MKT_ASSERT(o->pending_refunds >= 0, "more refund decisions than requests on ", order_id);
  UpdateBlocked(seller, order_id, *o);
  if (e.event_type() == fb::Event::RefundRejected) return;
  const Fen cash(*d->refund_cash()), voucher(*d->refund_voucher());
  o->refunded = (Fen(o->refunded) + cash + voucher).value();
  o->refunded_voucher = (Fen(o->refunded_voucher) + voucher).value();
  if (d->delivery_state() && *d->delivery_state() != fb::DeliveryState::appeal && o->appeal_open) {
    o->appeal_open = false;  // the refund terminated a delivery under appeal
    UpdateBlocked(seller, order_id, *o);
  }
  const std::string_view refund_id = e.event_as_RefundApproved()->refund_id()->string_view();
  if (o->eligible_at_us) return Recount(seller, order_id, refund_id, e.at_us());
  // A release=immediate refund that ended the delivery makes the order eligible
  // with what was not refunded.
  if (d->eligible_at_us()) Eligible(seller, order_id, *d->eligible_at_us());
}

void SettlementProjection::Book::DeliveryEvent(const AcceptedRecord& r) {
  const fb::Derived* d = r.record->derived();
  if (d == nullptr || !d->delivery_state()) return;
  const std::string_view seller = r.input->seller_id()->string_view();
  const std::string_view order_id = r.input->event_as_DeliveryStep()->order_id()->string_view();
  const bool appeal = *d->delivery_state() == fb::DeliveryState::appeal;
  const fb::SettlementOrderT* found = orders_.Find(seller, order_id);
  MKT_ASSERT(found != nullptr, "delivery of an unseen order ", order_id);
  if (found->appeal_open != appeal) {
    fb::SettlementOrderT* o = orders_.Mutable(seller, order_id);
    o->appeal_open = appeal;
    UpdateBlocked(seller, order_id, *o);
  }
  if (d->eligible_at_us()) Eligible(seller, order_id, *d->eligible_at_us());
}

int32_t SettlementProjection::Book::ClosedThrough(std::string_view seller_id) {
  const fb::SellerSettlementT* s = sellers_.Find(seller_id, "");
  return s == nullptr ? 0 : s->closed_through;
}

Fen SettlementProjection::Book::CarriedOut(std::string_view seller_id) {
  const fb::SellerSettlementT* s = sellers_.Find(seller_id, "");
  return Fen(s == nullptr ? 0 : s->carried_out);
}

Fen SettlementProjection::Book::InvoicesReceived(std::string_view seller_id, int32_t period) {
  const fb::PlatformInvoicesT* inv = invoices_.Find(seller_id, PeriodBytes(period));
  return Fen(inv == nullptr ? 0 : inv->received);
}

int32_t SettlementProjection::Book::FirstOpen(std::string_view seller_id, int32_t period) {
  const int32_t closed_through = ClosedThrough(seller_id);
  return period <= closed_through ? NextPeriod(closed_through) : period;
}

void SettlementProjection::Book::Eligible(std::string_view seller_id, std::string_view order_id,
                                          Micros eligible_at) {
  fb::SettlementOrderT* o = orders_.Mutable(seller_id, order_id);
  MKT_ASSERT(o->lines.empty(), "order ", order_id, " became eligible twice");
  o->eligible_at_us = eligible_at;
  if (o->paid == 0) return;  // a zero-price order has nothing to settle
  fb::SettlementLineT line;
  line.order_id = order_id;
  line.period = FirstOpen(seller_id, LocalPeriod(eligible_at, tz_));
  line.type = fb::LineType::sale;
  line.eligible_at_us = eligible_at;
  line.figures = std::make_unique<fb::SettlementFigures>(Formulas(*o));
  line.reseller_id = o->reseller_id;
  AddLine(seller_id, o, std::move(line));
}

void SettlementProjection::Book::Recount(std::string_view seller_id, std::string_view order_id,
                                         std::string_view refund_id, Micros at) {
  fb::SettlementOrderT* o = orders_.Mutable(seller_id, order_id);
  if (o->lines.empty()) return;
  const fb::SettlementFigures diff = Subtract(Formulas(*o), SumOfLines(*o));
  if (IsZero(diff)) return;
  fb::SettlementLineT& sale = *o->lines.front();
  if (sale.period > ClosedThrough(seller_id)) {  // not counted yet: the line itself changes
    *sale.figures = Add(*sale.figures, diff);
    AddToStatement(seller_id, sale.period, diff, 0);
    index_.Put(LineKey(seller_id, sale), Pack(sale));
    return;
  }
  fb::SettlementLineT line;
  line.order_id = order_id;
  line.period = FirstOpen(seller_id, LocalPeriod(at, tz_));
  line.type = fb::LineType::adjustment;
  line.refund_id = refund_id;
  line.eligible_at_us = at;
  line.figures = std::make_unique<fb::SettlementFigures>(diff);
  line.reseller_id = o->reseller_id;
  AddLine(seller_id, o, std::move(line));
}

void SettlementProjection::Book::AddLine(std::string_view seller_id, fb::SettlementOrderT* order,
                                         fb::SettlementLineT line) {
  line.line_no = static_cast<uint32_t>(order->lines.size());
  AddToStatement(seller_id, line.period, *line.figures, 1);
  index_.Put(LineKey(seller_id, line), Pack(line));
  order->lines.push_back(std::make_unique<fb::SettlementLineT>(std::move(line)));
}

void SettlementProjection::Book::AddToStatement(std::string_view seller_id, int32_t period,
                                                const fb::SettlementFigures& figures,
                                                int64_t lines) {
  MKT_ASSERT(period > ClosedThrough(seller_id), "change to closed period ", period);
  const bool is_new = statements_.Find(seller_id, PeriodBytes(period)) == nullptr;
  fb::StatementT* st = statements_.Mutable(seller_id, PeriodBytes(period));
  if (is_new) {
    st->totals = std::make_unique<fb::SettlementFigures>();
    index_.Put(Tagged('P', PeriodBytes(period) + std::string(seller_id)), "");
  }
  *st->totals = Add(*st->totals, figures);
  st->line_count = static_cast<uint64_t>(static_cast<int64_t>(st->line_count) + lines);
}

void SettlementProjection::Book::UpdateBlocked(std::string_view seller_id,
                                               std::string_view order_id,
                                               const fb::SettlementOrderT& order) {
  std::string key = Tagged('B', keys::Scoped(seller_id, order_id));
  if (Blocked(order)) {
    index_.Put(std::move(key), "");
  } else {
    index_.Delete(std::move(key));
  }
}

std::optional<Rejection> SettlementProjection::Book::RefuseClose(std::string_view seller_id,
                                                                 int32_t period) {
  const int32_t closed_through = ClosedThrough(seller_id);
  if (period <= closed_through) {
    return Rejection{Code::kPeriodClosed, "field period: " + FormatPeriod(period) +
                                              " is closed (closed through " +
                                              FormatPeriod(closed_through) + ")"};
  }
  std::optional<int32_t> earlier;
  index_.Scan(*store_, family_, Tagged('S', keys::Scoped(seller_id, "")),
              [&](std::string_view key, std::string_view value) {
                const int32_t p = static_cast<int32_t>(keys::ReadU32(key.substr(key.size() - 4)));
                if (earlier || p <= closed_through || p >= period) return;
                if (Unpack<fb::Statement>(value).line_count > 0) earlier = p;
              });
  if (earlier) {
    return Rejection{Code::kEarlierPeriodOpen, "field period: " + FormatPeriod(*earlier) +
                                                   " has lines and must be closed first"};
  }
  return std::nullopt;
}

SettlementProjection::Book::CloseWork SettlementProjection::Book::PlanClose(
    std::string_view seller_id, int32_t period) {
  CloseWork work;
  const fb::StatementT* st = FindStatement(seller_id, period);
  fb::SettlementFigures totals = st != nullptr ? *st->totals : fb::SettlementFigures();
  int64_t line_count = st != nullptr ? static_cast<int64_t>(st->line_count) : 0;
  std::vector<std::string> blocked;
  index_.Scan(*store_, family_, Tagged('B', keys::Scoped(seller_id, "")),
              [&](std::string_view key, std::string_view) {
                blocked.emplace_back(key.substr(1 + seller_id.size() + 1));
              });
  for (const std::string& order_id : blocked) {
    const fb::SettlementOrderT* o = orders_.Find(seller_id, order_id);
    MKT_ASSERT(o != nullptr, "blocked order without record ", order_id);
    for (size_t i = 0; i < o->lines.size(); ++i) {
      if (o->lines[i]->period != period) continue;
      totals = Subtract(totals, *o->lines[i]->figures);
      line_count -= 1;
      work.held.emplace_back(order_id, i);
    }
  }
  const ClosingFigures c = Closing(totals, CarriedOut(seller_id), InvoicesReceived(seller_id, period));
  work.closing.status = fb::StatementStatus::closed;
  work.closing.totals = std::make_unique<fb::SettlementFigures>(totals);
  work.closing.line_count = static_cast<uint64_t>(line_count);
  SetClosing(c, &work.closing);
  return work;
}

void SettlementProjection::Book::Close(const AcceptedRecord& r) {
  const std::string_view seller = r.input->seller_id()->string_view();
  const auto* event = r.input->event_as_SettlementClosed();
  const int32_t period = event->period();
  CloseWork work = PlanClose(seller, period);
  const int32_t next = NextPeriod(period);
  for (const auto& [order_id, index] : work.held) {
    fb::SettlementOrderT* o = orders_.Mutable(seller, order_id);
    fb::SettlementLineT& line = *o->lines[index];
    index_.Delete(LineKey(seller, line));
    line.period = next;
    line.held_from = period;
    AddToStatement(seller, next, *line.figures, 1);
    index_.Put(LineKey(seller, line), Pack(line));
  }
  fb::StatementT* st = statements_.Mutable(seller, PeriodBytes(period));
  if (st->totals == nullptr) {  // a seller closing an empty period (every line held)
    index_.Put(Tagged('P', PeriodBytes(period) + std::string(seller)), "");
  }
  *st = std::move(work.closing);
  st->closed_at_us = r.input->at_us();
  if (event->head_hash() != nullptr) st->head_hash.assign(event->head_hash()->begin(), event->head_hash()->end());
  fb::SellerSettlementT* s = sellers_.Mutable(seller, "");
  s->closed_through = period;
  s->carried_out = st->carried_out;
  CreditResellers(seller, period);
}

void SettlementProjection::Book::CreditResellers(std::string_view seller_id, int32_t period) {
  index_.Scan(*store_, family_, LinePrefix(seller_id, period),
              [&](std::string_view, std::string_view value) {
                const fb::SettlementLineT line = Unpack<fb::SettlementLine>(value);
                if (line.reseller_id.empty()) return;
                const Fen commission(line.figures->reseller_commission());
                fb::ResellerStatementT* rs =
                    reseller_statements_.Mutable(line.reseller_id, PeriodBytes(period));
                if (line.type == fb::LineType::sale) {
                  rs->commission = (Fen(rs->commission) + commission).value();
                } else {
                  rs->clawback = (Fen(rs->clawback) - commission).value();
                }
                rs->line_count += 1;
                fb::ResellerLineT out;
                out.seller_id = seller_id;
                out.order_id = line.order_id;
                out.type = line.type;
                out.refund_id = line.refund_id;
                out.commission = commission.value();
                std::string key = Tagged('L', keys::Scoped(line.reseller_id, PeriodBytes(period)));
                key += keys::Scoped(seller_id, line.order_id);
                key.push_back('\0');
                keys::AppendU32(&key, line.line_no);
                reseller_lines_.Put(std::move(key), Pack(out));
              });
}

void SettlementProjection::Book::Flush(rocksdb::WriteBatch* batch) {
  orders_.Flush(batch);
  statements_.Flush(batch);
  sellers_.Flush(batch);
  invoices_.Flush(batch);
  reseller_statements_.Flush(batch);
  index_.Flush(batch, family_);
  reseller_lines_.Flush(batch, reseller_family_);
  orders_.Trim(limits::kStateCacheEntriesMax);
  statements_.Trim(limits::kStateCacheEntriesMax);
  sellers_.Trim(limits::kStateCacheEntriesMax);
  invoices_.Trim(limits::kStateCacheEntriesMax);
  reseller_statements_.Trim(limits::kStateCacheEntriesMax);
}

void SettlementProjection::Book::Reset() {
  orders_.Reset();
  statements_.Reset();
  sellers_.Reset();
  invoices_.Reset();
  reseller_statements_.Reset();
  index_.Reset();
  reseller_lines_.Reset();
}

}  // namespace mkt
