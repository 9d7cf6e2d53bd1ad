#include "ledger/delivery_templates.h"

#include <array>

namespace mkt {
namespace {

using fb::NodeActor;
constexpr auto kBuyer = NodeActor::buyer;
constexpr auto kSeller = NodeActor::seller;
constexpr auto kSystem = NodeActor::system;
constexpr std::optional<int32_t> kNoTimeout;

constexpr std::array<TemplateNodeSpec, 3> kBasic = {{
    {"submit_requirement", kBuyer, false, kNoTimeout},
    {"deliver", kSeller, false, kNoTimeout},
    {"confirm_delivery", kBuyer, true, 140},
}};
constexpr std::array<TemplateNodeSpec, 4> kDoubleCheck = {{
    {"submit_requirement", kBuyer, false, kNoTimeout},
    {"deliver", kSeller, false, kNoTimeout},
    {"confirm_delivery", kBuyer, true, 140},
    {"confirm_warranty", kBuyer, false, 140},
}};
constexpr std::array<TemplateNodeSpec, 4> kContract = {{
    {"submit_requirement", kBuyer, false, kNoTimeout},
    {"upload_contract", kSeller, false, kNoTimeout},
    {"deliver", kSeller, false, kNoTimeout},
    {"confirm_delivery", kBuyer, true, 140},
}};
constexpr std::array<TemplateNodeSpec, 8> kStepwise = {{
    {"submit_requirement", kBuyer, false, kNoTimeout},
    {"functional_design", kSeller, false, kNoTimeout},
    {"confirm_functional_design", kBuyer, true, kNoTimeout},
    {"ux_design", kSeller, false, kNoTimeout},
    {"confirm_ux_design", kBuyer, true, kNoTimeout},
    {"develop_and_test", kSeller, false, kNoTimeout},
    {"inspect_and_accept", kBuyer, true, kNoTimeout},
    {"confirm_delivery", kBuyer, false, 140},
}};
constexpr std::array<TemplateNodeSpec, 4> kGeneral = {{
    {"submit_requirement", kBuyer, false, kNoTimeout},
    {"confirm_requirement", kSeller, true, kNoTimeout},
    {"implement", kSeller, false, kNoTimeout},
    {"accept", kBuyer, true, kNoTimeout},
}};
constexpr std::array<TemplateNodeSpec, 2> kLicense = {{
    {"deliver_license", kSeller, false, kNoTimeout},
    {"accept", kBuyer, true, kNoTimeout},
}};
// "accept (buyer, 10 d after signed)": the timeout counts from entering accept,
// which is the moment `signed` completes.
constexpr std::array<TemplateNodeSpec, 3> kHardware = {{
    {"ship", kSeller, false, kNoTimeout},
    {"signed", kSystem, false, kNoTimeout},
    {"accept", kBuyer, false, 100},
}};

}  // namespace

std::span<const TemplateNodeSpec> BuiltInTemplate(std::string_view name) {
  if (name == "basic") return kBasic;
  if (name == "double_check") return kDoubleCheck;
  if (name == "contract") return kContract;
  if (name == "stepwise") return kStepwise;
  if (name == "general") return kGeneral;
  if (name == "license") return kLicense;
  if (name == "hardware") return kHardware;
  return {};
}

}  // namespace mkt
