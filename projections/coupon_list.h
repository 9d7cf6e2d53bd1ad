// The seller's coupons (INTERFACE.md `coupons`): definition, claimed and
// redeemed counts, and the status shown to sellers at any instant.
//
// Family `coupons`: seller \0 coupon_id -> CouponRow. Threading as for the
// order list: Apply/Reset on the writer thread, List from any thread.
#pragma once

#include <string>
#include <vector>

#include "ledger/ledger.h"
#include "ledger/state.h"
#include "schemas/records_generated.h"

namespace mkt {

inline constexpr const char* kCfCoupons = "coupons";

// scheduled | issuing | paused | issue_ended | expired | voided, at `as_of`.
std::string_view CouponStatus(const fb::CouponRowT& row, Micros as_of);

class CouponListProjection final : public BatchObserver {
 public:
  static std::vector<std::string> Families() { return {kCfCoupons}; }

  explicit CouponListProjection(Store* store) : store_(store), rows_(store, kCfCoupons, "") {}

  void Apply(std::span<const AcceptedRecord> records, rocksdb::WriteBatch* batch) override;
  void Reset() override { rows_.Reset(); }

  // Every coupon of the seller, by coupon_id.
  std::vector<fb::CouponRowT> List(std::string_view seller_id) const;

 private:
  void ApplyOne(const AcceptedRecord& record);
  void Create(const AcceptedRecord& record);

  Store* store_;
  AggregateCache<fb::CouponRowT> rows_;
};

}  // namespace mkt
