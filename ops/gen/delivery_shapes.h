// Delivery templates as the generator walks them (internal to ops/gen): the built-in ones of
// LEDGER.md section 4.4, copied here because ops/gen does not depend on the ledger's code, and
// two custom templates that some sellers define with DeliveryTemplateDefined.
//
// Each node also carries how long its actor usually takes to act on it. For a node with a
// timeout the longest delay stays below the timeout: a stream step after the deadline would
// race the ledger's timer, which owns the node from then on.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

namespace mkt::gen::detail {

enum class NodeActor : uint8_t { kBuyer, kSeller, kSystem };

struct NodeShape {
  std::string_view name;
  NodeActor actor;
  bool rejectable;
  int32_t timeout_tenths;  // days * 10; 0 = no timeout
  int64_t min_delay_s;     // how long the actor takes once the node is entered
  int64_t max_delay_s;
  bool starts_service;  // the seller's delivery node, which may carry actual_start
};

struct DeliveryShape {
  std::string_view id;  // template_id
  std::span<const NodeShape> nodes;
};

namespace shapes {

inline constexpr int64_t kMin = 60;
inline constexpr int64_t kHour = 3600;
inline constexpr int64_t kDay = 86'400;
inline constexpr NodeActor kBuyer = NodeActor::kBuyer;
inline constexpr NodeActor kSeller = NodeActor::kSeller;
inline constexpr NodeActor kSystem = NodeActor::kSystem;

inline constexpr NodeShape kSubmit = {
    "submit_requirement", kBuyer, false, 0, 5 * kMin, kDay, false};
inline constexpr NodeShape kDeliver = {"deliver", kSeller, false, 0, 2 * kHour, 5 * kDay, true};
inline constexpr NodeShape kConfirm = {"confirm_delivery", kBuyer, true, 140, kHour,
                                       10 * kDay,          false};

inline constexpr std::array<NodeShape, 3> kBasic = {kSubmit, kDeliver, kConfirm};
inline constexpr std::array<NodeShape, 4> kDoubleCheck = {
    kSubmit, kDeliver, kConfirm, {"confirm_warranty", kBuyer, false, 140, kDay, 12 * kDay, false}};
inline constexpr std::array<NodeShape, 4> kContract = {
    kSubmit, {"upload_contract", kSeller, false, 0, kHour, 2 * kDay, false}, kDeliver, kConfirm};
inline constexpr std::array<NodeShape, 8> kStepwise = {{
    kSubmit,
    {"functional_design", kSeller, false, 0, 4 * kHour, 3 * kDay, false},
    {"confirm_functional_design", kBuyer, true, 0, kHour, 2 * kDay, false},
    {"ux_design", kSeller, false, 0, 4 * kHour, 3 * kDay, false},
    {"confirm_ux_design", kBuyer, true, 0, kHour, 2 * kDay, false},
    {"develop_and_test", kSeller, false, 0, kDay, 6 * kDay, false},
    {"inspect_and_accept", kBuyer, true, 0, 2 * kHour, 3 * kDay, false},
    {"confirm_delivery", kBuyer, false, 140, kHour, 5 * kDay, false},
}};
inline constexpr std::array<NodeShape, 4> kGeneral = {{
    kSubmit,
    {"confirm_requirement", kSeller, true, 0, 10 * kMin, kDay, false},
    {"implement", kSeller, false, 0, 4 * kHour, 5 * kDay, true},
    {"accept", kBuyer, true, 0, kHour, 4 * kDay, false},
}};
inline constexpr std::array<NodeShape, 2> kLicense = {{
    {"deliver_license", kSeller, false, 0, kMin, 6 * kHour, false},
    {"accept", kBuyer, true, 0, 10 * kMin, 2 * kDay, false},
}};
inline constexpr std::array<NodeShape, 3> kHardware = {{
    {"ship", kSeller, false, 0, 2 * kHour, 2 * kDay, false},
    {"signed", kSystem, false, 0, kDay, 4 * kDay, false},  // reported by the logistics feed
    {"accept", kBuyer, false, 100, kHour, 8 * kDay, false},
}};
// Custom templates: the first node is not rejectable and the last is the buyer's (4.4).
inline constexpr std::array<NodeShape, 4> kOnsiteVisit = {{
    kSubmit,
    {"schedule_visit", kSeller, false, 0, kHour, 2 * kDay, false},
    {"onsite_service", kSeller, false, 0, kDay, 5 * kDay, true},
    {"sign_off", kBuyer, true, 70, kHour, 6 * kDay, false},
}};
inline constexpr std::array<NodeShape, 4> kTrainingCourse = {{
    kSubmit,
    {"prepare_materials", kSeller, false, 0, kDay, 4 * kDay, false},
    {"deliver_training", kSeller, false, 0, kDay, 3 * kDay, true},
    {"confirm_training", kBuyer, true, 55, kHour, 5 * kDay, false},
}};

}  // namespace shapes

// Indexed by Product::shape - 1.
inline constexpr std::array<DeliveryShape, 9> kDeliveryShapes = {{
    {"basic", shapes::kBasic},
    {"double_check", shapes::kDoubleCheck},
    {"contract", shapes::kContract},
    {"stepwise", shapes::kStepwise},
    {"general", shapes::kGeneral},
    {"license", shapes::kLicense},
    {"hardware", shapes::kHardware},
    {"onsite_visit", shapes::kOnsiteVisit},
    {"training_course", shapes::kTrainingCourse},
}};
inline constexpr uint8_t kShapeBasic = 0;
inline constexpr uint8_t kShapeLicense = 5;
inline constexpr uint8_t kShapeHardware = 6;
inline constexpr uint8_t kFirstCustomShape = 7;

// Service products not on `basic` choose among these (indexes into kDeliveryShapes).
inline constexpr std::array<uint8_t, 4> kServiceAlternatives = {1, 2, 3, 4};
inline constexpr std::array<uint32_t, 4> kServiceAlternativeWeights = {30, 30, 20, 20};

constexpr bool ShapesStayBeforeTimeouts() {
  for (const DeliveryShape& shape : kDeliveryShapes) {
    for (const NodeShape& node : shape.nodes) {
      if (node.min_delay_s <= 0 || node.min_delay_s > node.max_delay_s) return false;
      if (node.timeout_tenths != 0 && node.max_delay_s * 10 >= node.timeout_tenths * shapes::kDay) {
        return false;
      }
    }
    if (shape.nodes.front().rejectable || shape.nodes.back().actor != NodeActor::kBuyer)
      return false;
  }
  return true;
}
static_assert(ShapesStayBeforeTimeouts());

}  // namespace mkt::gen::detail
