// Texts of the after-sale flows (internal to ops/gen): coupon campaign themes, refund reasons,
// delivery step notes, review texts and invoice titles, carriers and rejection reasons.
//
// Like word_lists.h: nothing needs JSON escaping and no value contains the two bytes `,"`.
// Events store 4-bit indexes into these lists, so no list is longer than 15 entries.
#pragma once

#include <array>
#include <string_view>

namespace mkt::gen::detail {

inline constexpr std::array<std::string_view, 8> kCouponThemes = {
    "New customer offer", "Autumn sale",   "Renewal reward", "Flash sale",
    "Year-end promotion", "Festival deal", "Loyalty thanks", "Cloud migration season"};

inline constexpr std::array<std::string_view, 6> kBuyerRefundReasons = {
    "no longer needed", "bought by mistake", "not as described",
    "duplicate order",  "delivery delayed",  "found a cheaper plan"};
inline constexpr std::array<std::string_view, 4> kSellerRefundReasons = {
    "cannot deliver in time", "price adjustment compensation", "service discontinued",
    "goodwill gesture"};
inline constexpr std::array<std::string_view, 4> kKeepReasons = {
    "service period continues", "partial delivery accepted", "license already activated",
    "remaining work agreed with the buyer"};
inline constexpr std::array<std::string_view, 4> kRefundRejectReasons = {
    "service already delivered in full", "outside the refund policy",
    "usage exceeds the refundable quota", "insufficient evidence"};

inline constexpr std::array<std::string_view, 4> kRejectNotes = {
    "deliverable does not match the requirement", "documentation missing", "acceptance test failed",
    "requirement incomplete"};
inline constexpr std::array<std::string_view, 4> kAppealNotes = {
    "seller unresponsive", "buyer refuses to confirm a finished delivery", "scope dispute",
    "quality dispute"};
inline constexpr std::array<std::string_view, 2> kResolveNotes = {
    "platform mediation: delivery continues", "platform mediation: delivery ends"};

inline constexpr std::array<std::string_view, 4> kFiveStarTexts = {
    "Great service, highly recommended", "Fast delivery and professional support",
    "Works exactly as described", "Will buy again"};
inline constexpr std::array<std::string_view, 3> kFourStarTexts = {
    "Good overall, minor issues", "Solid product, documentation could be better",
    "Support was helpful"};
inline constexpr std::array<std::string_view, 3> kMiddleStarTexts = {
    "Average experience", "Does the job but support is slow", "Setup took longer than expected"};
inline constexpr std::array<std::string_view, 3> kLowStarTexts = {
    "Did not meet expectations", "Poor support response", "Had to ask for a refund"};

// Invoice titles are companies named after the buyer: a city and a trade word.
inline constexpr std::array<std::string_view, 12> kCompanyCities = {
    "Hangzhou", "Shanghai", "Beijing", "Shenzhen", "Guangzhou", "Chengdu",
    "Nanjing",  "Wuhan",    "Suzhou",  "Xiamen",   "Tianjin",   "Hefei"};
inline constexpr std::array<std::string_view, 10> kCompanyWords = {
    "Xinyun Technology", "Huarui Information", "Tianhe Software",  "Lanhai Data",
    "Jiachen Network",   "Zhiyuan Digital",    "Hengtong Systems", "Mingda Trading",
    "Qiming Education",  "Yuntu Media"};
inline constexpr std::array<std::string_view, 12> kTaxRegions = {
    "330100", "310000", "110000", "440300", "440100", "510100",
    "320100", "420100", "320500", "350200", "120000", "340100"};
static_assert(kTaxRegions.size() == kCompanyCities.size());
inline constexpr std::array<std::string_view, 5> kCarriers = {"SF Express", "EMS", "ZTO Express",
                                                              "YTO Express", "JD Logistics"};
inline constexpr std::array<std::string_view, 5> kCarrierPrefixes = {"SF", "EM", "ZT", "YT", "JD"};
inline constexpr std::array<std::string_view, 4> kInvoiceRejectReasons = {
    "title does not match the tax registration", "tax id invalid",
    "amount already invoiced elsewhere", "special invoice needs a bank account on file"};

}  // namespace mkt::gen::detail
