// Enum value names as the spec spells them. flatc escapes C++ keywords in the
// names it generates ("new" -> "new_", "auto" -> "auto_"); the JSON contract
// uses the schema's names, so every enum shown to or read from a user goes
// through these.
#pragma once

#include <optional>
#include <string_view>

namespace mkt {

// The spec name of a generated enum name: drops flatc's trailing '_'.
inline std::string_view SpecName(const char* generated) {
  std::string_view name(generated);
  if (!name.empty() && name.back() == '_') name.remove_suffix(1);
  return name;
}

// Finds `text` among generated names (a nullptr-terminated array, as flatc's
// EnumNames* return) by spec name; the index is the enum value.
inline std::optional<int> FindSpecName(const char* const* generated, std::string_view text) {
  for (int i = 0; generated[i] != nullptr; ++i) {
    if (SpecName(generated[i]) == text) return i;
  }
  return std::nullopt;
}

}  // namespace mkt
