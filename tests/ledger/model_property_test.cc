// Model-based property (STYLE.md rule 15): random command streams over one seller
// (2 products, 3 buyers, 8 order ids, 2 coupons, 10 refund and 5 invoice ids) go to
// the real ledger and to a tiny in-memory re-statement of LEDGER.md 3.2, 3.3, 4.3
// and 6 (with the README's decisions). After every command both must agree on the
// outcome and on every order's status and money; at random points and at the end
// also on every refund, coupon and invoice. The model shares no code with the rules:
// it only uses ledger/money.h for rounding and formatting (and ledger/time.h writes
// the events' timestamps).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "ledger/money.h"
#include "ledger/time.h"
#include "tests/harness.h"

namespace mkt::test {
namespace {

// ---- The model. Time is in minutes since 2026-10-01T00:00:00+08:00. ----------

using Minutes = int64_t;
constexpr Minutes kDay = 24 * 60;
constexpr Minutes kUnpaidExpiry = 7 * kDay;  // policy unpaid_expiry_days, every kind

struct Order {
  std::string product, buyer, kind, status = "unpaid", coupon;
  int64_t list_price = 0, price = 0, discount = 0;  // fen, like every amount below
  Minutes expires_at = 0;
  int64_t cash = 0, voucher = 0, refunded = 0, refunded_cash = 0, pending = 0, invoiced = 0;

  bool WasPaid() const { return status != "unpaid" && status != "voided"; }
  int64_t Payable() const { return price - discount; }
  int64_t Refundable() const { return cash + voucher - refunded - pending; }
  int64_t Invoiceable() const { return std::max<int64_t>(0, cash - refunded_cash - invoiced); }
};

struct Coupon {
  bool threshold_kind = true;
  int64_t threshold = 0, amount_off = 0;
  int pay_rate_tenths = 0;               // 8.5 zhe = 85
  std::vector<std::string> products;     // empty: the whole shop
  std::vector<std::string> scenarios;
  Minutes issue_from = 0, issue_to = 0, use_from = 0, use_to = 0;
  int total = 0, per_user_limit = 0, claimed = 0;
  std::map<std::string, int> claims, in_use;  // per buyer

