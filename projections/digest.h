// Projection digests (LEDGER.md section 9): SHA-256 over a read model's full
// contents in key order, so a replay into an empty store can be compared with the
// live one. Each family contributes its name, then every (key, value) with
// lengths, so no two different contents hash alike by concatenation.
#pragma once

#include <string>
#include <vector>

#include "ledger/store.h"

namespace mkt {

std::string DigestFamilies(const Store& store, const std::vector<std::string>& families);

}  // namespace mkt
