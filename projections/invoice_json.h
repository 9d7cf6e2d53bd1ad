// JSON of the `invoices` answer (INTERFACE.md INVOICE), `overdue` at `as_of`.
#pragma once

#include "projections/invoice_list.h"
#include "projections/order_json.h"

namespace mkt {

Json InvoiceListJson(const std::vector<fb::InvoiceRowT>& rows, TzOffset tz, Micros as_of);

}  // namespace mkt
