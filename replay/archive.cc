#include "replay/archive.h"

#include <filesystem>
#include <fstream>

#include "ledger/embedded_log.h"
#include "ledger/ledger.h"
#include "ledger/limits.h"
#include "projections/projections.h"
#include "schemas/archive_generated.h"

namespace mkt {
namespace {

constexpr const char* kFormat = "mkt-ledger-archive/1";
// No StoredEvent comes near this (an input line is at most 64 KiB); a larger
// length prefix means the file is not an archive or is corrupt.
constexpr uint32_t kRecordBytesMax = 16 << 20;

void WriteRecord(std::ofstream& out, const uint8_t* data, size_t size, uint64_t* bytes) {
  const uint32_t n = static_cast<uint32_t>(size);
  const char prefix[4] = {static_cast<char>(n), static_cast<char>(n >> 8), static_cast<char>(n >> 16),
                          static_cast<char>(n >> 24)};
  out.write(prefix, 4);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  *bytes += 4 + size;
}

// The next record, or nullopt at a clean end of file; `error` is set when the
// file ends inside a record or the prefix is absurd.
std::optional<std::string> ReadRecord(std::ifstream& in, uint64_t* offset, std::string* error) {
  unsigned char prefix[4];
  in.read(reinterpret_cast<char*>(prefix), 4);
  if (in.gcount() == 0) return std::nullopt;
  if (in.gcount() != 4) {
    *error = "archive ends inside a length prefix at byte " + std::to_string(*offset);
    return std::nullopt;
  }
  const uint32_t n = prefix[0] | prefix[1] << 8 | prefix[2] << 16 | static_cast<uint32_t>(prefix[3]) << 24;
  if (n == 0 || n > kRecordBytesMax) {
    *error = "record at byte " + std::to_string(*offset) + " claims " + std::to_string(n) + " bytes";
    return std::nullopt;
  }
  std::string record(n, '\0');
  in.read(record.data(), n);
  if (static_cast<uint32_t>(in.gcount()) != n) {
    *error = "archive ends inside the record at byte " + std::to_string(*offset);
    return std::nullopt;
  }
  *offset += 4 + n;
  return record;
}

bool DirectoryIsEmpty(const std::string& dir) {
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) return true;
  return std::filesystem::is_directory(dir, ec) && std::filesystem::is_empty(dir, ec);
}

// Writes one chunk of verified entries: projections and log in one batch.
std::string Commit(EmbeddedLog& log, Projections& projections, const std::vector<LogEntry>& entries) {
  if (entries.empty()) return {};
  std::vector<AcceptedRecord> records;
  records.reserve(entries.size());
  for (const LogEntry& entry : entries) records.push_back(*ViewStoredEvent(entry.bytes));
  rocksdb::WriteBatch batch;
  projections.Apply(records, &batch);
  return log.AppendUnlogged(entries, &batch);  // durable at Finish's FlushAll
}

// Makes a rebuild durable and marks it usable: until this returns, the store
// carries kReplayIncompleteKey and every command refuses it.
std::string Finish(Store& store, const std::string& source) {
  if (std::string e = store.FlushAll(); !e.empty()) return e;
  rocksdb::WriteBatch mark;
  mark.Put(store.cf(kCfMeta), kReplicaKey, source);
  mark.Delete(store.cf(kCfMeta), kReplayIncompleteKey);
  return store.Write(&mark, /*sync=*/true);
}

}  // namespace

std::string ExportArchive(const Log& log, Micros now, const std::string& path, ExportReport* report) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return "export: cannot write " + path;
  flatbuffers::FlatBufferBuilder b(256);
  std::vector<flatbuffers::Offset<fb::ArchivePartition>> partitions;
  for (uint32_t p = 0; p < log.partition_count(); ++p) {
    const PartitionHead head = log.Head(p);
    partitions.push_back(fb::CreateArchivePartition(
        b, head.next_seq, b.CreateVector(head.last_hash.data(), head.last_hash.size())));
  }
  b.Finish(fb::CreateArchiveHeader(b, b.CreateString(kFormat), limits::kSchemaVersion, now,
                                   b.CreateVector(partitions)));
  WriteRecord(out, b.GetBufferPointer(), b.GetSize(), &report->bytes);
  std::vector<LogEntry> entries;
  for (uint32_t p = 0; p < log.partition_count(); ++p) {
    const uint64_t end = log.Head(p).next_seq;  // the header's count: read no further
    for (uint64_t next = 0; next < end;) {
      const size_t want = static_cast<size_t>(std::min<uint64_t>(limits::kLogReadBatchMax, end - next));
      if (std::string error = log.Read(p, next, want, &entries); !error.empty()) return error;
      if (entries.empty()) return "export: partition " + std::to_string(p) + " ends before its head";
      for (const LogEntry& entry : entries) {
        WriteRecord(out, reinterpret_cast<const uint8_t*>(entry.bytes.data()), entry.bytes.size(),
                    &report->bytes);
        ++report->events;
      }
      next += entries.size();
    }
  }
  out.flush();
  if (!out) return "export: write to " + path + " failed";
  return {};
}

