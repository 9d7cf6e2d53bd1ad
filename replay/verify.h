// Audit of the log (LEDGER.md section 9): walks every partition from seq 0 and
// checks that each entry parses (FlatBuffers Verifier), sits at the seq its key
// says, links to the previous entry's hash, and hashes to what it claims. Reports
// the first break per the CLI contract (partition, seq).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "ledger/log.h"

namespace mkt {

struct ChainBreak {
  uint32_t partition = 0;
  uint64_t seq = 0;
  std::string reason;
};

struct ChainReport {
  uint64_t events = 0;
  std::optional<ChainBreak> first_break;  // the lowest (partition, seq) that fails
};

// Checks one entry against the running chain (`prev` = the previous entry's
// hash, the genesis hash at seq 0); returns why it is broken, or "".
std::string CheckChainEntry(const LogEntry& entry, uint32_t partition, uint64_t expected_seq,
                            const Hash& prev);

// Reads the whole log. `progress` (may be empty) is called now and then with the
// number of events checked so far.
ChainReport VerifyChain(const Log& log, const std::function<void(uint64_t)>& progress = {});

}  // namespace mkt
