#include "projections/settlement.h"

#include <algorithm>

#include "ledger/keys.h"
#include "projections/scan.h"
#include "projections/settlement_book.h"

namespace mkt {
namespace {

fb::SettlementFigures Make(Fen gross, Fen voucher, Fen fee, Fen commission) {
  return fb::SettlementFigures(gross.value(), voucher.value(), fee.value(), commission.value(),
                               (gross - fee - commission).value());
}

std::optional<std::string> CursorKey(std::string_view prefix, std::string_view cursor) {
  // "order_id/line_no": '/' is not in the id charset.
  const size_t slash = cursor.rfind('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == cursor.size()) return std::nullopt;
  uint32_t line_no = 0;
  for (char c : cursor.substr(slash + 1)) {
    if (c < '0' || c > '9' || line_no > 100'000'000) return std::nullopt;
    line_no = line_no * 10 + static_cast<uint32_t>(c - '0');
  }
  std::string key(prefix);
  key.append(cursor.substr(0, slash));
  key.push_back('\0');
  keys::AppendU32(&key, line_no);
  return key;
}

template <typename Table>
const Table* Verified(const std::string& bytes) {
  flatbuffers::Verifier verifier(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  MKT_ASSERT(verifier.VerifyBuffer<Table>(nullptr), "corrupt settlement record");
  return flatbuffers::GetRoot<Table>(bytes.data());
}

}  // namespace

fb::SettlementFigures LineFormulas(Fen net, Fen voucher, int32_t platform_fee_bp,
                                   std::optional<int32_t> reseller_rate_bp) {
  const Fen commission = reseller_rate_bp ? Fee(net, *reseller_rate_bp) : Fen(0);
  return Make(net, voucher, Fee(net, platform_fee_bp), commission);
}

fb::SettlementFigures Add(const fb::SettlementFigures& a, const fb::SettlementFigures& b) {
  return Make(Fen(a.gross()) + Fen(b.gross()), Fen(a.voucher()) + Fen(b.voucher()),
              Fen(a.platform_fee()) + Fen(b.platform_fee()),
              Fen(a.reseller_commission()) + Fen(b.reseller_commission()));
}

fb::SettlementFigures Subtract(const fb::SettlementFigures& a, const fb::SettlementFigures& b) {
  return Make(Fen(a.gross()) - Fen(b.gross()), Fen(a.voucher()) - Fen(b.voucher()),
              Fen(a.platform_fee()) - Fen(b.platform_fee()),
              Fen(a.reseller_commission()) - Fen(b.reseller_commission()));
}

bool IsZero(const fb::SettlementFigures& f) {
  return f.gross() == 0 && f.voucher() == 0 && f.platform_fee() == 0 &&
         f.reseller_commission() == 0 && f.seller_net() == 0;
}

ClosingFigures Closing(const fb::SettlementFigures& totals, Fen carried_in, Fen invoices_received) {
  ClosingFigures c;
  const Fen net(totals.seller_net());
  c.carried_in = carried_in;
  c.payable = std::max(Fen(0), net - carried_in);
  c.carried_out = std::max(Fen(0), carried_in - net);
  c.voucher_invoice_due = Fen(totals.voucher());
  const Fen outstanding = std::max(Fen(0), c.voucher_invoice_due - invoices_received);
  c.payout_held = std::min(c.payable, outstanding);
  c.payout_releasable = c.payable - c.payout_held;
  return c;
}

void SetClosing(const ClosingFigures& c, fb::StatementT* statement) {
  statement->carried_in = c.carried_in.value();
  statement->payable = c.payable.value();
  statement->carried_out = c.carried_out.value();
  statement->voucher_invoice_due = c.voucher_invoice_due.value();
  statement->payout_held = c.payout_held.value();
  statement->payout_releasable = c.payout_releasable.value();
}

std::vector<std::string> SettlementProjection::Families() {
  return {kCfSettlement, kCfResellerSettlement};
}

SettlementProjection::SettlementProjection(Store* store, TzOffset tz)
    : store_(store), tz_(tz), book_(std::make_unique<Book>(store, tz)) {}

SettlementProjection::~SettlementProjection() = default;

void SettlementProjection::Apply(std::span<const AcceptedRecord> records,
                                 rocksdb::WriteBatch* batch) {
  for (const AcceptedRecord& record : records) book_->OnRecord(record);
  book_->Flush(batch);
}

void SettlementProjection::Reset() { book_->Reset(); }

std::variant<StatementView, std::string> SettlementProjection::Statement(
    std::string_view seller_id, int32_t period, size_t limit, std::string_view cursor) const {
  Book book(store_, tz_);  // reads committed state only
  StatementView view;
  view.seller_id = seller_id;
  view.period = period;
  if (const fb::StatementT* st = book.FindStatement(seller_id, period)) {
    view.statement = *st;
  } else {
    view.statement.status = period <= book.ClosedThrough(seller_id) ? fb::StatementStatus::closed
                                                                   : fb::StatementStatus::open;
    view.statement.totals = std::make_unique<fb::SettlementFigures>();
  }
  if (view.statement.status == fb::StatementStatus::open) {  // as if it closed now
    const ClosingFigures c = Closing(*view.statement.totals, book.CarriedOut(seller_id),
                                     book.InvoicesReceived(seller_id, period));
    SetClosing(c, &view.statement);
  }
  const std::string prefix = LinePrefix(seller_id, period);
  std::string start = prefix;
  if (!cursor.empty()) {
    auto key = CursorKey(prefix, cursor);
    if (!key) return "--cursor: \"" + std::string(cursor) + "\" is not a cursor of this statement";
    start = *key + '\0';  // strictly after the cursor's line
  }
  std::unique_ptr<rocksdb::Iterator> it(
      store_->db()->NewIterator(rocksdb::ReadOptions(), store_->cf(kCfSettlement)));
  for (it->Seek(start); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    if (limit == 0) break;  // the totals only
    if (view.lines.size() == limit) {
      const fb::SettlementLineT& last = view.lines.back();
      view.next_cursor = last.order_id + "/" + std::to_string(last.line_no);
      break;
    }
    flatbuffers::Verifier verifier(reinterpret_cast<const uint8_t*>(it->value().data()),
                                   it->value().size());
    MKT_ASSERT(verifier.VerifyBuffer<fb::SettlementLine>(nullptr), "corrupt settlement line");
    flatbuffers::GetRoot<fb::SettlementLine>(it->value().data())->UnPackTo(&view.lines.emplace_back());
  }
  MKT_ASSERT(it->status().ok(), "settlement read failed: ", it->status().ToString());
  return view;
}

ResellerStatementView SettlementProjection::ResellerStatement(std::string_view reseller_id,
                                                              int32_t period) const {
  ResellerStatementView view;
  view.reseller_id = reseller_id;
  view.period = period;
  const std::string prefix = "S" + keys::Scoped(reseller_id, "");
  std::unique_ptr<rocksdb::Iterator> it(
      store_->db()->NewIterator(rocksdb::ReadOptions(), store_->cf(kCfResellerSettlement)));
  Fen carried(0);  // each period's deficit is advanced and deducted from the next
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    const auto p = static_cast<int32_t>(keys::ReadU32(it->key().ToStringView().substr(prefix.size())));
    if (p > period) break;
    fb::ResellerStatementT st;
    flatbuffers::Verifier verifier(reinterpret_cast<const uint8_t*>(it->value().data()),
                                   it->value().size());
    MKT_ASSERT(verifier.VerifyBuffer<fb::ResellerStatement>(nullptr), "corrupt reseller statement");
    flatbuffers::GetRoot<fb::ResellerStatement>(it->value().data())->UnPackTo(&st);
    const Fen net = Fen(st.commission) - Fen(st.clawback);
    const Fen carried_in = carried;
    carried = std::max(Fen(0), carried_in - net);
    if (p != period) continue;
    view.statement = st;
    view.net = net;
    view.carried_in = carried_in;
    view.payable = std::max(Fen(0), net - carried_in);
    view.carried_out = carried;
  }
  if (view.statement.line_count == 0) view.carried_in = view.carried_out = carried;
  view.lines = ReadPrefix<fb::ResellerLine>(
      *store_, kCfResellerSettlement, "L" + keys::Scoped(reseller_id, "") + PeriodBytes(period));
  return view;
}

std::vector<std::string> SettlementProjection::SellersWithStatement(int32_t period) const {
  std::vector<std::string> sellers;
  const std::string prefix = "P" + PeriodBytes(period);
  std::unique_ptr<rocksdb::Iterator> it(
      store_->db()->NewIterator(rocksdb::ReadOptions(), store_->cf(kCfSettlement)));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    sellers.emplace_back(it->key().ToStringView().substr(prefix.size()));
  }
  MKT_ASSERT(it->status().ok(), "settlement read failed: ", it->status().ToString());
  return sellers;
}

ClosePlan SettlementProjection::PlanClose(std::string_view seller_id, int32_t period) const {
  Book book(store_, tz_);
  ClosePlan plan;
  plan.seller_id = seller_id;
  plan.refusal = book.RefuseClose(seller_id, period);
  if (!plan.refusal) plan.closing = std::move(book.PlanClose(seller_id, period).closing);
  return plan;
}

OrderSettlement SettlementProjection::OfOrder(std::string_view seller_id,
                                              std::string_view order_id) const {
  // Two point reads and no unpacking: the order list calls this for every row.
  OrderSettlement out;
  std::string value;
  if (!store_->Get(store_->cf(kCfSettlement), "O" + keys::Scoped(seller_id, order_id), &value)) {
    return out;
  }
  const auto* o = Verified<fb::SettlementOrder>(value);
  if (o->eligible_at_us()) out.eligible_at = *o->eligible_at_us();
  if (o->lines() == nullptr || o->lines()->size() == 0) return out;
  const fb::SettlementLine* sale = o->lines()->Get(0);
  out.period = sale->period();
  if (sale->held_from()) out.held_from = *sale->held_from();
  std::string seller;
  int32_t closed_through = 0;
  if (store_->Get(store_->cf(kCfSettlement), "M" + keys::Scoped(seller_id, ""), &seller)) {
    closed_through = Verified<fb::SellerSettlement>(seller)->closed_through();
  }
  out.settled = sale->period() <= closed_through;
  return out;
}

}  // namespace mkt
