#include "tests/harness.h"

#include <cstdlib>
#include <filesystem>

#include <gtest/gtest.h>

#include "ledger/limits.h"
#include "projections/settle.h"

namespace mkt::test {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "ledger-test-XXXXXX").string();
  char* made = mkdtemp(pattern.data());
  if (made == nullptr) std::abort();
  path_ = made;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

Policy Harness::DefaultPolicy() { return std::get<Policy>(LoadPolicy("")); }

Harness::Harness(Policy policy, uint32_t partitions)
    : policy_(std::move(policy)), partitions_(partitions) {
  Open();
}

Harness::~Harness() = default;

void Harness::Open() {
  stack_.reset();
  auto stack = LedgerStack::Open({.dir = dir_.path(),
                                  .partitions = partitions_,
                                  .policy = policy_,
                                  .clock = [this] { return clock_ += kMicrosPerSecond; }});
  if (auto* error = std::get_if<StackError>(&stack)) {
    ADD_FAILURE() << error->message;
    std::abort();
  }
  stack_ = std::move(std::get<std::unique_ptr<LedgerStack>>(stack));
}

void Harness::Reopen() { Open(); }

Json Harness::Settle(const std::string& period, const std::string& now) {
  SettleReport report;
  EXPECT_EQ(SettlePeriod(stack_->ledger(), stack_->log(), stack_->projections().settlement,
                         *ParsePeriod(period), T(now), &report),
            "");
  Json closed = Json::array(), refused = Json::array();
  for (const auto& c : report.closed) {
    closed.push_back(Json{{"seller_id", c.seller_id}, {"payable", FormatMoney(c.payable)}});
  }
  for (const auto& r : report.refused) {
    refused.push_back(Json{{"seller_id", r.seller_id}, {"code", CodeName(r.rejection.code)}});
  }
  return Json{{"closed", closed}, {"refused", refused}};
}

Json Harness::Statement(const std::string& seller, const std::string& period) {
  auto view = stack_->projections().settlement.Statement(seller, *ParsePeriod(period),
                                                         limits::kStatementLinesLimitMax, "");
  return StatementJson(std::get<StatementView>(view), policy_.timezone);
}

Json Harness::ResellerStatement(const std::string& reseller, const std::string& period) {
  return ResellerStatementJson(
      stack_->projections().settlement.ResellerStatement(reseller, *ParsePeriod(period)));
}

Json Harness::Tick(const std::string& now) {
  TickReport report;
  EXPECT_EQ(stack_->ledger().Tick(T(now), &report), "");
  Json by_type = Json::object();
  for (const auto& [type, count] : report.by_type) by_type[type] = count;
  return Json{{"emitted", report.emitted}, {"by_type", by_type}};
}

std::string Harness::SendLine(const std::string& line) {
  DecodeResult decoded = decoder_.Decode(line);
  if (!decoded.event) {
    last_message_ = decoded.rejection->message;
    return std::string(CodeName(decoded.rejection->code));
  }
  const DecodedEvent* events[] = {&*decoded.event};
  std::vector<EventResult> results;
  const std::string error = stack_->ledger().Process(events, &results);
  EXPECT_EQ(error, "");
  const EventResult& r = results.at(0);
  if (r.outcome == Outcome::kAccepted) return "accepted";
  if (r.outcome == Outcome::kDuplicate) return "duplicate";
  last_message_ = r.rejection->message;
  return std::string(CodeName(r.rejection->code));
}

std::string Harness::Send(const Json& event) { return SendLine(event.dump()); }

std::vector<std::string> Harness::SendBatch(const std::vector<Json>& events) {
  std::vector<std::string> lines;
  for (const Json& e : events) lines.push_back(e.dump());
  return SendLines(lines);
}

std::vector<std::string> Harness::SendLines(const std::vector<std::string>& lines) {
  std::vector<DecodeResult> decoded;
  for (const std::string& line : lines) decoded.push_back(decoder_.Decode(line));
  std::vector<const DecodedEvent*> pointers;
  for (const DecodeResult& d : decoded) {
    if (d.event) pointers.push_back(&*d.event);
  }
  std::vector<EventResult> results;
  EXPECT_EQ(stack_->ledger().Process(pointers, &results), "");
  std::vector<std::string> outcomes;
  size_t next = 0;
  for (const DecodeResult& d : decoded) {
    if (!d.event) {
      outcomes.emplace_back(CodeName(d.rejection->code));
      continue;
    }
    const EventResult& r = results[next++];
    outcomes.push_back(r.outcome == Outcome::kAccepted    ? "accepted"
                       : r.outcome == Outcome::kDuplicate ? "duplicate"
                                                          : std::string(CodeName(r.rejection->code)));
  }
  return outcomes;
}

Json Harness::OrderRow(const std::string& seller, const std::string& order_id, Micros now) {
  const auto detail = stack_->projections().orders.Get(seller, order_id);
  if (!detail) return nullptr;
  return OrderRowJson(detail->row, detail->settlement, policy_.timezone, now);
}

Json Harness::Coupons(const std::string& seller, Micros as_of) {
  return CouponListJson(stack_->projections().coupons.List(seller), policy_.timezone, as_of);
}

