// Identifier and free-text rules of LEDGER.md section 1.
#pragma once

#include <string_view>

namespace mkt {

// [A-Za-z0-9._:-]{1,64}
bool IsValidId(std::string_view id);
// Well-formed UTF-8 (no overlongs, surrogates or code points above U+10FFFF),
// no NUL, at most 512 bytes.
bool IsValidText(std::string_view text);
bool IsValidUtf8(std::string_view text);

}  // namespace mkt
