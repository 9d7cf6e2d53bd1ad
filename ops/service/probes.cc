#include "ops/service/probes.h"

#include <sys/statvfs.h>

#include <chrono>
#include <sstream>

#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"
#include "prometheus/text_serializer.h"

namespace mkt::service {
namespace {

using prometheus::BuildCounter;
using prometheus::BuildGauge;
using prometheus::BuildHistogram;

// Seconds, from 50 µs to 10 s: an order-list page is well under a millisecond,
// a fsynced batch a few milliseconds, a large verify seconds.
const prometheus::Histogram::BucketBoundaries& LatencyBuckets() {
  static const prometheus::Histogram::BucketBoundaries kBuckets = {
      0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
      0.025,   0.05,   0.1,     0.25,   0.5,   1,     2.5,   10};
  return kBuckets;
}

const prometheus::Histogram::BucketBoundaries& CountBuckets() {
  static const prometheus::Histogram::BucketBoundaries kBuckets = {1,   2,   4,    8,    16,  32,
                                                                   64,  128, 256,  512,  1024,
                                                                   2048, 4096};
  return kBuckets;
}

// The RocksDB properties exported as gauges (rocksdb_property{name=...}).
constexpr const char* kRocksDbProperties[] = {
    "rocksdb.estimate-live-data-size", "rocksdb.total-sst-files-size",
    "rocksdb.cur-size-all-mem-tables", "rocksdb.num-running-compactions",
    "rocksdb.num-running-flushes",     "rocksdb.estimate-pending-compaction-bytes",
    "rocksdb.block-cache-usage",       "rocksdb.estimate-num-keys",
};

std::string Label(std::string_view text) { return std::string(text); }

}  // namespace

IngestProbe::IngestProbe(prometheus::Registry& r)
    : accepted_(BuildCounter()
                    .Name("ledger_events_accepted_total")
                    .Help("Events accepted into the ledger, by event type")
                    .Register(r)),
      duplicate_(BuildCounter()
                     .Name("ledger_events_duplicate_total")
                     .Help("Events already in the ledger (same event_id and content), by type")
                     .Register(r)),
      rejected_(BuildCounter()
                    .Name("ledger_events_rejected_total")
                    .Help("Events rejected, by event type and rejection code (LEDGER.md)")
                    .Register(r)),
      append_seconds_(BuildHistogram()
                          .Name("ledger_append_seconds")
                          .Help("Ledger::Process per committed write: decide, apply, fsync")
                          .Register(r)
                          .Add({}, LatencyBuckets())),
      batch_events_(BuildHistogram()
                        .Name("ledger_batch_events")
                        .Help("Events per committed write")
                        .Register(r)
                        .Add({}, CountBuckets())),
      batch_requests_(BuildHistogram()
                          .Name("ledger_batch_requests")
                          .Help("Ingest requests grouped into one committed write")
                          .Register(r)
                          .Add({}, CountBuckets())) {}

void IngestProbe::Accepted(std::string_view type, uint64_t n) {
  accepted_.Add({{"type", Label(type)}}).Increment(static_cast<double>(n));
}
void IngestProbe::Duplicate(std::string_view type, uint64_t n) {
  duplicate_.Add({{"type", Label(type)}}).Increment(static_cast<double>(n));
}
void IngestProbe::Rejected(std::string_view type, std::string_view code, uint64_t n) {
  rejected_.Add({{"type", Label(type)}, {"code", Label(code)}}).Increment(static_cast<double>(n));
}
void IngestProbe::Committed(size_t events, size_t requests, double append_seconds) {
  append_seconds_.Observe(append_seconds);
  batch_events_.Observe(static_cast<double>(events));
  batch_requests_.Observe(static_cast<double>(requests));
}

ProjectionProbe::ProjectionProbe(prometheus::Registry& r)
    : apply_seconds_(BuildHistogram()
                         .Name("ledger_projection_apply_seconds")
                         .Help("Time one read model takes to apply one batch")
                         .Register(r)),
      lag_events_(BuildGauge()
                      .Name("ledger_projection_lag_events")
                      .Help("Events in the log not yet in the read model (0 in embedded mode)")
                      .Register(r)),
      lag_seconds_(BuildGauge()
                       .Name("ledger_projection_lag_seconds")
                       .Help("Age of the oldest event not yet in the read model (0 in embedded mode)")
                       .Register(r)) {}

void ProjectionProbe::Applied(std::string_view projection, double seconds) {
  apply_seconds_.Add({{"projection", Label(projection)}}, LatencyBuckets()).Observe(seconds);
}
void ProjectionProbe::Lag(std::string_view projection, uint64_t events, double seconds) {
  lag_events_.Add({{"projection", Label(projection)}}).Set(static_cast<double>(events));
  lag_seconds_.Add({{"projection", Label(projection)}}).Set(seconds);
}

TimerProbe::TimerProbe(prometheus::Registry& r)
    : emitted_(BuildCounter()
                   .Name("ledger_timer_events_total")
                   .Help("Timer events appended by the wall-clock tick, by type")
                   .Register(r)),
      tick_seconds_(BuildHistogram()
                        .Name("ledger_tick_seconds")
                        .Help("Time of one tick (find due timers, append their events)")
                        .Register(r)
                        .Add({}, LatencyBuckets())) {}

void TimerProbe::Emitted(std::string_view type, uint64_t n) {
  emitted_.Add({{"type", Label(type)}}).Increment(static_cast<double>(n));
}
void TimerProbe::Ticked(double seconds) { tick_seconds_.Observe(seconds); }

SettlementProbe::SettlementProbe(prometheus::Registry& r)
    : closed_(BuildCounter()
                  .Name("ledger_settlement_closes_total")
                  .Help("Seller statements closed")
                  .Register(r)
                  .Add({})),
      refused_(BuildCounter()
                   .Name("ledger_settlement_refused_total")
                   .Help("Seller statements whose close was refused, by code")
                   .Register(r)) {}

void SettlementProbe::Closed(uint64_t n) { closed_.Increment(static_cast<double>(n)); }
void SettlementProbe::Refused(std::string_view code, uint64_t n) {
  refused_.Add({{"code", Label(code)}}).Increment(static_cast<double>(n));
}

HttpProbe::HttpProbe(prometheus::Registry& r)
    : requests_(BuildCounter()
                    .Name("ledger_http_requests_total")
                    .Help("HTTP requests by route pattern, method and status")
                    .Register(r)),
      latency_seconds_(BuildHistogram()
                           .Name("ledger_http_request_seconds")
                           .Help("HTTP handler time by route pattern (after the body is read)")
                           .Register(r)) {}

void HttpProbe::Request(std::string_view route, std::string_view method, int status,
                        double seconds) {
  requests_.Add({{"route", Label(route)}, {"method", Label(method)}, {"status", std::to_string(status)}})
      .Increment();
  latency_seconds_.Add({{"route", Label(route)}}, LatencyBuckets()).Observe(seconds);
}

StoreProbe::StoreProbe(prometheus::Registry& r, const Store* store)
    : store_(store),
      rocksdb_(BuildGauge()
                   .Name("ledger_rocksdb_property")
                   .Help("RocksDB integer properties summed over column families, by name")
                   .Register(r)),
      disk_free_bytes_(BuildGauge()
                           .Name("ledger_disk_free_bytes")
                           .Help("Free bytes on the data directory's file system (unprivileged)")
                           .Register(r)
                           .Add({})),
      disk_total_bytes_(BuildGauge()
                            .Name("ledger_disk_total_bytes")
                            .Help("Size of the data directory's file system")
                            .Register(r)
                            .Add({})),
      chain_broken_(BuildGauge()
                        .Name("ledger_chain_broken")
                        .Help("1 when the last chain check (GET /v1/audit/verify) found a break")
                        .Register(r)
                        .Add({})),
      chain_checked_events_(BuildGauge()
                                .Name("ledger_chain_checked_events")
                                .Help("Events the last chain check walked")
                                .Register(r)
                                .Add({})),
      chain_checked_at_(BuildGauge()
                            .Name("ledger_chain_checked_timestamp_seconds")
                            .Help("Unix time of the last chain check (0: none since start)")
                            .Register(r)
                            .Add({})),
      writer_healthy_(BuildGauge()
                          .Name("ledger_writer_healthy")
                          .Help("0 once a storage error stopped the writer (the store needs attention)")
                          .Register(r)
                          .Add({})) {
  writer_healthy_.Set(1);
}

void StoreProbe::Refresh() {
  rocksdb::DB* db = store_->db();
  for (const char* name : kRocksDbProperties) {
    uint64_t value = 0;
    // GetAggregatedIntProperty sums over every column family (block cache
    // usage is shared, so it is reported once whichever family is asked).
    if (db->GetAggregatedIntProperty(name, &value)) {
      rocksdb_.Add({{"name", name}}).Set(static_cast<double>(value));
    }
  }
  struct statvfs fs {};
  if (statvfs(store_->dir().c_str(), &fs) == 0) {
    disk_free_bytes_.Set(static_cast<double>(fs.f_bavail) * static_cast<double>(fs.f_frsize));
    disk_total_bytes_.Set(static_cast<double>(fs.f_blocks) * static_cast<double>(fs.f_frsize));
  }
}

void StoreProbe::ChainChecked(bool ok, uint64_t events) {
  chain_broken_.Set(ok ? 0 : 1);
  chain_checked_events_.Set(static_cast<double>(events));
  chain_checked_at_.SetToCurrentTime();
}

void StoreProbe::WriterHealthy(bool healthy) { writer_healthy_.Set(healthy ? 1 : 0); }

Probes::Probes(const Store* store)
    : registry_(std::make_unique<prometheus::Registry>()),
      ingest(*registry_),
      projections(*registry_),
      timers(*registry_),
      settlement(*registry_),
      http(*registry_),
      store(*registry_, store) {}

Probes::~Probes() = default;

std::string Probes::Scrape() {
  store.Refresh();
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, registry_->Collect());
  return out.str();
}

void TimedObserver::Apply(std::span<const AcceptedRecord> records, rocksdb::WriteBatch* batch) {
  const auto start = std::chrono::steady_clock::now();
  inner_->Apply(records, batch);
  probe_->Applied(name_, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
}

}  // namespace mkt::service
