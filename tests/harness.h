// A ledger on a temporary embedded store, for rule and projection tests:
// send JSON events, observe outcomes and read models as a user would.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "projections/coupon_json.h"
#include "projections/invoice_json.h"
#include "projections/order_json.h"
#include "projections/settlement_json.h"
#include "projections/stack.h"

namespace mkt::test {

using Json = nlohmann::ordered_json;

class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

class Harness {
 public:
  explicit Harness(Policy policy = DefaultPolicy(), uint32_t partitions = 4);
  ~Harness();

  static Policy DefaultPolicy();

  // Sends one event as one batch; returns "accepted", "duplicate" or the
  // rejection code. The last rejection message is kept in last_message().
  std::string Send(const Json& event);
  std::string SendLine(const std::string& line);
  // Sends several events in one batch (one atomic write); one outcome each.
  std::vector<std::string> SendBatch(const std::vector<Json>& events);
  std::vector<std::string> SendLines(const std::vector<std::string>& lines);
  const std::string& last_message() const { return last_message_; }

  // Runs the timer to `now`; returns {"emitted":N,"by_type":{...}} like `ledger tick`.
  Json Tick(const std::string& now);

  // Reopens the store from disk (as after a restart).
  void Reopen();

  Json OrderRow(const std::string& seller, const std::string& order_id, Micros now = 0);
  Json Order(const std::string& seller, const std::string& order_id, Micros now = 0);
  std::vector<Json> OrderRows(const OrderListQuery& query, std::optional<std::string>* next = nullptr);

  Store& store() { return stack_->store(); }
  Log& log() { return stack_->log(); }
  OrderListProjection& orders() { return stack_->projections().orders; }
  Projections& projections() { return stack_->projections(); }
  // The seller's invoices as `ledger invoices` shows them at `as_of`.
  Json Invoices(const std::string& seller, Micros as_of);
  // `ledger settle --period P --now T`: {"closed":[...],"refused":[...]}.
  Json Settle(const std::string& period, const std::string& now);
  // `ledger settlement` (every line) and `ledger reseller-statement`.
  Json Statement(const std::string& seller, const std::string& period);
  Json ResellerStatement(const std::string& reseller, const std::string& period);
  // The seller's coupons as `ledger coupons` shows them at `as_of`.
  Json Coupons(const std::string& seller, Micros as_of);
  const std::string& dir() const { return dir_.path(); }

 private:
  void Open();
  Policy policy_;
  uint32_t partitions_;
  TempDir dir_;
  std::unique_ptr<LedgerStack> stack_;
  JsonDecoder decoder_;
  std::string last_message_;
  Micros clock_ = 1'790'000'000'000'000;  // recorded_at advances 1 s per batch
};

// Event builders with realistic defaults; override fields with j["k"] = v.
Json Event(const std::string& type, const std::string& event_id, const std::string& at,
           const std::string& seller = "s1");
Json ProductListed(const std::string& product, const std::string& category = "saas",
                   const std::string& at = "2026-10-01T09:00:00+08:00");
Json OrderPlaced(const std::string& order, const std::string& product, const std::string& price,
                 const std::string& at = "2026-10-02T10:00:00+08:00");
Json OrderPaid(const std::string& order, const std::string& cash, const std::string& voucher,
               const std::string& at = "2026-10-02T11:00:00+08:00");
// A buyer's refund request ("keep": the service continues) and the seller's approval.
Json RefundRequested(const std::string& refund, const std::string& order, const std::string& amount,
                     const std::string& at, const std::string& release = "keep");
Json RefundApproved(const std::string& refund, const std::string& at);
Json OrderPriceChanged(const std::string& order, const std::string& new_price,
                       const std::string& at = "2026-10-02T10:30:00+08:00");
Json OrderVoided(const std::string& order, const std::string& reason,
                 const std::string& at = "2026-10-02T12:00:00+08:00");

Micros T(const std::string& rfc3339);

// A StoredEvent with `edit` applied to its event and its own hash recomputed
// over the unchanged prev_hash: what a forger with write access would produce.
std::string ForgeStoredEvent(const std::string& stored_bytes,
                             const std::function<void(fb::InputEventT&)>& edit);

}  // namespace mkt::test
