#include "projections/projections.h"

#include "projections/digest.h"

namespace mkt {

std::vector<std::string> Projections::Families() {
  std::vector<std::string> families = OrderListProjection::Families();
  for (const auto& f : CouponListProjection::Families()) families.push_back(f);
  for (const auto& f : InvoiceListProjection::Families()) families.push_back(f);
  for (const auto& f : SettlementProjection::Families()) families.push_back(f);
  for (const auto& f : StrengthProjection::Families()) families.push_back(f);
  return families;
}

std::map<std::string, std::string> Projections::Digests() const {
  return {{"orders", DigestFamilies(*store_, OrderListProjection::Families())},
          {"coupons", DigestFamilies(*store_, CouponListProjection::Families())},
          {"invoicing", DigestFamilies(*store_, InvoiceListProjection::Families())},
          {"settlement", DigestFamilies(*store_, SettlementProjection::Families())},
          {"strength", DigestFamilies(*store_, StrengthProjection::Families())}};
}

}  // namespace mkt
