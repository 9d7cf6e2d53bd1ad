// LEDGER.md section 4.4: delivery supervision. A delivery instance opens at node
// 0 when an order of a product with a template is paid; steps complete or
// reject the current node, appeals freeze the flow until the platform resolves
// them. Completion and termination make the order eligible for settlement.
#include <set>
#include <string>

#include "ledger/enum_names.h"
#include "ledger/rules.h"

namespace mkt {
namespace {

Rejection Invalid(const std::string& message) {
  return Rejection{Code::kDeliveryStepInvalid, message};
}

std::string ActorName(fb::Actor actor) { return std::string(SpecName(fb::EnumNameActor(actor))); }
std::string_view NodeActorName(fb::NodeActor a) { return SpecName(fb::EnumNameNodeActor(a)); }

Check TemplateDefined(const fb::DeliveryTemplateDefined& e, RuleContext& ctx) {
  const std::string_view id = e.template_id()->string_view();
  if (!FindTemplate(ctx, id).empty()) {
    return Rejection{Code::kMalformed, "field template_id: " + Quoted(id) + " already exists"};
  }
  const auto* nodes = e.nodes();
  if (nodes->size() == 0 || nodes->Get(nodes->size() - 1)->actor() != fb::NodeActor::buyer) {
    return Rejection{Code::kMalformed, "field nodes: must not be empty and the last node must be the buyer's"};
  }
  std::set<std::string_view> names;
  for (const fb::TemplateNode* n : *nodes) {
    if (!names.insert(n->name()->string_view()).second) {
      return Rejection{Code::kMalformed, "field nodes: node " + Quoted(n->name()->string_view()) + " appears twice"};
    }
  }
  if (nodes->Get(0)->rejectable()) {
    return Rejection{Code::kMalformed, "field nodes: the first node has no previous node to reject to"};
  }
  fb::TemplateStateT* state = ctx.state.templates.Mutable(ctx.seller_id, id);
  for (const fb::TemplateNode* n : *nodes) {
    auto node = std::make_unique<fb::TemplateNodeStateT>();
    node->name = n->name()->str();
    node->actor = n->actor();
    node->rejectable = n->rejectable();
    node->timeout_tenths_days = n->timeout_days();
    state->nodes.push_back(std::move(node));
  }
  return std::nullopt;
}

// The instance must exist and still run; for anything but resolve_appeal no
// appeal may be open; the step names the current node.
Check CheckOpen(const fb::DeliveryStep& e, const fb::OrderStateT& order,
                const std::vector<TemplateNode>& nodes) {
  const std::string_view order_id = e.order_id()->string_view();
  if (order.delivery_template.empty()) {
    return Rejection{Code::kDeliveryNotApplicable,
                     "field order_id: the product of order " + Quoted(order_id) + " has no delivery template"};
  }
  if (order.delivery_state == fb::DeliveryState::none) {
    return Invalid("field order_id: order " + Quoted(order_id) + " is not paid; delivery opens at payment");
  }
  if (order.delivery_state == fb::DeliveryState::completed ||
      order.delivery_state == fb::DeliveryState::terminated) {
    return Rejection{Code::kDeliveryClosed, "field order_id: delivery of " + Quoted(order_id) + " is " +
                                                std::string(SpecName(fb::EnumNameDeliveryState(order.delivery_state)))};
  }
  const std::string& current = nodes[order.delivery_node].name;
  if (e.node()->string_view() != current) {
    return Invalid("field node: " + Quoted(e.node()->string_view()) + " is not the current node " + Quoted(current));
  }
  const bool appeal_open = order.delivery_state == fb::DeliveryState::appeal;
  if (appeal_open != (e.action() == fb::DeliveryAction::resolve_appeal)) {
    return Invalid(appeal_open ? "field action: an appeal is open; only the platform's resolve_appeal may follow"
                               : "field action: there is no open appeal to resolve");
  }
  if (e.outcome() && e.action() != fb::DeliveryAction::resolve_appeal) {
    return Invalid("field outcome: only with resolve_appeal");
  }
  return std::nullopt;
}

// Who may act: complete/reject by the node's actor (a timed-out node also by
// the system once due); appeal by buyer or seller; resolve by the platform.
Check CheckActor(const fb::DeliveryStep& e, const fb::OrderStateT& order, const TemplateNode& node,
                 RuleContext& ctx) {
  const std::string actor = ActorName(e.actor());
  switch (e.action()) {
    case fb::DeliveryAction::appeal:
      if (e.actor() != fb::Actor::buyer && e.actor() != fb::Actor::seller) {
        return Invalid("field actor: an appeal is made by the buyer or the seller, not " + actor);
      }
      return std::nullopt;
    case fb::DeliveryAction::resolve_appeal:
      if (e.actor() != fb::Actor::platform) return Invalid("field actor: only the platform resolves an appeal");
      if (!e.outcome()) return Rejection{Code::kMissingField, "field outcome: is required for resolve_appeal"};
      return std::nullopt;
    case fb::DeliveryAction::reject:
      if (!node.rejectable) return Invalid("field action: node " + Quoted(node.name) + " cannot be rejected");
      break;
    case fb::DeliveryAction::complete: break;
  }
  const bool timer = e.actor() == fb::Actor::system && node.actor != fb::NodeActor::system &&
                     e.action() == fb::DeliveryAction::complete && node.timeout_tenths_days;
  if (timer) {
    const Micros due = order.node_entered_at_us + *node.timeout_tenths_days * kMicrosPerDay / 10;
    if (ctx.at < due) {
      return Rejection{Code::kNotDue, "field actor: node " + Quoted(node.name) + " times out at " +
                                          FormatRfc3339(due, ctx.policy.timezone)};
    }
    return std::nullopt;
  }
  if (actor != NodeActorName(node.actor)) {
    return Invalid("field actor: node " + Quoted(node.name) + " is the " + std::string(NodeActorName(node.actor)) +
                   "'s, not the " + actor + "'s");
  }
  return std::nullopt;
}

void Close(RuleContext& ctx, fb::OrderStateT* order, fb::DeliveryState state) {
  order->delivery_state = state;
  ctx.derived.delivery_state = state;
  ctx.derived.eligible_at_us = ctx.at;  // the seller keeps what was not refunded
}

void Advance(const fb::DeliveryStep& e, RuleContext& ctx, fb::OrderStateT* order,
             const std::vector<TemplateNode>& nodes) {
  const std::string_view order_id = e.order_id()->string_view();
  switch (e.action()) {
    case fb::DeliveryAction::complete:
      if (static_cast<size_t>(order->delivery_node) + 1 == nodes.size()) {
        return Close(ctx, order, fb::DeliveryState::completed);
      }
      order->delivery_node += 1;
      order->node_entered_at_us = ctx.at;
      break;
    case fb::DeliveryAction::reject:
      order->delivery_node -= 1;
      order->node_entered_at_us = ctx.at;
      break;
    case fb::DeliveryAction::appeal:
      order->delivery_state = fb::DeliveryState::appeal;
      order->appeal_by = e.actor();
      break;
    case fb::DeliveryAction::resolve_appeal:
      if (*e.outcome() == fb::AppealOutcome::terminate) return Close(ctx, order, fb::DeliveryState::terminated);
      order->delivery_state = fb::DeliveryState::in_progress;
      order->node_entered_at_us = ctx.at;  // the frozen node's timeout starts afresh
      break;
  }
  ctx.derived.delivery_state = order->delivery_state;
  ctx.derived.delivery_node = nodes[order->delivery_node].name;
  if (order->delivery_state == fb::DeliveryState::in_progress && order->node_entered_at_us == ctx.at) {
    AddDeliveryTimer(ctx, order_id, nodes[order->delivery_node]);
  }
}

Check DeliveryStep(const fb::DeliveryStep& e, RuleContext& ctx) {
  const std::string_view order_id = e.order_id()->string_view();
  const fb::OrderStateT* order = nullptr;
  if (auto r = FindOrder(ctx, order_id, &order)) return r;
  const std::vector<TemplateNode> nodes = FindTemplate(ctx, order->delivery_template);
  if (auto r = CheckOpen(e, *order, nodes)) return r;
  const TemplateNode& node = nodes[order->delivery_node];
  if (auto r = CheckActor(e, *order, node, ctx)) return r;
  if (e.actual_start() && !(e.action() == fb::DeliveryAction::complete && node.actor == fb::NodeActor::seller &&
                            e.actor() == fb::Actor::seller)) {
    return Invalid("field actual_start: only with the seller completing a seller's node");
  }
  if (e.actual_start()) ctx.derived.service_start_us = *e.actual_start();
  fb::OrderStateT* mutable_order = ctx.state.orders.Mutable(ctx.seller_id, order_id);
  Advance(e, ctx, mutable_order, nodes);
  mutable_order->last_at_us = ctx.at;
  return std::nullopt;
}

}  // namespace

void AddDeliveryTimer(RuleContext& ctx, std::string_view order_id, const TemplateNode& node) {
  if (!node.timeout_tenths_days) return;
  ctx.state.timers.Add(ctx.at + *node.timeout_tenths_days * kMicrosPerDay / 10,
                       TimerIndex::kDeliveryTimeout, ctx.seller_id, order_id);
}

void TerminateDelivery(RuleContext& ctx, fb::OrderStateT* order) {
  if (order->delivery_state != fb::DeliveryState::in_progress &&
      order->delivery_state != fb::DeliveryState::appeal) {
    return;
  }
  Close(ctx, order, fb::DeliveryState::terminated);
}

Check ApplyDeliveryEvent(const fb::InputEvent& event, RuleContext& ctx) {
  switch (event.event_type()) {
    case fb::Event::DeliveryTemplateDefined:
      return TemplateDefined(*event.event_as_DeliveryTemplateDefined(), ctx);
    case fb::Event::DeliveryStep: return DeliveryStep(*event.event_as_DeliveryStep(), ctx);
    default: MKT_ASSERT(false, "not a delivery event");
  }
  return std::nullopt;
}

}  // namespace mkt