Json Harness::Invoices(const std::string& seller, Micros as_of) {
  return InvoiceListJson(stack_->projections().invoices.List(seller, std::nullopt, as_of), policy_.timezone, as_of);
}

Json Harness::Order(const std::string& seller, const std::string& order_id, Micros now) {
  const auto detail = stack_->projections().orders.Get(seller, order_id);
  if (!detail) return nullptr;
  return OrderDetailJson(*detail, policy_.timezone, now);
}

std::vector<Json> Harness::OrderRows(const OrderListQuery& query,
                                     std::optional<std::string>* next) {
  auto page = stack_->projections().orders.List(query);
  EXPECT_TRUE(std::holds_alternative<OrderListPage>(page));
  std::vector<Json> rows;
  if (!std::holds_alternative<OrderListPage>(page)) return rows;
  const auto& p = std::get<OrderListPage>(page);
  for (const auto& e : p.rows) {
    rows.push_back(e.refund ? RefundListRowJson(e.order, *e.refund, policy_.timezone)
                            : OrderRowJson(e.order, e.settlement, policy_.timezone, 0));
  }
  if (next != nullptr) *next = p.next_cursor;
  return rows;
}

namespace {
int event_counter = 0;
}

Json Event(const std::string& type, const std::string& event_id, const std::string& at,
           const std::string& seller) {
  return Json{{"type", type},
              {"event_id", event_id.empty() ? "e" + std::to_string(++event_counter) : event_id},
              {"at", at},
              {"seller_id", seller}};
}

Json ProductListed(const std::string& product, const std::string& category, const std::string& at) {
  Json e = Event("ProductListed", "", at);
  e["product_id"] = product;
  e["name"] = "Product " + product;
  e["category"] = category;
  return e;
}

Json OrderPlaced(const std::string& order, const std::string& product, const std::string& price,
                 const std::string& at) {
  Json e = Event("OrderPlaced", "", at);
  e["order_id"] = order;
  e["product_id"] = product;
  e["buyer_id"] = "b1";
  e["kind"] = "new";
  e["quantity"] = 1;
  e["list_price"] = price;
  e["channel"] = "store";
  return e;
}

Json RefundRequested(const std::string& refund, const std::string& order, const std::string& amount,
                     const std::string& at, const std::string& release) {
  Json e = Event("RefundRequested", "", at);
  e["refund_id"] = refund;
  e["order_id"] = order;
  e["amount"] = amount;
  e["initiator"] = "buyer";
  e["reason"] = "not as described";
  e["release"] = release;
  if (release == "keep") e["keep_reason"] = "service continues";
  return e;
}

Json RefundApproved(const std::string& refund, const std::string& at) {
  Json e = Event("RefundApproved", "", at);
  e["refund_id"] = refund;
  e["by"] = "seller";
  return e;
}

Json OrderPaid(const std::string& order, const std::string& cash, const std::string& voucher,
               const std::string& at) {
  Json e = Event("OrderPaid", "", at);
  e["order_id"] = order;
  e["cash"] = cash;
  e["voucher"] = voucher;
  return e;
}

Json OrderPriceChanged(const std::string& order, const std::string& new_price,
                       const std::string& at) {
  Json e = Event("OrderPriceChanged", "", at);
  e["order_id"] = order;
  e["new_price"] = new_price;
  e["reason"] = "negotiated discount";
  return e;
}

Json OrderVoided(const std::string& order, const std::string& reason, const std::string& at) {
  Json e = Event("OrderVoided", "", at);
  e["order_id"] = order;
  e["reason"] = reason;
  return e;
}

Micros T(const std::string& rfc3339) { return *ParseRfc3339(rfc3339); }

std::string ForgeStoredEvent(const std::string& stored_bytes,
                             const std::function<void(fb::InputEventT&)>& edit) {
  fb::StoredEventT stored;
  fb::GetStoredEvent(stored_bytes.data())->UnPackTo(&stored);
  fb::LedgerRecordT record;
  flatbuffers::GetRoot<fb::LedgerRecord>(stored.record.data())->UnPackTo(&record);
  fb::InputEventT input;
  fb::GetInputEvent(record.input.data())->UnPackTo(&input);
  edit(input);
  flatbuffers::FlatBufferBuilder b;
  b.Finish(fb::InputEvent::Pack(b, &input));
  record.input.assign(b.GetBufferPointer(), b.GetBufferPointer() + b.GetSize());
  b.Clear();
  b.Finish(fb::LedgerRecord::Pack(b, &record));
  stored.record.assign(b.GetBufferPointer(), b.GetBufferPointer() + b.GetSize());
  Hash prev;
  std::copy_n(stored.prev_hash.begin(), prev.size(), prev.begin());
  const Hash hash = ChainHash(prev, {reinterpret_cast<const char*>(stored.record.data()), stored.record.size()});
  stored.hash.assign(hash.begin(), hash.end());
  b.Clear();
  b.Finish(fb::StoredEvent::Pack(b, &stored));
  return {reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize()};
}

}  // namespace mkt::test
