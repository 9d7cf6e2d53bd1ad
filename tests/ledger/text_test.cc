// LEDGER.md section 1: ids are [A-Za-z0-9._:-]{1,64}; text is UTF-8, at most
// 512 bytes per field.
#include "ledger/text.h"

#include <gtest/gtest.h>

#include <string>

namespace mkt {
namespace {

TEST(Text, IdAcceptsTheWholeCharset) {
  EXPECT_TRUE(IsValidId("a"));
  EXPECT_TRUE(IsValidId("ABCXYZabcxyz0189._:-"));
  EXPECT_TRUE(IsValidId("order-2026.10:03_x"));
  EXPECT_TRUE(IsValidId("-"));
}

TEST(Text, IdOf64BytesIsAcceptedAnd65Rejected) {
  EXPECT_TRUE(IsValidId(std::string(64, 'a')));
  EXPECT_FALSE(IsValidId(std::string(65, 'a')));
}

TEST(Text, EmptyIdIsRejected) { EXPECT_FALSE(IsValidId("")); }

TEST(Text, IdWithCharacterOutsideCharsetIsRejected) {
  for (const char* id :
       {"a b", "a/b", "a\\b", "订单1", "a+b", "a@b", "a\"b", "a\tb", "a,b", "é", "a\nb"}) {
    EXPECT_FALSE(IsValidId(id)) << id;
  }
  EXPECT_FALSE(IsValidId(std::string("a\0b", 3)));
}

TEST(Text, TextOf512BytesIsAcceptedAnd513Rejected) {
  EXPECT_TRUE(IsValidText(std::string(512, 'x')));
  EXPECT_FALSE(IsValidText(std::string(513, 'x')));
  std::string chinese;
  for (int i = 0; i < 170; ++i) chinese += "退";  // 3 bytes each: 510
  EXPECT_TRUE(IsValidText(chinese + "ab"));       // 512 bytes
  EXPECT_FALSE(IsValidText(chinese + "abc"));     // 513 bytes
  EXPECT_FALSE(IsValidText(chinese + "a退"));     // 514 bytes
}

TEST(Text, EmptyTextIsValid) { EXPECT_TRUE(IsValidText("")); }

TEST(Text, ValidChineseAndSupplementaryTextIsAccepted) {
  EXPECT_TRUE(IsValidText("五天无理由退款"));
  EXPECT_TRUE(IsValidText("超优品 / 优品 / 潜力品"));
  EXPECT_TRUE(IsValidText("\xF0\x9F\x98\x80 emoji"));  // U+1F600
  EXPECT_TRUE(IsValidText("\xF4\x8F\xBF\xBF"));        // U+10FFFF, the last code point
  EXPECT_TRUE(IsValidText("\xED\x9F\xBF"));            // U+D7FF, just below surrogates
  EXPECT_TRUE(IsValidText("\xEE\x80\x80"));            // U+E000, just above surrogates
  EXPECT_TRUE(IsValidText("\xC2\x80"));                // U+0080, smallest 2-byte
}

TEST(Text, InvalidUtf8IsRejected) {
  for (const char* bytes : {
           "\x80",                  // lone continuation byte
           "a\xBF!",                // continuation in the middle of ASCII
           "\xC0\x80",              // overlong NUL
           "\xC1\xBF",              // overlong 2-byte
           "\xE0\x80\x80",          // overlong 3-byte
           "\xF0\x80\x80\x80",      // overlong 4-byte
           "\xED\xA0\x80",          // surrogate U+D800
           "\xED\xBF\xBF",          // surrogate U+DFFF
           "\xF4\x90\x80\x80",      // U+110000 > U+10FFFF
           "\xF5\x80\x80\x80",      // lead byte beyond range
           "\xF8\x88\x80\x80\x80",  // 5-byte form
           "\xFE",                  // never valid
           "\xFF",                  // never valid
           "\xC3",                  // truncated 2-byte at end
           "\xE4\xB8",              // truncated 3-byte at end
           "\xF0\x9F\x98",          // truncated 4-byte at end
           "\xE4\xB8!",             // truncated 3-byte followed by ASCII
           "\xC3\xC3\xA9",          // lead byte where a continuation is due
       }) {
    EXPECT_FALSE(IsValidUtf8(bytes)) << ::testing::PrintToString(std::string(bytes));
    EXPECT_FALSE(IsValidText(bytes)) << ::testing::PrintToString(std::string(bytes));
  }
}

TEST(Text, NulIsRejectedInText) {
  EXPECT_FALSE(IsValidText(std::string("a\0b", 3)));
  EXPECT_FALSE(IsValidText(std::string(1, '\0')));
}

}  // namespace
}  // namespace mkt
