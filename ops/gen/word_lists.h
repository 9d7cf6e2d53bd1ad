// Word lists and name tables of the generator (internal to ops/gen): product name parts,
// specs and periods per category, order kinds and channels with their weights, price change
// reasons, and the names of event types and profile fields. The texts of coupons, refunds,
// delivery steps, reviews and invoices are in flow_words.h.
//
// Nothing here needs JSON escaping (no quotes, backslashes or control bytes) and no value
// contains the two bytes `,"`, which SetField in bad_events.cc relies on.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

namespace mkt::gen::detail {

using Words = std::span<const std::string_view>;

inline constexpr std::array<std::string_view, 8> kImageHeads = {"CentOS 7.9",
                                                                "Ubuntu 22.04",
                                                                "Debian 12",
                                                                "Rocky Linux 9",
                                                                "AlmaLinux 9",
                                                                "Windows Server 2022",
                                                                "Alibaba Cloud Linux 3",
                                                                "openEuler 22.03"};
inline constexpr std::array<std::string_view, 9> kImageTails = {" hardened image",
                                                                " LAMP image",
                                                                " LNMP image",
                                                                " Docker CE image",
                                                                " Java 17 environment image",
                                                                " Python 3.11 image",
                                                                " WordPress image",
                                                                " GPU driver image",
                                                                " Node.js 20 image"};
inline constexpr std::array<std::string_view, 12> kApiHeads = {"OCR",
                                                               "ID card recognition",
                                                               "SMS verification",
                                                               "Weather forecast",
                                                               "Express tracking",
                                                               "Face comparison",
                                                               "Speech to text",
                                                               "Bank card verification",
                                                               "IP geolocation",
                                                               "Invoice recognition",
                                                               "Text translation",
                                                               "Licence plate recognition"};
inline constexpr std::array<std::string_view, 4> kApiTails = {
    " API", " API Pro", " API (high concurrency)", " API Lite"};
inline constexpr std::array<std::string_view, 12> kSaasHeads = {"ERP",
                                                                "CRM",
                                                                "HR",
                                                                "OA",
                                                                "Inventory",
                                                                "Ticketing",
                                                                "E-signature",
                                                                "Online mall",
                                                                "Live streaming",
                                                                "Membership",
                                                                "Project management",
                                                                "Fleet management"};
inline constexpr std::array<std::string_view, 4> kSaasTails = {
    " SaaS Standard", " SaaS Professional", " SaaS Enterprise", " SaaS Flagship"};
inline constexpr std::array<std::string_view, 10> kServiceHeads = {
    "Website build",     "Mini program development",
    "Cloud migration",   "Security hardening",
    "Database tuning",   "Kubernetes deployment",
    "Data backup setup", "ICP filing assistance",
    "SEO optimisation",  "Classified protection assessment"};
inline constexpr std::array<std::string_view, 4> kServiceTails = {
    " service", " service (basic)", " service (advanced)", " service (enterprise)"};
inline constexpr std::array<std::string_view, 8> kLicenseHeads = {
    "Antivirus",       "Office suite", "BI reporting",   "CAD design",
    "Backup software", "VPN gateway",  "Database audit", "Bastion host"};
inline constexpr std::array<std::string_view, 5> kLicenseTails = {
    " license (1 user)", " license (10 users)", " license per server", " perpetual license",
    " annual license"};
inline constexpr std::array<std::string_view, 8> kHardwareHeads = {
    "Face recognition terminal", "Edge computing box", "Smart gateway",
    "Industrial camera",         "IoT sensor kit",     "2U rack server",
    "Firewall appliance",        "Smart door lock"};
inline constexpr std::array<std::string_view, 4> kHardwareTails = {"", " Gen2", " Lite", " Pro"};

inline constexpr std::array<std::string_view, 4> kImageSpecs = {"1C2G", "2C4G", "4C8G", "8C16G"};
inline constexpr std::array<std::string_view, 4> kApiSpecs = {"1000 calls", "10000 calls",
                                                              "100000 calls", "1000000 calls"};
inline constexpr std::array<std::string_view, 3> kSaasSpecs = {"standard", "professional",
                                                               "enterprise"};
inline constexpr std::array<std::string_view, 2> kServiceSpecs = {"standard", "premium"};
inline constexpr std::array<std::string_view, 3> kLicenseSpecs = {"1 user", "5 users", "unlimited"};
inline constexpr std::array<std::string_view, 2> kHardwareSpecs = {"standard", "kit"};
inline constexpr std::array<std::string_view, 3> kImagePeriods = {"1 month", "3 months", "1 year"};
inline constexpr std::array<std::string_view, 2> kApiPeriods = {"1 month", "1 year"};
inline constexpr std::array<std::string_view, 3> kSaasPeriods = {"1 month", "1 year", "3 years"};
inline constexpr std::array<std::string_view, 2> kLicensePeriods = {"1 year", "perpetual"};

struct Category {
  std::string_view name;
  int64_t median_fen;  // median base price of its products
  Words heads;
  Words tails;
  Words specs;
  Words periods;  // empty: OrderPlaced carries no period
};

inline constexpr std::array<Category, 6> kCategories = {{
    {"image", 14'900, kImageHeads, kImageTails, kImageSpecs, kImagePeriods},
    {"api", 6'900, kApiHeads, kApiTails, kApiSpecs, kApiPeriods},
    {"saas", 49'900, kSaasHeads, kSaasTails, kSaasSpecs, kSaasPeriods},
    {"service", 149'900, kServiceHeads, kServiceTails, kServiceSpecs, Words{}},
    {"license", 39'900, kLicenseHeads, kLicenseTails, kLicenseSpecs, kLicensePeriods},
    {"hardware", 199'900, kHardwareHeads, kHardwareTails, kHardwareSpecs, Words{}},
}};
inline constexpr std::array<uint32_t, 6> kCategoryWeights = {22, 20, 24, 18, 10, 6};
static_assert(kCategories.size() == kCategoryWeights.size());

inline constexpr std::array<std::string_view, 5> kKindNames = {"new", "renew", "upgrade", "trial",
                                                               "convert"};
inline constexpr std::array<uint32_t, 5> kKindWeights = {600, 250, 70, 50, 30};
inline constexpr uint8_t kKindTrial = 3;
inline constexpr std::array<std::string_view, 3> kChannelNames = {"store", "solution", "reseller"};
inline constexpr uint8_t kChannelReseller = 2;
// A product with a reseller rate sells a third through resellers; overall that is ~10%.
inline constexpr std::array<uint32_t, 3> kChannelWeightsWithRate = {60, 10, 30};
inline constexpr std::array<uint32_t, 3> kChannelWeightsWithoutRate = {89, 11, 0};

inline constexpr std::array<std::string_view, 6> kPriceChangeReasons = {
    "bulk purchase discount",
    "negotiated enterprise price",
    "promotion campaign",
    "loyal customer discount",
    "price match",
    "annual contract discount"};
inline constexpr std::array<std::string_view, 4> kRenameSuffixes = {" v2", " (new edition)",
                                                                    " Plus", " (upgraded)"};

// Indexed by Type (gen_internal.h).
inline constexpr std::array<std::string_view, 25> kTypeNames = {
    "ProductListed",         "ResellerRateSet",       "ProductUpdated",
    "ProductProfileUpdated", "ProductDailyMetrics",   "DeliveryTemplateDefined",
    "OrderPlaced",           "OrderPriceChanged",     "OrderPaid",
    "OrderVoided",           "CouponRedeemed",        "CouponReleased",
    "DeliveryStep",          "ReviewPosted",          "CouponCreated",
    "CouponIssuancePaused",  "CouponIssuanceResumed", "CouponVoided",
    "CouponClaimed",         "RefundRequested",       "RefundApproved",
    "RefundRejected",        "InvoiceRequested",      "InvoiceIssued",
    "InvoiceRejected"};

// ProductProfileUpdated flags in Event::detail: a "present" bit and a "value" bit per field.
inline constexpr std::array<std::string_view, 3> kProfileFields = {
    "has_case_study", "has_qualification", "has_video"};

}  // namespace mkt::gen::detail
