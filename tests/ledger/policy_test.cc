// LEDGER.md section 2: one TOML policy file over embedded defaults; unknown
// keys, wrong types and out-of-range values are errors naming the key.
#include "ledger/policy.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "schemas/events_generated.h"

namespace mkt {
namespace {

size_t Kind(fb::OrderKind kind) { return static_cast<size_t>(kind); }
size_t Cat(fb::Category category) { return static_cast<size_t>(category); }

Policy MustParse(const std::string& toml) {
  auto result = ParsePolicy(toml, "test.toml");
  if (const auto* error = std::get_if<std::string>(&result)) {
    ADD_FAILURE() << "policy rejected: " << *error;
    return Policy{};
  }
  return std::get<Policy>(result);
}

// The error text of a policy that must be refused ("" if it was accepted).
std::string ErrorOf(const std::string& toml) {
  auto result = ParsePolicy(toml, "test.toml");
  if (std::holds_alternative<Policy>(result)) return "";
  return std::get<std::string>(result);
}

class TempPolicyDir {
 public:
  TempPolicyDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "policy_test.XXXXXX").string();
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TempPolicyDir() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  std::string Write(const std::string& name, const std::string& text) const {
    const std::string file = path_ + "/" + name;
    std::ofstream(file) << text;
    return file;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

void ExpectDefaults(const Policy& p) {
  EXPECT_EQ(p.timezone.minutes, 480);
  for (fb::OrderKind kind : {fb::OrderKind::new_, fb::OrderKind::renew, fb::OrderKind::trial,
                             fb::OrderKind::convert, fb::OrderKind::upgrade}) {
    EXPECT_EQ(p.unpaid_expiry_days[Kind(kind)], 7) << fb::EnumNameOrderKind(kind);
  }
  EXPECT_EQ(p.no_reason_refund_days, 5);
  EXPECT_EQ(p.refund_auto_approve_days, 3);
  EXPECT_EQ(p.review_default_days, 30);
  for (size_t c = 0; c < kCategories; ++c) EXPECT_EQ(p.platform_fee_bp[c], 1000) << c;
  EXPECT_EQ(p.reseller_rate_min_bp, 2000);
  EXPECT_EQ(p.reseller_rate_max_bp, 6000);
  EXPECT_EQ(p.reseller_rate_step_bp, 100);
  EXPECT_EQ(p.invoice_sla_working_days, 10);
  EXPECT_EQ(p.invoice_seller_pays_postage_above, Fen(20000));
  EXPECT_TRUE(p.holidays.empty());
}

TEST(Policy, EmptyFileGivesTheDefaultsOfLedgerMd) { ExpectDefaults(MustParse("")); }

TEST(Policy, NoPathGivesTheDefaults) {
  auto result = LoadPolicy("");
  ASSERT_TRUE(std::holds_alternative<Policy>(result)) << std::get<std::string>(result);
  ExpectDefaults(std::get<Policy>(result));
}

TEST(Policy, EmbeddedDefaultTomlParsesToTheDefaults) {
  ExpectDefaults(MustParse(DefaultPolicyToml()));
}

TEST(Policy, OverlayChangesOnlyTheKeysGiven) {
  const Policy p = MustParse(
      "no_reason_refund_days = 7\n"
      "timezone = \"-05:30\"\n"
      "invoice_seller_pays_postage_above = \"50.00\"\n"
      "[unpaid_expiry_days]\nrenew = 2\n"
      "[platform_fee_bp]\napi = 1500\n");
  EXPECT_EQ(p.no_reason_refund_days, 7);
  EXPECT_EQ(p.timezone.minutes, -330);
  EXPECT_EQ(p.invoice_seller_pays_postage_above, Fen(5000));
  EXPECT_EQ(p.unpaid_expiry_days[Kind(fb::OrderKind::renew)], 2);
  EXPECT_EQ(p.unpaid_expiry_days[Kind(fb::OrderKind::new_)], 7);
  EXPECT_EQ(p.unpaid_expiry_days[Kind(fb::OrderKind::upgrade)], 7);
  EXPECT_EQ(p.platform_fee_bp[Cat(fb::Category::api)], 1500);
  EXPECT_EQ(p.platform_fee_bp[Cat(fb::Category::image)], 1000);
  EXPECT_EQ(p.platform_fee_bp[Cat(fb::Category::hardware)], 1000);
  EXPECT_EQ(p.refund_auto_approve_days, 3);
  EXPECT_EQ(p.review_default_days, 30);
  EXPECT_EQ(p.invoice_sla_working_days, 10);
  EXPECT_EQ(p.reseller_rate_min_bp, 2000);
  EXPECT_EQ(p.reseller_rate_max_bp, 6000);
}

TEST(Policy, ResellerRangeOverlayKeepsUnsetBounds) {
  const Policy p = MustParse("[reseller_rate_bp]\nmax = 5000\n");
  EXPECT_EQ(p.reseller_rate_min_bp, 2000);
  EXPECT_EQ(p.reseller_rate_max_bp, 5000);
  EXPECT_EQ(p.reseller_rate_step_bp, 100);
}

TEST(Policy, UnknownKeyIsAnErrorNamingIt) {
  EXPECT_NE(ErrorOf("refund_days = 5\n").find("refund_days"), std::string::npos);
  EXPECT_NE(ErrorOf("[platform_fee_bp]\nvideo = 1000\n").find("platform_fee_bp.video"),
            std::string::npos);
  EXPECT_NE(ErrorOf("[unpaid_expiry_days]\nrefund = 3\n").find("unpaid_expiry_days.refund"),
            std::string::npos);
  EXPECT_NE(ErrorOf("[reseller_rate_bp]\nmaximum = 3\n").find("reseller_rate_bp.maximum"),
            std::string::npos);
}

TEST(Policy, WrongTypeIsAnErrorNamingTheKey) {
  EXPECT_NE(ErrorOf("no_reason_refund_days = \"5\"\n").find("no_reason_refund_days"),
            std::string::npos);
  EXPECT_NE(ErrorOf("no_reason_refund_days = 5.5\n").find("no_reason_refund_days"),
            std::string::npos);
  EXPECT_NE(ErrorOf("invoice_seller_pays_postage_above = 200\n")
                .find("invoice_seller_pays_postage_above"),
            std::string::npos);
  EXPECT_NE(ErrorOf("platform_fee_bp = 1000\n").find("platform_fee_bp"), std::string::npos);
  EXPECT_NE(ErrorOf("holidays = \"2026-10-01\"\n").find("holidays"), std::string::npos);
  EXPECT_NE(ErrorOf("timezone = 8\n").find("timezone"), std::string::npos);
}

TEST(Policy, OutOfRangeValueIsAnErrorNamingTheKey) {
  EXPECT_NE(ErrorOf("[platform_fee_bp]\napi = 10001\n").find("platform_fee_bp.api"),
            std::string::npos);
  EXPECT_NE(ErrorOf("[platform_fee_bp]\napi = -1\n").find("platform_fee_bp.api"),
            std::string::npos);
  EXPECT_NE(ErrorOf("[unpaid_expiry_days]\nnew = 0\n").find("unpaid_expiry_days.new"),
            std::string::npos);
  EXPECT_NE(ErrorOf("invoice_sla_working_days = 0\n").find("invoice_sla_working_days"),
            std::string::npos);
  EXPECT_NE(ErrorOf("no_reason_refund_days = -1\n").find("no_reason_refund_days"),
            std::string::npos);
  EXPECT_NE(ErrorOf("invoice_seller_pays_postage_above = \"200.005\"\n")
                .find("invoice_seller_pays_postage_above"),
            std::string::npos);
  EXPECT_NE(ErrorOf("[reseller_rate_bp]\nstep = 0\n").find("reseller_rate_bp.step"),
            std::string::npos);
  EXPECT_NE(ErrorOf("[reseller_rate_bp]\nmin = 7000\n").find("reseller_rate_bp"),
            std::string::npos);
}

TEST(Policy, BadTimezoneIsAnErrorNamingTheKey) {
  for (const char* tz : {"Asia/Shanghai", "+8:00", "+0800", "+24:00", "-00:00", "UTC", ""}) {
    EXPECT_NE(ErrorOf(std::string("timezone = \"") + tz + "\"\n").find("timezone"),
              std::string::npos)
        << tz;
  }
}

TEST(Policy, InvalidTomlIsAnErrorNamingTheSource) {
  const std::string error = ErrorOf("timezone = \n");
  EXPECT_NE(error.find("test.toml"), std::string::npos) << error;
}

TEST(Policy, HolidaysAreParsedSortedAndDeduplicated) {
  const Policy p =
      MustParse("holidays = [\"2026-10-02\", \"2026-10-01\", \"2026-01-01\", \"2026-10-01\"]\n");
  ASSERT_EQ(p.holidays.size(), 3u);
  EXPECT_EQ(p.holidays[0], ParseDate("2026-01-01"));
  EXPECT_EQ(p.holidays[1], ParseDate("2026-10-01"));
  EXPECT_EQ(p.holidays[2], ParseDate("2026-10-02"));
}

TEST(Policy, BadHolidayIsAnErrorNamingTheKey) {
  EXPECT_NE(ErrorOf("holidays = [\"2026-02-30\"]\n").find("holidays"), std::string::npos);
  EXPECT_NE(ErrorOf("holidays = [20261001]\n").find("holidays"), std::string::npos);
}

TEST(Policy, LoadPolicyReadsTheFile) {
  TempPolicyDir dir;
  ASSERT_FALSE(dir.path().empty());
  const std::string file =
      dir.Write("policy.toml", "refund_auto_approve_days = 4\nholidays = [\"2026-10-01\"]\n");
  auto result = LoadPolicy(file);
  ASSERT_TRUE(std::holds_alternative<Policy>(result)) << std::get<std::string>(result);
  const Policy& p = std::get<Policy>(result);
  EXPECT_EQ(p.refund_auto_approve_days, 4);
  EXPECT_EQ(p.holidays, std::vector<int32_t>{*ParseDate("2026-10-01")});
  EXPECT_EQ(p.no_reason_refund_days, 5);
}

TEST(Policy, LoadPolicyErrorsNameTheFileAndTheKey) {
  TempPolicyDir dir;
  ASSERT_FALSE(dir.path().empty());
  const std::string file = dir.Write("bad.toml", "[platform_fee_bp]\nsaas = 20000\n");
  auto result = LoadPolicy(file);
  ASSERT_TRUE(std::holds_alternative<std::string>(result));
  const std::string& error = std::get<std::string>(result);
  EXPECT_NE(error.find("bad.toml"), std::string::npos) << error;
  EXPECT_NE(error.find("platform_fee_bp.saas"), std::string::npos) << error;
}

TEST(Policy, LoadPolicyOfMissingFileIsAnErrorNamingThePath) {
  TempPolicyDir dir;
  const std::string missing = dir.path() + "/absent.toml";
  auto result = LoadPolicy(missing);
  ASSERT_TRUE(std::holds_alternative<std::string>(result));
  EXPECT_NE(std::get<std::string>(result).find(missing), std::string::npos);
}

TEST(Policy, StrengthWeightsTargetsAndTiersComeFromThePolicy) {
  auto result = ParsePolicy(
      "[strength.weights]\nservice = 40\n[strength.targets]\norders = 5\ngmv = \"500.00\"\n"
      "[strength.zero_at]\nrefund_rate = 0.5\n[strength.tiers]\nsuper = 90\n",
      "test");
  ASSERT_TRUE(std::holds_alternative<Policy>(result)) << std::get<std::string>(result);
  const StrengthModel& m = std::get<Policy>(result).strength;
  EXPECT_EQ(m.weight_service, 40);
  EXPECT_EQ(m.weight_transaction, 30);  // defaults stay
  EXPECT_EQ(m.orders, 5);
  EXPECT_EQ(m.gmv, Fen(50000));
  EXPECT_EQ(m.refund_rate_zero_at, 0.5);
  EXPECT_EQ(m.tier_super, 90);
}

TEST(Policy, StrengthValuesOutOfRangeAreErrorsNamingTheKey) {
  for (const char* bad : {"[strength.targets]\norders = 0\n", "[strength.targets]\ngmv = 5\n",
                          "[strength.weights]\nmarketing = 0\n", "[strength.tiers]\npremium = 95\n",
                          "[strength.targets]\nclicks = 3\n"}) {
    auto result = ParsePolicy(bad, "test");
    ASSERT_TRUE(std::holds_alternative<std::string>(result)) << bad;
    EXPECT_NE(std::get<std::string>(result).find("strength"), std::string::npos) << std::get<std::string>(result);
  }
}

}  // namespace
}  // namespace mkt
