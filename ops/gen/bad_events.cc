// The invalid events of `ledger gen` (GenOptions::invalid_rate): each one is made from the
// valid event it follows, broken in exactly one way that the ledger must reject whatever its
// state, and drawn from the generator's separate bad-event random stream.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "ledger/assert.h"
#include "ops/gen/gen_internal.h"
#include "ops/gen/word_lists.h"

namespace mkt::gen::detail {

namespace {

bool BadKindFits(BadKind kind, const Event& valid, const Product& product) {
  switch (kind) {
    case BadKind::kResellerNotEnabled:
      return product.rate_bp == 0;
    case BadKind::kEventIdConflict:
      // Only types whose re-send would also be refused on business rules (product_exists,
      // reseller_rate_immutable, order_exists, order_not_unpaid) if ids were not compared.
      return valid.type == Type::kProductListed || valid.type == Type::kResellerRateSet ||
             valid.type == Type::kOrderPlaced || valid.type == Type::kOrderPaid ||
             valid.type == Type::kOrderVoided;
    case BadKind::kPriceIncrease:
    case BadKind::kAmountMismatch:
      return valid.type == Type::kOrderPlaced;
    case BadKind::kOrderNotUnpaid:
      return valid.type == Type::kOrderPaid || valid.type == Type::kOrderVoided;
    default:
      return true;
  }
}

// Edits of a line we formatted ourselves, for making bad events. A value runs from after
// `"key":` to the next `,"` or the closing brace; no generated value contains `,"`.
size_t ValueEnd(const std::string& line, size_t begin) {
  const size_t end = line.find(",\"", begin);
  return end == std::string::npos ? line.size() - 1 : end;
}

void SetField(std::string* line, std::string_view key, std::string_view raw_value) {
  const std::string pattern = "\"" + std::string(key) + "\":";
  const size_t pos = line->find(pattern);
  MKT_ASSERT(pos != std::string::npos, "no ", key, " in ", *line);
  const size_t begin = pos + pattern.size();
  line->replace(begin, ValueEnd(*line, begin) - begin, raw_value);
}

void RemoveField(std::string* line, std::string_view key) {
  const std::string pattern = ",\"" + std::string(key) + "\":";
  const size_t pos = line->find(pattern);
  MKT_ASSERT(pos != std::string::npos, "no ", key, " in ", *line);
  line->erase(pos, ValueEnd(*line, pos + 1) - pos);
}

std::string Quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

std::string FenText(int64_t fen) {
  std::string text;
  AppendFen(&text, fen);
  return text;
}

}  // namespace

void Generator::WriteBad(const Event& valid) {
  const Product& product = ProductOf(valid);
  auto kind = static_cast<BadKind>(bad_rng_.Below(static_cast<uint64_t>(BadKind::kCount)));
  // Redraw kinds that need a particular predecessor; the generic ones always fit.
  for (int tries = 0; !BadKindFits(kind, valid, product); ++tries) {
    kind = tries < 8 ? static_cast<BadKind>(bad_rng_.Below(static_cast<uint64_t>(BadKind::kCount)))
                     : BadKind::kUnknownOrder;
  }
  ++bad_events_;
  bad_event_id_.assign("e-").append(seed_text_).append("-x");
  AppendUnsigned(&bad_event_id_, bad_events_, 1);
  BuildBad(kind, valid, product);
  output_.Line(line_);
  ++stats_.events;
  ++stats_.invalid;
}

const Product& Generator::ProductOf(const Event& e) const {
  return sellers_[static_cast<size_t>(e.seller)].products[static_cast<size_t>(e.product)];
}

// A fresh order id that no valid event uses: the `x` cannot appear in valid order numbers.
std::string Generator::FreshOrderId(const Event& valid) const {
  std::string id = "o-";
  AppendSellerId(&id, valid.seller);
  id.append("-x");
  AppendUnsigned(&id, bad_events_, 6);
  return id;
}

// An OrderPlaced that would be valid, on the valid event's (listed) product, under a fresh
// order id; the caller breaks exactly one thing in it.
void Generator::FormatFreshOrder(const Event& valid, const Product& product) {
  Event e = OrderEvent(Type::kOrderPlaced, valid, valid.at_s);
  e.buyer = static_cast<int32_t>(bad_rng_.Below(static_cast<uint64_t>(buyers_)));
  e.quantity = 1;
  e.amount_fen = product.base_fen;
  formatter_.Format(e, bad_event_id_, &line_);
  SetField(&line_, "order_id", Quoted(FreshOrderId(valid)));
}

void Generator::BuildBad(BadKind kind, const Event& valid, const Product& product) {
  switch (kind) {
    case BadKind::kMoneyThreeDecimals:
      FormatFreshOrder(valid, product);
      SetField(&line_, "list_price", Quoted(FenText(product.base_fen) + "5"));
      return;
    case BadKind::kMoneyAsNumber:
      FormatFreshOrder(valid, product);
      SetField(&line_, "list_price", FenText(product.base_fen));
      return;
    case BadKind::kNegativeMoney:
      FormatFreshOrder(valid, product);
      SetField(&line_, "list_price", Quoted("-" + FenText(product.base_fen)));
      return;
    case BadKind::kBadTimestamp:
      FormatFreshOrder(valid, product);
      SetField(&line_, "at", BadTimestamp(valid.at_s));
      return;
    case BadKind::kMissingField: {
      static constexpr std::array<std::string_view, 6> kFields = {
          "seller_id", "at", "product_id", "buyer_id", "quantity", "list_price"};
      FormatFreshOrder(valid, product);
      RemoveField(&line_, kFields[bad_rng_.Below(kFields.size())]);
      return;
    }
    case BadKind::kIdWithSpace: {
      FormatFreshOrder(valid, product);
      std::string id = FreshOrderId(valid);
      id[1] = ' ';  // "o s0001-x000042"
      SetField(&line_, "order_id", Quoted(id));
      return;
    }
    case BadKind::kUnknownProduct: {
      FormatFreshOrder(valid, product);
      std::string id = "p-";
      AppendSellerId(&id, valid.seller);
      id.append("-x").append(std::to_string(bad_rng_.Between(1, 99)));
      SetField(&line_, "product_id", Quoted(id));
      return;
    }
    default:
      BuildBadOnState(kind, valid, product);
      return;
  }
}

// The kinds that refer to existing products and orders.
void Generator::BuildBadOnState(BadKind kind, const Event& valid, const Product& product) {
  switch (kind) {
    case BadKind::kUnknownType: {
      static constexpr std::array<std::string_view, 3> kTypes = {"OrderShipped", "ProductDeleted",
                                                                 "OrderRefunded"};
      FormatFreshOrder(valid, product);
      SetField(&line_, "type", Quoted(kTypes[bad_rng_.Below(kTypes.size())]));
      return;
    }
    case BadKind::kUnknownOrder: {
      Event paid = OrderEvent(Type::kOrderPaid, valid, valid.at_s);
      paid.amount_fen = product.base_fen;
      formatter_.Format(paid, bad_event_id_, &line_);
      SetField(&line_, "order_id", Quoted(FreshOrderId(valid)));
      return;
    }
    case BadKind::kResellerNotEnabled:
      FormatFreshOrder(valid, product);
      SetField(&line_, "channel", "\"reseller\",\"reseller_id\":\"r001\"");
      return;
    case BadKind::kRateOutOfRange: {
      static constexpr std::array<std::string_view, 5> kRates = {"1900", "6100", "2050", "0",
                                                                 "10000"};
      formatter_.Format(ProductEvent(Type::kResellerRateSet, static_cast<size_t>(valid.seller),
                                     static_cast<size_t>(valid.product), valid.at_s),
                        bad_event_id_, &line_);
      SetField(&line_, "rate_bp", kRates[bad_rng_.Below(kRates.size())]);
      return;
    }
    case BadKind::kProductExists:
      formatter_.Format(ProductEvent(Type::kProductListed, static_cast<size_t>(valid.seller),
                                     static_cast<size_t>(valid.product), valid.at_s),
                        bad_event_id_, &line_);
      return;
    case BadKind::kEventIdConflict:
      BuildConflict(valid, product);
      return;
    default:
      BuildBadOnOrder(kind, valid);
      return;
  }
}

// Price increase and amount mismatch right after placing (price is still list_price), or a
// price change right after the order stopped being unpaid.
void Generator::BuildBadOnOrder(BadKind kind, const Event& valid) {
  if (kind == BadKind::kAmountMismatch) {
    Event paid = OrderEvent(Type::kOrderPaid, valid, valid.at_s);
    paid.amount_fen = valid.amount_fen + 100 * bad_rng_.Between(1, 50);
    formatter_.Format(paid, bad_event_id_, &line_);
    return;
  }
  Event changed = OrderEvent(Type::kOrderPriceChanged, valid, valid.at_s);
  changed.detail = static_cast<int32_t>(bad_rng_.Below(kPriceChangeReasons.size()));
  changed.amount_fen =
      kind == BadKind::kPriceIncrease ? valid.amount_fen + 100 * bad_rng_.Between(1, 1000) : 0;
  formatter_.Format(changed, bad_event_id_, &line_);
}

// The valid event re-sent under its own id with one field changed.
void Generator::BuildConflict(const Event& valid, const Product& product) {
  formatter_.Format(valid, event_id_, &line_);
  switch (valid.type) {
    case Type::kProductListed:
      SetField(&line_, "name", Quoted(product.name + " Pro"));
      return;
    case Type::kResellerRateSet:
      SetField(&line_, "rate_bp",
               std::to_string(product.rate_bp == 6000 ? 5900 : product.rate_bp + 100));
      return;
    case Type::kOrderPlaced:
      SetField(&line_, "quantity", std::to_string(valid.quantity + 1));
      return;
    case Type::kOrderPaid:
      SetField(&line_, "cash", Quoted(FenText(valid.amount_fen + 100)));
      return;
    default:  // kOrderVoided
      SetField(&line_, "reason", Quoted("expired"));
      return;
  }
}

// The right instant written wrongly: no offset ("2026-10-03T10:00:00"), that plus a space
// for the T (which lenient RFC 3339 readers accept only with an offset), or a bare date.
std::string Generator::BadTimestamp(int64_t at_s) {
  std::string text;
  formatter_.AppendTime(&text, at_s);  // "2026-10-03T10:00:00+08:00"
  switch (bad_rng_.Below(3)) {
    case 0:
      text[10] = ' ';
      text.resize(19);
      break;
    case 1:
      text.resize(19);
      break;
    default:
      text.resize(10);
      break;
  }
  return Quoted(text);
}

}  // namespace mkt::gen::detail
