// The writer of `ledger serve`: the one place that appends to the ledger.
// HTTP threads decode their NDJSON, hand the lines here and wait for the
// answer; the answer is sent only after the events are durable (ack == fsynced).
//
// This is the seam between serving and storage: EmbeddedWriter (embedded_writer.h)
// owns the embedded store's Ledger on one thread; a cluster writer (`--kafka`)
// implements the same interface over the inbound and ledger topics.
//
// Threading: every method may be called from any thread, concurrently.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "ledger/json_decode.h"
#include "ops/cli/answers.h"

namespace mkt::service {

// One non-blank NDJSON line of a request, decoded by the request's thread.
struct IngestLine {
  uint64_t line_no = 0;  // 1-based, counting blank lines as `ingest` does
  DecodeResult decoded;
};

// What `ingest` would print for the request's lines.
struct IngestSummary {
  uint64_t accepted = 0;
  uint64_t duplicate = 0;
  uint64_t rejected = 0;
  Json rejected_lines = Json::array();  // RejectedLineJson objects, in line order

  // `{"summary":{"accepted":A,"duplicate":D,"rejected":R},"rejected":[…]}`
  Json ToJson() const;
};

class LedgerWriter {
 public:
  virtual ~LedgerWriter() = default;

  // Decides the lines in order and appends the accepted events durably. An
  // error (a storage failure, or the writer shutting down) means the request
  // must be retried: events committed before the failure come back as
  // duplicates, so a retry is safe.
  virtual std::variant<IngestSummary, cli::CommandError> Ingest(std::vector<IngestLine> lines) = 0;
  // `settle --period P` at the writer's clock.
  virtual cli::Answer Settle(const std::string& period) = 0;
  // `verify`, over a log that does not move while it is read.
  virtual cli::Answer Verify() = 0;
  // false once the writer cannot append (readiness); the reason is on stderr.
  virtual bool Ready() const = 0;
  // Finishes every request already handed over, then stops; later calls fail.
  virtual void Stop() = 0;
};

}  // namespace mkt::service
