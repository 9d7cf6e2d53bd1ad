// Every read model, in one place: the families to open, the observers to
// attach to a ledger, and the digests `verify` prints.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "projections/coupon_list.h"
#include "projections/invoice_list.h"
#include "projections/order_list.h"
#include "projections/settlement.h"
#include "projections/strength.h"

namespace mkt {

class Projections {
 public:
  static std::vector<std::string> Families();

  Projections(Store* store, TzOffset tz)
      : store_(store), orders(store), coupons(store), invoices(store), settlement(store, tz), strength(store, tz, &coupons) {
    orders.set_settlement(&settlement);
  }

  // Every read model, in the order they see a batch.
  std::vector<BatchObserver*> Observers() { return {&orders, &coupons, &invoices, &settlement, &strength}; }
  void AttachTo(Ledger& ledger) {
    for (BatchObserver* observer : Observers()) ledger.AddObserver(observer);
  }
  // Applies accepted records to every read model (replay: no ledger involved).
  void Apply(std::span<const AcceptedRecord> records, rocksdb::WriteBatch* batch) {
    for (BatchObserver* observer : Observers()) observer->Apply(records, batch);
  }
  // name -> SHA-256 hex over the read model's families in key order.
  std::map<std::string, std::string> Digests() const;

 private:
  Store* store_;

 public:
  OrderListProjection orders;
  CouponListProjection coupons;
  InvoiceListProjection invoices;
  SettlementProjection settlement;
  StrengthProjection strength;
};

}  // namespace mkt
