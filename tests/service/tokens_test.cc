// The tokens file of `ledger serve` (ops/service/tokens.h).
#include "ops/service/tokens.h"

#include <gtest/gtest.h>

#include "tests/service/serve_process.h"

namespace mkt::service {
namespace {

TokenTable Parsed(const std::string& text) {
  const auto parsed = TokenTable::Parse(text, "tokens");
  if (const auto* error = std::get_if<std::string>(&parsed)) {
    ADD_FAILURE() << *error;
    return TokenTable();
  }
  return std::get<TokenTable>(parsed);
}

std::string ParseError(const std::string& text) {
  auto parsed = TokenTable::Parse(text, "tokens");
  EXPECT_TRUE(std::holds_alternative<std::string>(parsed));
  return std::holds_alternative<std::string>(parsed) ? std::get<std::string>(parsed) : "";
}

TEST(Tokens, AHashFindsItsTokenAndItsRoles) {
  const std::string hash = test::Sha256Hex("secret");
  const TokenTable table = Parsed("# comment\n\n" + hash + " seller:S1 console\n" + hash + " auditor\n");
  const auto p = table.Find("secret");
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->auditor);
  EXPECT_TRUE(p->MayReadSeller("S1"));
  EXPECT_TRUE(p->MayReadSeller("S2"));  // auditors read every seller
  EXPECT_FALSE(p->ingest);
  EXPECT_FALSE(p->admin);
  EXPECT_FALSE(table.Find("Secret"));
  EXPECT_FALSE(table.Find(""));
}

TEST(Tokens, ASellerReadsOnlyItsOwnSeller) {
  const TokenTable table = Parsed(test::Sha256Hex("t") + " seller:S1\n");
  EXPECT_TRUE(table.Find("t")->MayReadSeller("S1"));
  EXPECT_FALSE(table.Find("t")->MayReadSeller("S2"));
}

TEST(Tokens, UpperCaseHexIsTheSameHash) {
  std::string hash = test::Sha256Hex("t");
  for (char& c : hash) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_TRUE(Parsed(hash + " ingest\n").Find("t"));
}

TEST(Tokens, ErrorsNameTheLineAndWhatIsWrong) {
  const std::string hash = test::Sha256Hex("t");
  EXPECT_EQ(ParseError("# ok\nplain-token ingest\n").rfind("tokens line 2: the first word must be a token's SHA-256", 0), 0u);
  EXPECT_EQ(ParseError(hash + "\n"), "tokens line 1: the hash has no role (ingest|seller:S|auditor|admin)");
  EXPECT_EQ(ParseError(hash + " root\n"), "tokens line 1: \"root\" is not a role (ingest|seller:S|auditor|admin)");
  EXPECT_EQ(ParseError(hash + " seller:\n"), "tokens line 1: \"seller:\" is not a role (ingest|seller:S|auditor|admin)");
}

TEST(Tokens, AMissingFileIsAnErrorNamingIt) {
  auto loaded = TokenTable::Load("/no/such/tokens");
  ASSERT_TRUE(std::holds_alternative<std::string>(loaded));
  EXPECT_EQ(std::get<std::string>(loaded), "--tokens: cannot read /no/such/tokens");
}

}  // namespace
}  // namespace mkt::service
