#include "replay/verify.h"

#include <functional>

#include "ledger/ledger.h"
#include "ledger/limits.h"

namespace mkt {

std::string CheckChainEntry(const LogEntry& entry, uint32_t partition, uint64_t expected_seq,
                       const Hash& prev) {
  if (entry.seq != expected_seq) return "gap: expected seq " + std::to_string(expected_seq);
  const auto view = ViewStoredEvent(entry.bytes);
  if (!view) return "entry is not a well-formed StoredEvent";
  if (view->partition != partition || view->seq != entry.seq) {
    return "entry claims partition " + std::to_string(view->partition) + " seq " +
           std::to_string(view->seq);
  }
  const auto* stored = fb::GetStoredEvent(entry.bytes.data());
  if (!std::equal(prev.begin(), prev.end(), stored->prev_hash()->begin())) {
    return "prev_hash does not match the previous entry's hash";
  }
  const std::string_view record(reinterpret_cast<const char*>(stored->record()->data()),
                                stored->record()->size());
  const Hash hash = ChainHash(prev, record);
  if (!std::equal(hash.begin(), hash.end(), stored->hash()->begin())) {
    return "hash does not match SHA-256(prev_hash || record)";
  }
  return {};
}

ChainReport VerifyChain(const Log& log, const std::function<void(uint64_t)>& progress) {
  ChainReport report;
  std::vector<LogEntry> entries;
  for (uint32_t partition = 0; partition < log.partition_count(); ++partition) {
    Hash prev = kGenesisHash;
    uint64_t next = 0;
    bool broken = false;
    while (!broken) {
      const std::string error = log.Read(partition, next, limits::kLogReadBatchMax, &entries);
      MKT_ASSERT(error.empty(), error);
      if (entries.empty()) break;
      for (const LogEntry& entry : entries) {
        const std::string why = CheckChainEntry(entry, partition, next, prev);
        if (!why.empty()) {
          if (!report.first_break) report.first_break = ChainBreak{partition, next, why};
          broken = true;
          break;
        }
        std::copy_n(fb::GetStoredEvent(entry.bytes.data())->hash()->begin(), prev.size(),
                    prev.begin());
        ++next;
        ++report.events;
      }
      if (progress) progress(report.events);
    }
    // The stored head must agree with the chain's end, or events were dropped.
    const PartitionHead head = log.Head(partition);
    if (!broken && (head.next_seq != next || head.last_hash != prev) && !report.first_break) {
      report.first_break = ChainBreak{partition, next,
                                      "log ends at seq " + std::to_string(next) +
                                          " but its head says " + std::to_string(head.next_seq)};
    }
  }
  return report;
}

}  // namespace mkt
