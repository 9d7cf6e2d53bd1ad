// Built-in delivery templates of LEDGER.md section 4.4 (服务监管 / 交付中心).
#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "schemas/events_generated.h"

namespace mkt {

struct TemplateNodeSpec {
  std::string_view name;
  fb::NodeActor actor;
  bool rejectable;
  std::optional<int32_t> timeout_tenths_days;
};

// The nodes of a built-in template, or an empty span for an unknown name.
std::span<const TemplateNodeSpec> BuiltInTemplate(std::string_view name);

}  // namespace mkt
