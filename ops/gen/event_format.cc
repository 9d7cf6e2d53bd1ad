// Events as NDJSON lines in the format of LEDGER.md section 3: ids, time, the envelope, and
// the catalogue and order events; the other families are in format_flows.cc.
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

#include "ledger/assert.h"
#include "ops/gen/delivery_shapes.h"
#include "ops/gen/gen_internal.h"
#include "ops/gen/json_fields.h"
#include "ops/gen/word_lists.h"

namespace mkt::gen::detail {

static_assert(kTypeNames.size() == static_cast<size_t>(Type::kInvoiceRejected) + 1);

namespace {

// The template a product lists with, when it is not its category's default.
bool ListsTemplate(const Product& product) {
  return product.shape != 0 && product.shape - 1u != kShapeBasic &&
         product.shape - 1u != kShapeLicense && product.shape - 1u != kShapeHardware;
}

}  // namespace

void AppendUnsigned(std::string* out, uint64_t value, int width) {
  char digits[24];
  const auto result = std::to_chars(digits, digits + sizeof(digits), value);
  const auto length = static_cast<int>(result.ptr - digits);
  if (length < width) out->append(static_cast<size_t>(width - length), '0');
  out->append(digits, result.ptr);
}

void AppendFen(std::string* out, int64_t fen) {
  MKT_ASSERT(fen >= 0, "fen=", fen);
  AppendUnsigned(out, static_cast<uint64_t>(fen / 100), 1);
  out->push_back('.');
  AppendUnsigned(out, static_cast<uint64_t>(fen % 100), 2);
}

void AppendSellerId(std::string* out, int32_t seller) {
  out->push_back('s');
  AppendUnsigned(out, static_cast<uint64_t>(seller) + 1, 4);
}

void AppendProductId(std::string* out, int32_t seller, int32_t product) {
  out->append("p-");
  AppendSellerId(out, seller);
  out->push_back('-');
  AppendUnsigned(out, static_cast<uint64_t>(product) + 1, 2);
}

void AppendOrderId(std::string* out, int32_t seller, int64_t order_no) {
  out->append("o-");
  AppendSellerId(out, seller);
  out->push_back('-');
  AppendUnsigned(out, static_cast<uint64_t>(order_no), 6);
}

void AppendBuyerId(std::string* out, int32_t buyer) {
  out->push_back('b');
  AppendUnsigned(out, static_cast<uint64_t>(buyer) + 1, 6);
}

void AppendCouponId(std::string* out, int32_t seller, int32_t coupon) {
  out->append("c-");
  AppendSellerId(out, seller);
  out->push_back('-');
  AppendUnsigned(out, static_cast<uint64_t>(coupon), 4);
}

void TimeFormatter::Append(std::string* out, int64_t at_s) {
  const int64_t local = at_s + kTzOffsetSeconds;
  const int64_t day = local >= 0 ? local / kSecondsPerDay : (local + 1) / kSecondsPerDay - 1;
  if (day != cached_day_) CacheDay(day);
  const int64_t second_of_day = local - day * kSecondsPerDay;
  out->append(cached_date_);
  AppendUnsigned(out, static_cast<uint64_t>(second_of_day / kSecondsPerHour), 2);
  out->push_back(':');
  AppendUnsigned(out, static_cast<uint64_t>(second_of_day / 60 % 60), 2);
  out->push_back(':');
  AppendUnsigned(out, static_cast<uint64_t>(second_of_day % 60), 2);
  out->append("+08:00");
}

void TimeFormatter::CacheDay(int64_t day) {
  const CivilDate date = CivilFromDays(day);
  cached_date_.clear();
  AppendUnsigned(&cached_date_, static_cast<uint64_t>(date.year), 4);
  cached_date_.push_back('-');
  AppendUnsigned(&cached_date_, date.month, 2);
  cached_date_.push_back('-');
  AppendUnsigned(&cached_date_, date.day, 2);
  cached_date_.push_back('T');
  cached_day_ = day;
}

void Formatter::Format(const Event& e, std::string_view event_id, std::string* line) {
  line->assign("{\"type\":\"").append(kTypeNames[static_cast<size_t>(e.type)]);
  line->append("\",\"event_id\":\"").append(event_id).append("\",\"at\":\"");
  times_.Append(line, e.at_s);
  line->append("\",\"seller_id\":\"");
  AppendSellerId(line, e.seller);
  line->push_back('"');
  switch (e.type) {
    case Type::kProductListed:
    case Type::kResellerRateSet:
    case Type::kProductUpdated:
    case Type::kProductProfileUpdated:
      AppendProductFields(e, line);
      break;
    case Type::kProductDailyMetrics:
      AppendMetrics(e, line);
      break;
    case Type::kDeliveryTemplateDefined:
      AppendTemplate(e, line);
      break;
    case Type::kOrderPlaced:
    case Type::kOrderPriceChanged:
    case Type::kOrderPaid:
    case Type::kOrderVoided:
    case Type::kCouponRedeemed:
    case Type::kCouponReleased:
      AppendOrderFields(e, line);
      break;
    case Type::kDeliveryStep:
      AppendDeliveryStep(e, line);
      break;
    case Type::kReviewPosted:
      AppendReview(e, line);
      break;
    case Type::kCouponCreated:
    case Type::kCouponIssuancePaused:
    case Type::kCouponIssuanceResumed:
    case Type::kCouponVoided:
    case Type::kCouponClaimed:
      AppendCouponFields(e, line);
      break;
    case Type::kRefundRequested:
    case Type::kRefundApproved:
    case Type::kRefundRejected:
      AppendRefundFields(e, line);
      break;
    case Type::kInvoiceRequested:
    case Type::kInvoiceIssued:
    case Type::kInvoiceRejected:
      AppendInvoiceFields(e, line);
      break;
  }
  line->push_back('}');
}

void Formatter::AppendProductFields(const Event& e, std::string* line) {
  const Product& product =
      sellers_[static_cast<size_t>(e.seller)].products[static_cast<size_t>(e.product)];
  ProductIdField(line, e.seller, e.product);
  switch (e.type) {
    case Type::kProductListed:
      StringField(line, "name", product.name);
      StringField(line, "category", kCategories[static_cast<size_t>(product.category)].name);
      if (product.fee_bp != 0) IntField(line, "platform_fee_bp", product.fee_bp);
      if (ListsTemplate(product)) {
        StringField(line, "delivery_template", kDeliveryShapes[product.shape - 1u].id);
      }
      break;
    case Type::kResellerRateSet:
      IntField(line, "rate_bp", product.rate_bp);
      break;
    case Type::kProductUpdated:
      if (e.rename != 0) {
        StringField(line, "name", product.name + std::string(kRenameSuffixes[e.rename - 1u]));
      }
      if (e.detail != 0) IntField(line, "platform_fee_bp", e.detail);
      break;
    default:  // kProductProfileUpdated
      for (size_t f = 0; f < kProfileFields.size(); ++f) {
        if ((e.detail >> (2 * f) & 1) == 0) continue;
        Key(line, kProfileFields[f]);
        line->append((e.detail >> (2 * f + 1) & 1) != 0 ? "true" : "false");
      }
      break;
  }
}

void Formatter::AppendOrderFields(const Event& e, std::string* line) {
  OrderIdField(line, e.seller, e.order_no);
  switch (e.type) {
    case Type::kOrderPlaced:
      AppendOrderPlaced(e, line);
      break;
    case Type::kOrderPriceChanged:
      MoneyField(line, "new_price", e.amount_fen);
      StringField(line, "reason", kPriceChangeReasons[static_cast<size_t>(e.detail)]);
      break;
    case Type::kOrderPaid:
      MoneyField(line, "cash", e.amount_fen);
      MoneyField(line, "voucher", e.voucher_fen);
      break;
    case Type::kOrderVoided:
      StringField(line, "reason", "buyer_cancelled");
      break;
    case Type::kCouponRedeemed:
      CouponIdField(line, e.seller, e.ref);
      break;
    default:  // kCouponReleased: the order is all it names
      break;
  }
}

void Formatter::AppendOrderPlaced(const Event& e, std::string* line) {
  const Product& product =
      sellers_[static_cast<size_t>(e.seller)].products[static_cast<size_t>(e.product)];
  const Category& category = kCategories[static_cast<size_t>(product.category)];
  Key(line, "product_id");
  line->push_back('"');
  AppendProductId(line, e.seller, e.product);
  line->append("\",\"buyer_id\":\"");
  AppendBuyerId(line, e.buyer);
  line->push_back('"');
  StringField(line, "kind", kKindNames[e.kind]);
  if (e.spec != 0) StringField(line, "spec", category.specs[e.spec - 1u]);
  if (e.period != 0) StringField(line, "period", category.periods[e.period - 1u]);
  IntField(line, "quantity", e.quantity);
  MoneyField(line, "list_price", e.amount_fen);
  StringField(line, "channel", kChannelNames[e.channel]);
  if (e.reseller != 0) {
    line->append(",\"reseller_id\":\"r");
    AppendUnsigned(line, e.reseller, 3);
    line->push_back('"');
  }
}

}  // namespace mkt::gen::detail
