// LEDGER.md section 3.1: products, reseller rates, profile flags, daily metrics.
#include <array>
#include <string>

#include "ledger/delivery_templates.h"
#include "ledger/rules.h"

namespace mkt {
namespace {

Check CheckFeeRate(std::optional<int32_t> bp) {
  if (bp && (*bp < 0 || *bp > kBpPerUnit)) {
    return Rejection{Code::kMalformed, "field platform_fee_bp: " + std::to_string(*bp) +
                                           " is out of range 0..10000"};
  }
  return std::nullopt;
}

Check CheckTemplate(const flatbuffers::String* name, RuleContext& ctx) {
  if (name != nullptr && FindTemplate(ctx, name->string_view()).empty()) {
    return Rejection{Code::kMalformed, "field delivery_template: " + Quoted(name->string_view()) +
                                           " is not a delivery template"};
  }
  return std::nullopt;
}

Check ProductListed(const fb::ProductListed& e, RuleContext& ctx) {
  const std::string_view id = e.product_id()->string_view();
  if (ctx.state.products.Find(ctx.seller_id, id) != nullptr) {
    return Rejection{Code::kProductExists, "field product_id: " + Quoted(id) + " is already listed"};
  }
  if (auto r = CheckFeeRate(e.platform_fee_bp())) return r;
  if (auto r = CheckTemplate(e.delivery_template(), ctx)) return r;
  fb::ProductStateT* product = ctx.state.products.Mutable(ctx.seller_id, id);
  product->name = e.name()->str();
  product->category = e.category();
  product->platform_fee_bp = e.platform_fee_bp().value_or(
      ctx.policy.platform_fee_bp[static_cast<size_t>(e.category())]);
  product->delivery_template = e.delivery_template() != nullptr
                                   ? e.delivery_template()->str()
                                   : std::string(DefaultTemplate(e.category()));
  product->listed_at_us = ctx.at;
  return std::nullopt;
}

Check ProductUpdated(const fb::ProductUpdated& e, RuleContext& ctx) {
  const std::string_view id = e.product_id()->string_view();
  if (ctx.state.products.Find(ctx.seller_id, id) == nullptr) return UnknownProduct(id);
  if (auto r = CheckFeeRate(e.platform_fee_bp())) return r;
  if (auto r = CheckTemplate(e.delivery_template(), ctx)) return r;
  fb::ProductStateT* product = ctx.state.products.Mutable(ctx.seller_id, id);
  if (e.name() != nullptr) product->name = e.name()->str();
  if (e.platform_fee_bp()) product->platform_fee_bp = *e.platform_fee_bp();
  if (e.delivery_template() != nullptr) product->delivery_template = e.delivery_template()->str();
  return std::nullopt;
}

Check ResellerRateSet(const fb::ResellerRateSet& e, RuleContext& ctx) {
  const std::string_view id = e.product_id()->string_view();
  const fb::ProductStateT* existing = ctx.state.products.Find(ctx.seller_id, id);
  if (existing == nullptr) return UnknownProduct(id);
  if (existing->reseller_rate_bp) {
    return Rejection{Code::kResellerRateImmutable,
                     "field product_id: " + Quoted(id) + " already has reseller rate " +
                         std::to_string(*existing->reseller_rate_bp) + " bp; it is set once"};
  }
  const Policy& p = ctx.policy;
  const int32_t rate = e.rate_bp();
  if (rate < p.reseller_rate_min_bp || rate > p.reseller_rate_max_bp ||
      (rate - p.reseller_rate_min_bp) % p.reseller_rate_step_bp != 0) {
    return Rejection{Code::kResellerRateOutOfRange,
                     "field rate_bp: " + std::to_string(rate) + " must be in " +
                         std::to_string(p.reseller_rate_min_bp) + ".." +
                         std::to_string(p.reseller_rate_max_bp) + " in steps of " +
                         std::to_string(p.reseller_rate_step_bp)};
  }
  ctx.state.products.Mutable(ctx.seller_id, id)->reseller_rate_bp = rate;
  return std::nullopt;
}

Check ProductProfileUpdated(const fb::ProductProfileUpdated& e, RuleContext& ctx) {
  const std::string_view id = e.product_id()->string_view();
  if (ctx.state.products.Find(ctx.seller_id, id) == nullptr) return UnknownProduct(id);
  fb::ProductStateT* product = ctx.state.products.Mutable(ctx.seller_id, id);
  if (e.has_case_study()) product->has_case_study = *e.has_case_study();
  if (e.has_qualification()) product->has_qualification = *e.has_qualification();
  if (e.has_video()) product->has_video = *e.has_video();
  return std::nullopt;
}

Check ProductDailyMetrics(const fb::ProductDailyMetrics& e, RuleContext& ctx) {
  const std::string_view id = e.product_id()->string_view();
  if (ctx.state.products.Find(ctx.seller_id, id) == nullptr) return UnknownProduct(id);
  // Tickets resolved on a day may have been opened earlier, so no relation
  // between the counts is enforced. Recorded in the log for the strength score.
  return std::nullopt;
}

}  // namespace

std::vector<TemplateNode> FindTemplate(RuleContext& ctx, std::string_view name) {
  std::vector<TemplateNode> nodes;
  for (const TemplateNodeSpec& n : BuiltInTemplate(name)) {
    nodes.push_back(TemplateNode{std::string(n.name), n.actor, n.rejectable, n.timeout_tenths_days});
  }
  if (!nodes.empty()) return nodes;
  const fb::TemplateStateT* defined = ctx.state.templates.Find(ctx.seller_id, name);
  if (defined == nullptr) return nodes;
  for (const auto& n : defined->nodes) {
    nodes.push_back(TemplateNode{n->name, n->actor, n->rejectable, n->timeout_tenths_days});
  }
  return nodes;
}

std::string_view DefaultTemplate(fb::Category category) {
  switch (category) {
    case fb::Category::service: return "basic";
    case fb::Category::license: return "license";
    case fb::Category::hardware: return "hardware";
    default: return "";
  }
}

Check ApplyCatalogueEvent(const fb::InputEvent& event, RuleContext& ctx) {
  switch (event.event_type()) {
    case fb::Event::ProductListed: return ProductListed(*event.event_as_ProductListed(), ctx);
    case fb::Event::ProductUpdated: return ProductUpdated(*event.event_as_ProductUpdated(), ctx);
    case fb::Event::ResellerRateSet:
      return ResellerRateSet(*event.event_as_ResellerRateSet(), ctx);
    case fb::Event::ProductProfileUpdated:
      return ProductProfileUpdated(*event.event_as_ProductProfileUpdated(), ctx);
    case fb::Event::ProductDailyMetrics:
      return ProductDailyMetrics(*event.event_as_ProductDailyMetrics(), ctx);
    default: MKT_ASSERT(false, "not a catalogue event");
  }
  return std::nullopt;
}

}  // namespace mkt