  int Unused(const std::string& buyer) const {
    const auto claimed = claims.find(buyer), used = in_use.find(buyer);
    return (claimed == claims.end() ? 0 : claimed->second) -
           (used == in_use.end() ? 0 : used->second);
  }
};

struct Refund {
  std::string order, initiator, status = "pending";
  int64_t amount = 0, cash = 0, voucher = 0;
};

struct Invoice {
  std::string status = "requested";
  int64_t amount = 0;
  std::vector<std::pair<std::string, int64_t>> allocations;  // order, share
};

struct Model {
  std::map<std::string, Order> orders;
  std::map<std::string, Coupon> coupons;
  std::map<std::string, Refund> refunds;
  std::map<std::string, Invoice> invoices;
  Minutes now = 0;
};

bool Has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// Every rule a command breaks (the spec does not order the checks, so the ledger
// may report any one of them); empty means the model accepts it.
struct Codes {
  std::vector<std::string> list;
  void If(bool broken, const char* code) {
    if (broken) list.push_back(code);
  }
  bool ok() const { return list.empty(); }
};

// Raw random choices; each command reads them in its own way (see the comments).
struct Step {
  int type = 0;
  int a = 0, b = 0, c = 0, d = 0, e = 0, f = 0;  // 0..15
  int64_t x = 0, y = 0;                          // 0..500.00
  int minutes = 1;                               // time advance, 1..600
};

std::string At(Minutes m) {
  return FormatRfc3339(T("2026-10-01T00:00:00+08:00") + m * 60 * kMicrosPerSecond, TzOffset{480});
}
std::string Money(int64_t fen) { return FormatMoney(Fen(fen)); }
constexpr int kOrders = 8;
std::string OrderId(int pick) { return "o" + std::to_string(pick % kOrders + 1); }
std::string Buyer(int pick) { return "b" + std::to_string(pick % 3 + 1); }

// Mostly (pick < 12) an id of `known` that `wanted` accepts, else any known id
// (pick < 15), else `other`, which may be unknown: most commands reach the deep rules.
template <class Map, class Wanted>
std::string Choose(const Map& known, int pick, Wanted wanted, const std::string& other) {
  std::vector<std::string> all, good;
  for (const auto& [id, value] : known) {
    all.push_back(id);
    if (wanted(value)) good.push_back(id);
  }
  if (pick < 12 && !good.empty()) return good[pick % good.size()];
  if (pick < 15 && !all.empty()) return all[pick % all.size()];
  return other;
}
// A new id `prefix`1..n mostly (pick < 12), else any of them (it may exist).
template <class Map>
std::string Fresh(const Map& known, int pick, const std::string& prefix, int n) {
  for (int i = 1; pick < 12 && i <= n; ++i) {
    if (!known.count(prefix + std::to_string(i))) return prefix + std::to_string(i);
  }
  return prefix + std::to_string(pick % n + 1);
}
bool Unpaid(const Order& o) { return o.status == "unpaid"; }
bool WasPaid(const Order& o) { return o.WasPaid(); }

// Unknown order: nothing else can be checked.
Order* FindOrder(Model& m, const std::string& id, Codes* codes) {
  auto it = m.orders.find(id);
  codes->If(it == m.orders.end(), "unknown_order");
  return it == m.orders.end() ? nullptr : &it->second;
}

// 3.2: only unpaid, and (README) nothing but a void once the deadline passed.
void UnpaidAndNotExpired(const Model& m, const Order& o, Codes* codes) {
  codes->If(o.status != "unpaid", "order_not_unpaid");
  codes->If(o.status == "unpaid" && m.now >= o.expires_at, "order_expired");
}

void ReleaseCoupon(Model& m, Order& o) {
  if (o.coupon.empty()) return;
  m.coupons[o.coupon].in_use[o.buyer] -= 1;
  o.coupon.clear();
  o.discount = 0;
}

// a: order, b: buyer, c: product, y: kind, x: list price.
Codes OrderPlaced(Model& m, const Step& s, Json& e) {
  static const char* kKinds[] = {"new", "renew", "trial", "convert", "upgrade", "new", "new"};
  Order o;
  o.product = s.c % 2 ? "p2" : "p1";
  o.buyer = Buyer(s.b);
  o.kind = kKinds[s.y % 7];
  o.list_price = o.price = s.x;
  o.expires_at = m.now + kUnpaidExpiry;
  const std::string id = Fresh(m.orders, s.a, "o", kOrders);
  e.update({{"order_id", id}, {"product_id", o.product}, {"buyer_id", o.buyer}, {"kind", o.kind},
            {"quantity", 1}, {"list_price", Money(o.list_price)}, {"channel", "store"}});
  Codes codes;
  codes.If(m.orders.count(id) > 0, "order_exists");
  if (codes.ok()) m.orders[id] = o;
  return codes;
}

// a: order, x: new price in 0..list price + 10.00.
Codes OrderPriceChanged(Model& m, const Step& s, Json& e) {
  const std::string id = Choose(m.orders, s.a, Unpaid, OrderId(s.f));
  Codes codes;
  Order* o = FindOrder(m, id, &codes);
  const int64_t price = s.x % ((o ? o->list_price : 0) + 1001);
  e.update({{"order_id", id}, {"new_price", Money(price)}, {"reason", "negotiated"}});
  if (!o) return codes;
  UnpaidAndNotExpired(m, *o, &codes);
  codes.If(!o->coupon.empty(), "coupon_applied");
  codes.If(price > o->list_price, "price_increase_not_allowed");  // README: vs list_price
  if (codes.ok()) o->price = price;
  return codes;
}

// a: coupon, b: kind, x/y: threshold and amount off or pay rate, c: scope,
// d: scenarios and issue window, e: use window and total, f: use length, per-user limit.
Codes CouponCreated(Model& m, const Step& s, Json& e) {
  static const char* kScenarios[] = {"renew", "upgrade", "convert"};
  Coupon c;
  c.threshold_kind = s.b % 2 == 0;
  if (c.threshold_kind) {
    c.threshold = s.x % 30001;
    c.amount_off = s.y % (c.threshold + 51);  // sometimes 0 or above the threshold
    e.update({{"threshold", Money(c.threshold)}, {"amount_off", Money(c.amount_off)}});
  } else {
    c.pay_rate_tenths = 1 + s.y % 99;
    const int rate = c.pay_rate_tenths;
    e["pay_rate"] = std::to_string(rate / 10) + "." + std::to_string(rate % 10);
  }
  if (s.c % 3 == 0) c.products = s.c / 3 % 3 == 0 ? std::vector<std::string>{"p1", "p2"}
                                : s.c / 3 % 3 == 1 ? std::vector<std::string>{"p1"}
                                                   : std::vector<std::string>{"p2"};
  if (s.d < 12) c.scenarios.push_back("new");
  for (int i = 0; i < 3; ++i) {
    if ((s.d + 1) & (1 << i)) c.scenarios.push_back(kScenarios[i]);
  }
  if (c.scenarios.empty()) c.scenarios.push_back("renew");
  c.issue_from = s.d % 8 == 0 ? m.now + kDay : 0;
  c.issue_to = c.issue_from + (s.d / 4 + 1) * 5 * kDay;
  c.use_from = s.e % 4 == 0 ? m.now + 2 * kDay : 0;
  c.use_to = c.use_from + (s.f % 2 ? 8 : 60) * kDay;
  c.total = 1 + s.e / 2;
  c.per_user_limit = 1 + s.f / 8;
  const std::string id = Fresh(m.coupons, s.a, "c", 2);
  e.update({{"coupon_id", id}, {"name", "campaign " + id},
            {"scope", c.products.empty() ? "shop" : "products"},
            {"kind", c.threshold_kind ? "threshold" : "discount"}, {"issue_from", At(c.issue_from)},
            {"issue_to", At(c.issue_to)}, {"use_from", At(c.use_from)}, {"use_to", At(c.use_to)},
            {"total", c.total}, {"per_user_limit", c.per_user_limit}, {"scenarios", c.scenarios},
            {"visible", true}});
  if (!c.products.empty()) e["product_ids"] = c.products;
  Codes codes;
  codes.If(m.coupons.count(id) > 0, "invalid_coupon");
  codes.If(c.threshold_kind && (c.amount_off <= 0 || c.amount_off > c.threshold), "invalid_coupon");
  codes.If(c.use_to < c.issue_from, "invalid_coupon");
  if (codes.ok()) m.coupons[id] = c;
  return codes;
}

// a: coupon (c3 does not exist), b: buyer.
Codes CouponClaimed(Model& m, const Step& s, Json& e) {
  const auto issuing = [&](const Coupon& c) {
    return c.issue_from <= m.now && m.now <= c.issue_to;
  };
  const std::string id = Choose(m.coupons, s.a, issuing, "c3");
  const auto placed = m.orders.find(Choose(m.orders, s.b, Unpaid, ""));  // its buyer, usually
  const std::string buyer =
      s.c < 12 && placed != m.orders.end() ? placed->second.buyer : Buyer(s.b);
  e.update({{"coupon_id", id}, {"buyer_id", buyer}});
  Codes codes;
  auto it = m.coupons.find(id);
  codes.If(it == m.coupons.end(), "unknown_coupon");
  if (!codes.ok()) return codes;
  Coupon& c = it->second;
  codes.If(m.now < c.issue_from || m.now > c.issue_to, "coupon_not_issuing");
  codes.If(c.claimed >= c.total, "coupon_exhausted");
  codes.If(c.claims[buyer] >= c.per_user_limit, "coupon_claim_limit");
  if (!codes.ok()) return codes;
  c.claimed += 1;
  c.claims[buyer] += 1;
  return codes;
}

// a: order, b: coupon (c3 does not exist).
Codes CouponRedeemed(Model& m, const Step& s, Json& e) {
  const auto usable = [&](const Order& o) {  // unpaid, and its buyer holds an unused claim
    return Unpaid(o) && std::any_of(m.coupons.begin(), m.coupons.end(),
                                    [&](const auto& c) { return c.second.Unused(o.buyer) > 0; });
  };
  const std::string order = Choose(m.orders, s.a, usable, OrderId(s.f));
  const auto known = m.orders.find(order);
  const std::string buyer = known == m.orders.end() ? "" : known->second.buyer;
  const auto held = [&](const Coupon& c) { return c.Unused(buyer) > 0; };
  const std::string id = Choose(m.coupons, s.b, held, "c3");
  e.update({{"order_id", order}, {"coupon_id", id}});
  Codes codes;
  Order* o = FindOrder(m, order, &codes);
  if (!o) return codes;
  UnpaidAndNotExpired(m, *o, &codes);
  codes.If(!o->coupon.empty(), "coupon_applied");
  auto it = m.coupons.find(id);
  codes.If(it == m.coupons.end(), "unknown_coupon");
  if (it == m.coupons.end()) return codes;
  Coupon& c = it->second;
  codes.If(c.Unused(o->buyer) <= 0, "coupon_not_claimed");
  codes.If(m.now < c.use_from || m.now > c.use_to, "coupon_not_usable");
  codes.If(!c.products.empty() && !Has(c.products, o->product), "coupon_scope_mismatch");
  codes.If(!Has(c.scenarios, o->kind), "coupon_scenario_mismatch");  // trial is never listed
  codes.If(c.threshold_kind && o->price < c.threshold, "coupon_threshold_not_met");
  if (!codes.ok()) return codes;
  o->discount = c.threshold_kind ? std::min(c.amount_off, o->price)
                                 : o->price - Fee(Fen(o->price), c.pay_rate_tenths * 100).value();
  o->coupon = id;
  c.in_use[o->buyer] += 1;
  return codes;
}

// a: order.
Codes CouponReleased(Model& m, const Step& s, Json& e) {
  const auto with_coupon = [](const Order& o) { return Unpaid(o) && !o.coupon.empty(); };
  const std::string id = Choose(m.orders, s.a, with_coupon, OrderId(s.f));
  e["order_id"] = id;
  Codes codes;
  Order* o = FindOrder(m, id, &codes);
  if (!o) return codes;
  UnpaidAndNotExpired(m, *o, &codes);
  codes.If(o->coupon.empty(), "coupon_not_applied");
  if (codes.ok()) ReleaseCoupon(m, *o);
  return codes;
}

// a: order, y: voucher part, d/e: sometimes off by 0.01.
Codes OrderPaid(Model& m, const Step& s, Json& e) {
  const std::string id = Choose(m.orders, s.a, Unpaid, OrderId(s.f));
  Codes codes;
  Order* o = FindOrder(m, id, &codes);
  const int64_t payable = o ? o->Payable() : 0;
  const int64_t voucher = s.y % (payable + 1);
  int64_t cash = payable - voucher;
  if (s.d % 8 == 0) cash += (s.e % 2 || cash == 0) ? 1 : -1;
  e.update({{"order_id", id}, {"cash", Money(cash)}, {"voucher", Money(voucher)}});
  if (!o) return codes;
  UnpaidAndNotExpired(m, *o, &codes);
  codes.If(cash + voucher != payable, "amount_mismatch");
  if (!codes.ok()) return codes;
  o->status = "paid";
  o->cash = cash;
  o->voucher = voucher;
  return codes;
}

// a: order, b: reason (every fourth one is the timer's "expired").
Codes OrderVoided(Model& m, const Step& s, Json& e) {
  const bool expired = s.b % 4 == 0;
  const std::string id = Choose(m.orders, s.a, Unpaid, OrderId(s.f));
  e.update({{"order_id", id}, {"reason", expired ? "expired" : "buyer_cancelled"}});
  Codes codes;
  Order* o = FindOrder(m, id, &codes);
  if (!o) return codes;
  codes.If(o->status != "unpaid", "order_not_unpaid");
  codes.If(expired && m.now < o->expires_at, "not_due");
  if (!codes.ok()) return codes;
  ReleaseCoupon(m, *o);  // 3.2: a coupon on a voided order is released
  o->status = "voided";
  return codes;
}

// a: refund, b: order, c: initiator, d: "remaining", e: release, x: amount.
Codes RefundRequested(Model& m, const Step& s, Json& e) {
  const std::string id = Fresh(m.refunds, s.a, "r", 10);
  Refund r{Choose(m.orders, s.b, WasPaid, OrderId(s.f)), s.c % 2 ? "seller" : "buyer"};
  Codes codes;
  codes.If(m.refunds.count(id) > 0, "refund_exists");
  Order* o = FindOrder(m, r.order, &codes);
  const int64_t refundable = o ? o->Refundable() : 0;
  const bool remaining = s.d % 4 == 0;
  r.amount = remaining ? refundable : 1 + s.x % (std::max<int64_t>(0, refundable) + 500);
  const bool keep = s.e % 3 == 0;
  e.update({{"refund_id", id}, {"order_id", r.order}, {"initiator", r.initiator},
            {"amount", remaining ? "remaining" : Money(r.amount)}, {"reason", "not as described"},
            {"release", keep ? "keep" : "immediate"}});
  if (keep) e["keep_reason"] = "licence runs to the end of the period";
  if (!o) return codes;
  codes.If(o->status != "paid" && o->status != "partially_refunded", "order_not_paid");
  codes.If(remaining && r.initiator != "seller", "malformed");  // README: the seller's privilege
  codes.If(r.amount <= 0 || r.amount > refundable, "refund_exceeds_balance");
  if (!codes.ok()) return codes;
  m.refunds[id] = r;
  o->pending += r.amount;
  return codes;
}

// a: refund, b: who decides (the seller or the platform).
Codes RefundDecided(Model& m, const Step& s, Json& e, bool approve) {
  const auto pending = [](const Refund& r) { return r.status == "pending"; };
  const std::string id = Choose(m.refunds, s.a, pending, "r" + std::to_string(s.a % 10 + 1));
  const auto known = m.refunds.find(id);
  const bool seller_decides = known == m.refunds.end() || known->second.initiator == "buyer";
  const std::string by = seller_decides == (s.b % 4 != 0) ? "seller" : "platform";  // 1/4 wrong
  e.update({{"refund_id", id}, {"by", by}});
  if (!approve) e["reason"] = "service already delivered";
  Codes codes;
  auto it = m.refunds.find(id);
  codes.If(it == m.refunds.end(), "unknown_refund");
  if (!codes.ok()) return codes;
  Refund& r = it->second;
  codes.If(r.status != "pending", "refund_not_pending");
  codes.If(by != (r.initiator == "buyer" ? "seller" : "platform"), "refund_wrong_approver");
  if (!codes.ok()) return codes;
  Order& o = m.orders[r.order];
  o.pending -= r.amount;
  r.status = approve ? "approved" : "rejected";
  if (!approve) return codes;
  // 3.3: cash refunded so far = round_half_up(R * cash paid / paid) on the cumulative R.
  const int64_t paid = o.cash + o.voucher, total = o.refunded + r.amount;
  const int64_t cash_so_far = MulDivRoundHalfUp(Fen(total), o.cash, paid).value();
  r.cash = cash_so_far - o.refunded_cash;
  r.voucher = r.amount - r.cash;
  o.refunded = total;
  o.refunded_cash = cash_so_far;
  o.status = total == paid ? "refunded" : "partially_refunded";
  return codes;
}
Codes RefundApproved(Model& m, const Step& s, Json& e) { return RefundDecided(m, s, e, true); }
Codes RefundRejected(Model& m, const Step& s, Json& e) { return RefundDecided(m, s, e, false); }

// a: invoice, c: first order, d: a second order (e picks it), b: buyer (usually the
// first order's), x: amount in 0.01..invoiceable + 1.00.
Codes InvoiceRequested(Model& m, const Step& s, Json& e) {
  const std::string id = Fresh(m.invoices, s.a, "i", 5);
  std::vector<std::string> ids = {Choose(m.orders, s.c, WasPaid, OrderId(s.f))};
  const std::string second = Choose(m.orders, s.e, WasPaid, OrderId(s.f + 1));
  if (s.d % 2 && second != ids[0]) ids.push_back(second);
  const auto first = m.orders.find(ids[0]);
  const std::string buyer = s.b % 4 && first != m.orders.end() ? first->second.buyer : Buyer(s.b);
  Codes codes;
  codes.If(m.invoices.count(id) > 0, "invoice_exists");
  int64_t invoiceable = 0;
  bool all_known = true;
  for (const std::string& oid : ids) {
    Order* o = FindOrder(m, oid, &codes);
    all_known = all_known && o;
    if (!o) continue;
    codes.If(!o->WasPaid(), "order_not_paid");
    codes.If(o->buyer != buyer, "invoice_buyer_mismatch");
    invoiceable += o->Invoiceable();
  }
  Invoice inv;
  inv.amount = 1 + s.x % (invoiceable + 100);
  e.update({{"invoice_id", id}, {"buyer_id", buyer}, {"order_ids", ids},
            {"amount", Money(inv.amount)}, {"invoice_type", "normal"},
            {"title", "Hangzhou Example Tech Co."}});
  codes.If(all_known && inv.amount > invoiceable, "invoice_exceeds_invoiceable");
  if (!codes.ok()) return codes;
  int64_t left = inv.amount;  // 6: allocated to the orders in the listed order
  for (const std::string& oid : ids) {
    Order& o = m.orders[oid];
    const int64_t share = std::min(left, o.Invoiceable());
    left -= share;
    o.invoiced += share;
    inv.allocations.emplace_back(oid, share);
  }
  m.invoices[id] = inv;
  return codes;
}

// a: invoice.
Codes InvoiceDecided(Model& m, const Step& s, Json& e, bool issue) {
  const auto requested = [](const Invoice& i) { return i.status == "requested"; };
  const std::string id = Choose(m.invoices, s.a, requested, "i" + std::to_string(s.a % 5 + 1));
  e["invoice_id"] = id;
  if (issue) e.update({{"invoice_no", "No.1"}, {"carrier", "SF Express"}, {"tracking_no", "SF1"}});
  if (!issue) e["reason"] = "wrong title";
  Codes codes;
  auto it = m.invoices.find(id);
  codes.If(it == m.invoices.end(), "unknown_invoice");
  if (!codes.ok()) return codes;
  codes.If(it->second.status != "requested", "invoice_not_pending");
  if (!codes.ok()) return codes;
  it->second.status = issue ? "issued" : "rejected";
  if (!issue) {
    for (const auto& [oid, share] : it->second.allocations) m.orders[oid].invoiced -= share;
  }
  return codes;
}
Codes InvoiceIssued(Model& m, const Step& s, Json& e) { return InvoiceDecided(m, s, e, true); }
Codes InvoiceRejected(Model& m, const Step& s, Json& e) { return InvoiceDecided(m, s, e, false); }

struct Command {
  const char* type;
  Codes (*run)(Model&, const Step&, Json&);
  size_t weight;
};
const Command kCommands[] = {
    {"OrderPlaced", OrderPlaced, 6},
    {"OrderPriceChanged", OrderPriceChanged, 3},
    {"CouponCreated", CouponCreated, 4},
    {"CouponClaimed", CouponClaimed, 6},
    {"CouponRedeemed", CouponRedeemed, 8},
    {"CouponReleased", CouponReleased, 2},
    {"OrderPaid", OrderPaid, 4},
    {"OrderVoided", OrderVoided, 2},
    {"RefundRequested", RefundRequested, 6},
    {"RefundApproved", RefundApproved, 5},
    {"RefundRejected", RefundRejected, 2},
    {"InvoiceRequested", InvoiceRequested, 5},
    {"InvoiceIssued", InvoiceIssued, 2},
    {"InvoiceRejected", InvoiceRejected, 2},
};

// How rapidcheck prints a step of a counterexample (the log shows its event).
void showValue(const Step& s, std::ostream& os) { os << kCommands[s.type].type; }

rc::Gen<Step> GenStep() {
  std::vector<int> weighted;  // each command's index, as often as its weight
  for (size_t i = 0; i < std::size(kCommands); ++i) {
    weighted.insert(weighted.end(), kCommands[i].weight, static_cast<int>(i));
  }
  auto pick = rc::gen::inRange(0, 16);
  auto fen = rc::gen::inRange<int64_t>(0, 50001);
  return rc::gen::build<Step>(
      rc::gen::set(&Step::type, rc::gen::elementOf(weighted)), rc::gen::set(&Step::a, pick),
      rc::gen::set(&Step::b, pick), rc::gen::set(&Step::c, pick), rc::gen::set(&Step::d, pick),
      rc::gen::set(&Step::e, pick), rc::gen::set(&Step::f, pick), rc::gen::set(&Step::x, fen),
      rc::gen::set(&Step::y, fen), rc::gen::set(&Step::minutes, rc::gen::inRange(1, 601)));
}

// ---- Comparing the ledger's read models with the model. -----------------------

void CheckOrders(Harness& h, const Model& m, const std::string& context) {
  for (int i = 0; i < kOrders; ++i) {
    const std::string id = OrderId(i);
    const Json row = h.OrderRow("s1", id);
    const auto it = m.orders.find(id);
    if (row.is_null() != (it == m.orders.end())) {
      RC_FAIL(context + "order " + id + " is known to only one of the ledger and the model");
    }
    if (row.is_null()) continue;
    const Order& o = it->second;
    const Json expected = {{"status", o.status},
                           {"price", Money(o.price)},
                           {"discount", Money(o.discount)},
                           {"payable", Money(o.Payable())},
                           {"paid_cash", Money(o.cash)},
                           {"paid_voucher", Money(o.voucher)},
                           {"refunded", Money(o.refunded)},
                           {"invoiced", Money(o.invoiced)},
                           {"invoiceable", Money(o.Invoiceable())},
                           {"expires_at", At(o.expires_at)},
                           {"coupon_id", o.coupon.empty() ? Json(nullptr) : Json(o.coupon)}};
    Json actual = Json::object();
    for (const auto& [key, value] : expected.items()) actual[key] = row[key];
    if (actual != expected) {
      RC_FAIL(context + "order " + id + ": model " + expected.dump() + "\n  ledger " +
              actual.dump());
    }
  }
}

void CheckRefundsCouponsInvoices(Harness& h, const Model& m, Micros as_of) {
  for (const auto& [id, r] : m.refunds) {
    Json actual;
    const Json order = h.Order("s1", r.order);  // keep alive: the loop reads into it
    for (const Json& j : order["refunds"]) {
      if (j["refund_id"] == id) actual = {j["status"], j["amount"], j["cash"], j["voucher"]};
    }
    const bool approved = r.status == "approved";
    const Json expected = {r.status, Money(r.amount), approved ? Json(Money(r.cash)) : Json(),
                           approved ? Json(Money(r.voucher)) : Json()};
    if (actual != expected) {
      RC_FAIL("refund " + id + ": model " + expected.dump() + ", ledger " + actual.dump());
    }
  }
  const Json coupons = h.Coupons("s1", as_of);
  for (const auto& [id, c] : m.coupons) {
    int redeemed = 0;
    for (const auto& [buyer, n] : c.in_use) redeemed += n;
    Json actual;
    for (const Json& j : coupons["coupons"]) {
      if (j["coupon_id"] == id) actual = {j["claimed"], j["redeemed"]};
    }
    if (actual != Json{c.claimed, redeemed}) RC_FAIL("coupon " + id + ": ledger " + actual.dump());
  }
  const Json invoices = h.Invoices("s1", as_of);
  for (const auto& [id, inv] : m.invoices) {
    Json actual;
    for (const Json& j : invoices["invoices"]) {
      if (j["invoice_id"] == id) actual = {j["status"], j["amount"]};
    }
    const Json expected = {inv.status, Money(inv.amount)};
    if (actual != expected) {
      RC_FAIL("invoice " + id + ": model " + expected.dump() + ", ledger " + actual.dump());
    }
  }
}

RC_GTEST_PROP(ModelProperty, LedgerAgreesWithTheModelOnOutcomesAndEveryOrder, ()) {
  const auto steps = *rc::gen::container<std::vector<Step>>(GenStep());
  Harness h;
  RC_ASSERT(h.Send(ProductListed("p1", "saas", At(0))) == "accepted");
  RC_ASSERT(h.Send(ProductListed("p2", "service", At(0))) == "accepted");
  Model m;
  for (size_t i = 0; i < steps.size(); ++i) {
    const Step& s = steps[i];
    m.now += s.minutes;
    const Command& command = kCommands[s.type];
    Json e = Event(command.type, "m" + std::to_string(i), At(m.now));
    const Codes expected = command.run(m, s, e);
    const std::string outcome = h.Send(e);
    RC_LOG() << "#" << i << " " << e.dump() << " -> " << outcome << "\n";
    const bool agree = expected.ok() ? outcome == "accepted" : Has(expected.list, outcome);
    if (!agree) {
      Json codes = expected.list;
      RC_FAIL("step #" + std::to_string(i) + " " + e.dump() + "\n  model expects " +
              (expected.ok() ? std::string("accepted") : "one of " + codes.dump()) +
              "\n  ledger says " + outcome + ": " + h.last_message());
    }
    CheckOrders(h, m, "after step #" + std::to_string(i) + " " + e.dump() + "\n  ");
    if (s.minutes % 16 == 0) CheckRefundsCouponsInvoices(h, m, T(At(m.now)));
  }
  CheckRefundsCouponsInvoices(h, m, T(At(m.now)));
}

}  // namespace
}  // namespace mkt::test
