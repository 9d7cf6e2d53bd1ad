// The service's metrics, one probe class per subsystem (Redpanda's
// storage/probe.h habit): business code calls `probes.ingest.Accepted(type, n)`
// and only this file and probes.cc touch prometheus::. Every family is
// registered once, in the constructors, into the one registry that /metrics
// serialises.
//
// Threading: every method may be called from any thread (prometheus-cpp's
// counters, gauges and histograms are thread-safe; Family::Add locks).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "ledger/ledger.h"
#include "ledger/store.h"

namespace prometheus {
class Registry;
class Counter;
class Gauge;
class Histogram;
template <typename T>
class Family;
}  // namespace prometheus

namespace mkt::service {

// Events through the writer: outcomes by type and code, batch shapes, timings.
class IngestProbe {
 public:
  explicit IngestProbe(prometheus::Registry& registry);
  void Accepted(std::string_view type, uint64_t n);
  void Duplicate(std::string_view type, uint64_t n);
  // `type` is "undecoded" when the line did not decode far enough to have one.
  void Rejected(std::string_view type, std::string_view code, uint64_t n);
  // One committed write: its events, the requests grouped into it, and the
  // time Ledger::Process took (decide, apply, fsynced commit).
  void Committed(size_t events, size_t requests, double append_seconds);

 private:
  prometheus::Family<prometheus::Counter>& accepted_;
  prometheus::Family<prometheus::Counter>& duplicate_;
  prometheus::Family<prometheus::Counter>& rejected_;
  prometheus::Histogram& append_seconds_;
  prometheus::Histogram& batch_events_;
  prometheus::Histogram& batch_requests_;
};

// Read models: time to apply each batch, and how far behind the log they are.
class ProjectionProbe {
 public:
  explicit ProjectionProbe(prometheus::Registry& registry);
  void Applied(std::string_view projection, double seconds);
  // In embedded mode the projections are written in the same atomic write as
  // the events, so the lag is 0 by construction; cluster mode (Kafka) sets it
  // from its consumers.
  void Lag(std::string_view projection, uint64_t events, double seconds);

 private:
  prometheus::Family<prometheus::Histogram>& apply_seconds_;
  prometheus::Family<prometheus::Gauge>& lag_events_;
  prometheus::Family<prometheus::Gauge>& lag_seconds_;
};

// Timers and settlement closes.
class TimerProbe {
 public:
  explicit TimerProbe(prometheus::Registry& registry);
  void Emitted(std::string_view type, uint64_t n);
  void Ticked(double seconds);

 private:
  prometheus::Family<prometheus::Counter>& emitted_;
  prometheus::Histogram& tick_seconds_;
};

class SettlementProbe {
 public:
  explicit SettlementProbe(prometheus::Registry& registry);
  void Closed(uint64_t n);
  void Refused(std::string_view code, uint64_t n);

 private:
  prometheus::Counter& closed_;
  prometheus::Family<prometheus::Counter>& refused_;
};

// HTTP requests by route pattern, method and status.
class HttpProbe {
 public:
  explicit HttpProbe(prometheus::Registry& registry);
  void Request(std::string_view route, std::string_view method, int status, double seconds);

 private:
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Histogram>& latency_seconds_;
};

// The store: RocksDB properties and free disk, read when scraped; the last
// chain check and the writer's health.
class StoreProbe {
 public:
  StoreProbe(prometheus::Registry& registry, const Store* store);
  void Refresh();  // reads RocksDB properties and statvfs of the data directory
  void ChainChecked(bool ok, uint64_t events);
  void WriterHealthy(bool healthy);

 private:
  const Store* store_;
  prometheus::Family<prometheus::Gauge>& rocksdb_;
  prometheus::Gauge& disk_free_bytes_;
  prometheus::Gauge& disk_total_bytes_;
  prometheus::Gauge& chain_broken_;
  prometheus::Gauge& chain_checked_events_;
  prometheus::Gauge& chain_checked_at_;
  prometheus::Gauge& writer_healthy_;
};

class Probes {
 public:
  explicit Probes(const Store* store);
  ~Probes();
  // Refreshes the store gauges and serialises everything (Prometheus text format 0.0.4).
  std::string Scrape();

 private:
  std::unique_ptr<prometheus::Registry> registry_;

 public:
  IngestProbe ingest;
  ProjectionProbe projections;
  TimerProbe timers;
  SettlementProbe settlement;
  HttpProbe http;
  StoreProbe store;
};

// Times each read model's Apply for ProjectionProbe, and forwards everything.
class TimedObserver final : public BatchObserver {
 public:
  TimedObserver(BatchObserver* inner, std::string name, ProjectionProbe* probe)
      : inner_(inner), name_(std::move(name)), probe_(probe) {}
  void Apply(std::span<const AcceptedRecord> records, rocksdb::WriteBatch* batch) override;
  void Reset() override { inner_->Reset(); }

 private:
  BatchObserver* inner_;
  std::string name_;
  ProjectionProbe* probe_;
};

}  // namespace mkt::service