namespace {
// Reads, verifies and applies the archive after its header; `store` is new.
std::string ReplayRecords(const ReplayOptions& options, const fb::ArchiveHeader* header, std::ifstream& in,
                          uint64_t offset, Store* store, ReplayReport* report);
}  // namespace

std::string ReplayArchive(const ReplayOptions& options, ReplayReport* report) {
  std::ifstream in(options.from, std::ios::binary);
  if (!in) return "replay: cannot read " + options.from;
  if (!DirectoryIsEmpty(options.into)) return "replay: --into " + options.into + " is not empty";
  uint64_t offset = 0;
  std::string error;
  const auto header_bytes = ReadRecord(in, &offset, &error);
  if (!header_bytes) return "replay: " + options.from + " is not an archive" + (error.empty() ? "" : ": " + error);
  flatbuffers::Verifier verifier(reinterpret_cast<const uint8_t*>(header_bytes->data()), header_bytes->size());
  const auto* header = flatbuffers::GetRoot<fb::ArchiveHeader>(header_bytes->data());
  if (!verifier.VerifyBuffer<fb::ArchiveHeader>(nullptr) || header->format() == nullptr ||
      header->format()->string_view() != kFormat || header->partitions() == nullptr ||
      header->partitions()->size() == 0) {
    return "replay: " + options.from + " has no archive header";
  }
  if (header->schema_version() > limits::kSchemaVersion) {
    return "replay: the archive's schema version " + std::to_string(header->schema_version()) +
           " is newer than this ledger's " + std::to_string(limits::kSchemaVersion);
  }
  auto opened = Store::Open(options.into, Projections::Families());
  if (auto* e = std::get_if<std::string>(&opened)) return *e;
  std::unique_ptr<Store> store = std::move(std::get<std::unique_ptr<Store>>(opened));
  rocksdb::WriteBatch mark;
  mark.Put(store->cf(kCfMeta), kReplayIncompleteKey, options.from);
  if (std::string e = store->Write(&mark, /*sync=*/true); !e.empty()) return e;
  if (std::string e = ReplayRecords(options, header, in, offset, store.get(), report); !e.empty()) return e;
  return Finish(*store, options.from);
}

namespace {

std::string ReplayRecords(const ReplayOptions& options, const fb::ArchiveHeader* header, std::ifstream& in,
                          uint64_t offset, Store* store, ReplayReport* report) {
  std::string error;
  report->partitions = header->partitions()->size();
  auto log_opened = EmbeddedLog::Open(store, report->partitions);
  if (auto* e = std::get_if<std::string>(&log_opened)) return *e;
  std::unique_ptr<EmbeddedLog> log = std::move(std::get<std::unique_ptr<EmbeddedLog>>(log_opened));
  Projections projections(store, options.tz);
  std::vector<LogEntry> chunk;
  for (uint32_t p = 0; p < report->partitions; ++p) {
    const fb::ArchivePartition* expected = header->partitions()->Get(p);
    Hash prev = kGenesisHash;
    bool cut = false;  // --until reached: read past the rest of the partition
    for (uint64_t seq = 0; seq < expected->events(); ++seq) {
      auto bytes = ReadRecord(in, &offset, &error);
      LogEntry entry{p, seq, bytes ? std::move(*bytes) : std::string()};
      const std::string why = bytes ? CheckChainEntry(entry, p, seq, prev) : error.empty() ? "archive ends early" : error;
      if (!why.empty()) {
        report->first_break = ChainBreak{p, seq, why};
        return Commit(*log, projections, chunk);
      }
      std::copy_n(fb::GetStoredEvent(entry.bytes.data())->hash()->begin(), prev.size(), prev.begin());
      if (cut || (options.until && ViewStoredEvent(entry.bytes)->record->recorded_at_us() > *options.until)) {
        cut = true;
        continue;
      }
      chunk.push_back(std::move(entry));
      ++report->events;
      if (chunk.size() == limits::kReplayBatchEventsMax) {
        if (std::string e = Commit(*log, projections, chunk); !e.empty()) return e;
        chunk.clear();
        if (options.progress) options.progress(report->events);
      }
    }
    const auto* last = expected->last_hash();
    if (last == nullptr || last->size() != prev.size() || !std::equal(prev.begin(), prev.end(), last->begin())) {
      report->first_break = ChainBreak{p, expected->events(), "the partition's last hash differs from the header's"};
      return Commit(*log, projections, chunk);
    }
    if (std::string e = Commit(*log, projections, chunk); !e.empty()) return e;
    chunk.clear();
  }
  std::string trailing;
  if (ReadRecord(in, &offset, &trailing) || !trailing.empty()) {
    report->first_break = ChainBreak{report->partitions - 1, header->partitions()->Get(report->partitions - 1)->events(),
                                     "the archive has more records than its header counts"};
  }
  return {};
}

}  // namespace

}  // namespace mkt
