// The bounds of `ledger serve`, in one place.
#pragma once

#include <cstddef>

#include "ledger/limits.h"

namespace mkt::limits {
// `ledger serve` (ops/service/). Kept beside, not inside, ledger/limits.h so that
// the service's bounds do not rebuild the ledger; the relations to the ledger's
// bounds are asserted here.
inline constexpr size_t kHttpBodyBytesDefault = 16 << 20;  // one POST /v1/events body
inline constexpr size_t kHttpBodyBytesMax = 256 << 20;
inline constexpr size_t kHttpHeadersMax = 64;  // header lines of one request (431 above)
// Header line and URI lengths are cpp-httplib's compiled bounds (8 KiB each).
inline constexpr int kHttpThreadsDefault = 8;
inline constexpr int kHttpThreadsMax = 256;
inline constexpr int kHttpReadTimeoutSeconds = 5;   // a client that stalls mid-request
inline constexpr int kHttpWriteTimeoutSeconds = 5;
inline constexpr int kHttpKeepAliveSeconds = 5;
inline constexpr size_t kHttpKeepAliveRequestsMax = 10'000;
// Ingest and settle requests waiting for the writer thread; callers block above.
inline constexpr size_t kWriterQueueJobsMax = 256;
// Ingest requests committed together in one write (group commit).
inline constexpr size_t kGroupCommitRequestsMax = 64;
// Timers (`tick`) run on the wall clock this often inside `serve`.
inline constexpr int kServeTickIntervalMs = 1000;
inline constexpr size_t kTokensMax = 100'000;
static_assert(kHttpBodyBytesDefault <= kHttpBodyBytesMax);
static_assert(kGroupCommitRequestsMax <= kWriterQueueJobsMax);
static_assert(kJsonLineBytesMax <= kHttpBodyBytesDefault);
}  // namespace mkt::limits
