// The 30-day product-strength score (LEDGER.md section 7, INTERFACE.md
// `strength`). Daily buckets per product (policy timezone) hold the counts and
// sums of each day, and a per-day set of buyers makes the distinct-buyer rate
// exact; the score as of day D reads the 30 buckets [D-29, D] and never the log.
//
// As of D means: events whose business time `at` falls on or before the end of
// D (metrics by their `date`). Orders count by the day they were placed,
// payments (paid orders, GMV, projects opened) by the day paid, refunds by the
// day approved, completions and reviews by their day. A buyer is a paying buyer
// when an order they placed in the window was paid by the end of D.
//
// Family `strength`, keys in schemas/strength.fbs. Threading: Apply/Reset from
// the writer thread; queries from any thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ledger/ledger.h"
#include "ledger/policy.h"
#include "projections/coupon_list.h"
#include "schemas/strength_generated.h"

namespace mkt {

inline constexpr const char* kCfStrength = "strength";

struct StrengthFactor {
  std::string_view name;  // a literal of strength_score.cc
  double value = 0;
  double score = 0;  // 0..100
};

struct StrengthDimension {
  std::string_view name;  // a literal of strength_score.cc
  int weight = 0;
  bool included = false;  // false: no data source for the product (weights rescaled)
  double score = 0;       // mean of its factors
  std::vector<StrengthFactor> factors;
};

struct StrengthScore {
  std::string product_id;
  int32_t as_of = 0;  // day
  double score = 0;   // rounded half-up to two decimals
  std::string tier;   // super|premium|potential|ordinary
  std::vector<StrengthDimension> dimensions;
};

using Json = nlohmann::ordered_json;
// SCORE of INTERFACE.md (as_of and the window as dates).
Json StrengthJson(const StrengthScore& score);

class StrengthProjection final : public BatchObserver {
 public:
  static std::vector<std::string> Families() { return {kCfStrength}; }

  StrengthProjection(Store* store, TzOffset tz, const CouponListProjection* coupons);
  ~StrengthProjection() override;

  void Apply(std::span<const AcceptedRecord> records, rocksdb::WriteBatch* batch) override;
  void Reset() override;
  // Weights, targets and tiers used by queries (the stored buckets do not
  // depend on them); the policy's, set by LedgerStack.
  void set_model(const StrengthModel& model) { model_ = model; }

  // nullopt when the seller has no such product.
  std::optional<StrengthScore> Score(std::string_view seller_id, std::string_view product_id,
                                     int32_t day) const;
  // Every product of the seller, best first (then product id).
  std::vector<StrengthScore> Ranking(std::string_view seller_id, int32_t day) const;

 private:
  class Book;
  Store* store_;
  TzOffset tz_;
  const CouponListProjection* coupons_;
  StrengthModel model_;
  std::unique_ptr<Book> book_;
};

}  // namespace mkt
