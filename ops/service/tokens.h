// Bearer tokens of `ledger serve` (INTERFACE.md "HTTP API"). The tokens file
// holds SHA-256 hashes, never tokens, one per line:
//
//   # sha256(token) in hex     role        optional note
//   9f86d081884c7d65…15b0f00a08  ingest      checkout
//   60303ae22b998861…bce3a1cd1f  seller:S1   console of seller S1
//
// Roles: `ingest` (POST events), `seller:S` (read seller S only), `auditor`
// (read all, verify), `admin` (settle). A hash on several lines holds every
// role it is given.
//
// Threading: a TokenTable is immutable once loaded; TokenStore swaps whole
// tables (SIGHUP reloads the file) and may be read from any thread.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>

namespace mkt::service {

// What one token may do.
struct Principal {
  bool ingest = false;
  bool auditor = false;
  bool admin = false;
  std::set<std::string> sellers;  // seller:S roles

  // seller:S or auditor: may read seller S's orders, coupons, statements, ….
  bool MayReadSeller(std::string_view seller) const {
    return auditor || sellers.contains(std::string(seller));
  }
};

class TokenTable {
 public:
  // Parses the file; the error names the file, the line and what is wrong.
  static std::variant<TokenTable, std::string> Load(const std::string& path);
  static std::variant<TokenTable, std::string> Parse(std::string_view text, const std::string& source);

  // The principal of `token` (the bare token, as sent after "Bearer "), or
  // nullopt when it is not in the table.
  std::optional<Principal> Find(std::string_view token) const;
  size_t size() const { return by_hash_.size(); }

 private:
  std::unordered_map<std::string, Principal> by_hash_;  // lower-case hex SHA-256
};

class TokenStore {
 public:
  explicit TokenStore(TokenTable table) : table_(std::make_shared<TokenTable>(std::move(table))) {}
  std::shared_ptr<const TokenTable> Get() const {
    std::lock_guard lock(mu_);
    return table_;
  }
  void Replace(TokenTable table) {
    auto fresh = std::make_shared<TokenTable>(std::move(table));
    std::lock_guard lock(mu_);
    table_ = std::move(fresh);
  }

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const TokenTable> table_;
};

}  // namespace mkt::service
