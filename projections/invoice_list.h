// The seller's invoice queue (INTERFACE.md `invoices`). Family `invoices`:
// seller \0 invoice_id -> InvoiceRow. `overdue` depends on the instant asked
// about, so it is computed at query time from due_at.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ledger/ledger.h"
#include "ledger/state.h"
#include "schemas/records_generated.h"

namespace mkt {

inline constexpr const char* kCfInvoices = "invoices";

// Still requested strictly after its due time.
bool IsOverdue(const fb::InvoiceRowT& row, Micros as_of);

class InvoiceListProjection final : public BatchObserver {
 public:
  static std::vector<std::string> Families() { return {kCfInvoices}; }

  explicit InvoiceListProjection(Store* store) : store_(store), rows_(store, kCfInvoices, "") {}

  void Apply(std::span<const AcceptedRecord> records, rocksdb::WriteBatch* batch) override;
  void Reset() override { rows_.Reset(); }

  // The seller's invoices by invoice_id; `status` filters (requested, issued,
  // rejected, or overdue at `as_of`).
  std::vector<fb::InvoiceRowT> List(std::string_view seller_id, std::optional<std::string> status,
                                    Micros as_of) const;

 private:
  void ApplyOne(const AcceptedRecord& record);

  Store* store_;
  AggregateCache<fb::InvoiceRowT> rows_;
};

}  // namespace mkt
