#include "ops/service/tokens.h"

#include <fstream>
#include <sstream>

#include "ledger/hash.h"
#include "ops/service/limits.h"

namespace mkt::service {
namespace {

bool IsHexSha256(std::string_view text) {
  if (text.size() != 64) return false;
  return text.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

// Applies `role` to `p`; returns false when it is not a role.
bool AddRole(std::string_view role, Principal* p) {
  if (role == "ingest") {
    p->ingest = true;
  } else if (role == "auditor") {
    p->auditor = true;
  } else if (role == "admin") {
    p->admin = true;
  } else if (role.starts_with("seller:") && role.size() > 7 &&
             role.size() - 7 <= limits::kIdBytesMax) {
    p->sellers.emplace(role.substr(7));
  } else {
    return false;
  }
  return true;
}

}  // namespace

std::variant<TokenTable, std::string> TokenTable::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "--tokens: cannot read " + path;
  std::stringstream text;
  text << in.rdbuf();
  if (in.bad()) return "--tokens: read error on " + path;
  return Parse(text.str(), path);
}

std::variant<TokenTable, std::string> TokenTable::Parse(std::string_view text,
                                                        const std::string& source) {
  TokenTable table;
  std::istringstream in{std::string(text)};
  std::string line;
  for (size_t line_no = 1; std::getline(in, line); ++line_no) {
    std::istringstream words(line);
    std::string hash, role;
    if (!(words >> hash) || hash.starts_with("#")) continue;  // blank or comment
    const std::string where = source + " line " + std::to_string(line_no) + ": ";
    for (char& c : hash) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!IsHexSha256(hash)) {
      return where + "the first word must be a token's SHA-256 in hex (64 digits), not \"" +
             hash.substr(0, 16) + (hash.size() > 16 ? "…" : "") + "\"";
    }
    if (!(words >> role)) return where + "the hash has no role (ingest|seller:S|auditor|admin)";
    if (!AddRole(role, &table.by_hash_[hash])) {
      return where + "\"" + role + "\" is not a role (ingest|seller:S|auditor|admin)";
    }
    if (table.by_hash_.size() > limits::kTokensMax) {
      return where + "more than " + std::to_string(limits::kTokensMax) + " tokens";
    }
  }
  return table;
}

std::optional<Principal> TokenTable::Find(std::string_view token) const {
  if (token.empty()) return std::nullopt;
  const Hash digest = Sha256(token);
  const auto it = by_hash_.find(ToHex(digest));
  if (it == by_hash_.end()) return std::nullopt;
  return it->second;
}

}  // namespace mkt::service
