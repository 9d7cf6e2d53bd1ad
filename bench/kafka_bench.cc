// Cluster-mode pipeline benchmark on a real broker: a generated stream is
// produced to ledger.inbound (idempotent producer, key = seller_id, partition =
// PartitionOf, as `ledger --kafka ingest` does), decided by a Validator (one
// Kafka transaction per round) and applied by a Projector (one fsynced RocksDB
// write per round), both in this process on their own threads, as `ledger serve
// --kafka` runs them. Prints one JSON object.
//
//   kafka_bench [--bootstrap B] [--orders N] [--sellers N] [--seed N]
//               [--paced-fraction F] [--rate EV_PER_S]
//
// Two phases over one stream: the first (1 - F) of it is produced as fast as
// possible: sustained events/s = events / (last one visible in the projection -
// first one produced). Then the rest is produced at --rate; each event's latency
// is from its produce call to the commit of the projector round holding it
// (visible to queries). Topics get a fresh prefix per run; the store is temporary.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <iostream>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "CLI/CLI.hpp"
#include "bench/bench_support.h"
#include "ledger/kafka_log.h"
#include "ledger/limits.h"
#include "ledger/validator.h"
#include "nlohmann/json.hpp"
#include "projections/projector.h"

namespace mkt::bench {
namespace {

using Clock = std::chrono::steady_clock;
using Json = nlohmann::ordered_json;

struct Options {
  std::string bootstrap = "127.0.0.1:9092";
  int64_t orders = 25'000;
  int sellers = 50;
  uint64_t seed = 1;
  double paced_fraction = 0.3;
  double rate = 20'000;  // events/s in the paced phase
};

std::string Key(std::string_view seller, std::string_view event_id) {
  std::string key(seller);
  key.push_back('\0');
  key.append(event_id);
  return key;
}

double Percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(q * static_cast<double>(v.size())))];
}

class Pipeline {
 public:
  Pipeline(const Options& options, const std::vector<DecodedEvent>& events)
      : events_(events), sent_(events.size()), visible_(events.size()) {
    cluster_.bootstrap = options.bootstrap;
    cluster_.prefix = "bench-" + std::to_string(getpid()) + ".";
    for (size_t i = 0; i < events.size(); ++i) index_[Key(events[i].seller_id(), events[i].event_id())] = i;
  }

  void Run(const Options& options, Json* out) {
    auto partitions = kafka::EnsureTopics(cluster_, 0, limits::kPartitionsDefault);
    if (auto* error = std::get_if<std::string>(&partitions)) Die(*error);
    partitions_ = std::get<uint32_t>(partitions);
    TempDir dir("kafka-bench");
    auto opened = Store::Open(dir.path(), Projections::Families());
    if (auto* error = std::get_if<std::string>(&opened)) Die(*error);
    std::unique_ptr<Store> store = std::move(std::get<std::unique_ptr<Store>>(opened));
    auto loaded = LoadPolicy("");  // the embedded defaults, as without --policy
    if (auto* error = std::get_if<std::string>(&loaded)) Die(*error);
    const Policy policy = std::get<Policy>(loaded);
    Projections projections(store.get(), policy.timezone);
    projections.strength.set_model(policy.strength);
    auto validator = Validator::Open(store.get(), cluster_, partitions_, policy, [] {
      return std::chrono::duration_cast<std::chrono::microseconds>(
                 std::chrono::system_clock::now().time_since_epoch()).count();
    });
    if (auto* error = std::get_if<std::string>(&validator)) Die(*error);
    auto projector = Projector::Open(store.get(), &projections, cluster_, partitions_, "bench");
    if (auto* error = std::get_if<std::string>(&projector)) Die(*error);
    Validator& v = *std::get<std::unique_ptr<Validator>>(validator);
    Projector& p = *std::get<std::unique_ptr<Projector>>(projector);

    // The group assigns the partitions within a few seconds: not part of the figures.
    while (v.owned_partitions() < partitions_) {
      if (std::string error = v.RunOnce(); !error.empty()) Die("validator: " + error);
    }
    std::thread validator_thread([&] {
      while (!stop_.load()) {
        if (std::string error = v.RunOnce(); !error.empty()) Die("validator: " + error);
      }
      v.Close();
    });
    std::thread projector_thread([&] {
      while (!stop_.load()) {
        std::string error = p.RunOnce([&](std::span<const AcceptedRecord> records) { OnVisible(records); });
        if (!error.empty()) Die("projector: " + error);
      }
    });
    kafka::Handle producer = NewProducer();
    const size_t blast = events_.size() - static_cast<size_t>(options.paced_fraction * events_.size());
    const auto blast_start = Clock::now();
    Produce(producer.get(), 0, blast, 0);
    WaitVisible(blast);
    const double blast_seconds = Seconds(blast_start, last_visible_);
    Produce(producer.get(), blast, events_.size(), options.rate);
    WaitVisible(events_.size());
    stop_.store(true);
    validator_thread.join();
    projector_thread.join();

    std::vector<double> latency_ms;
    for (size_t i = blast; i < events_.size(); ++i) {
      latency_ms.push_back(std::chrono::duration<double, std::milli>(visible_[i] - sent_[i]).count());
    }
    (*out)["partitions"] = partitions_;
    (*out)["validator_rounds"] = v.rounds();
    (*out)["sustained"] = {{"events", blast},
                           {"seconds", blast_seconds},
                           {"events_per_s", static_cast<double>(blast) / blast_seconds}};
    (*out)["latency"] = {{"events", latency_ms.size()},
                         {"rate_events_per_s", options.rate},
                         {"p50_ms", Percentile(latency_ms, 0.50)},
                         {"p99_ms", Percentile(latency_ms, 0.99)},
                         {"max_ms", Percentile(latency_ms, 1.0)}};
  }

 private:
  static double Seconds(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double>(b - a).count();
  }

  kafka::Handle NewProducer() {
    auto producer = kafka::NewClient(RD_KAFKA_PRODUCER, cluster_,
                                     {{"enable.idempotence", "true"},  // as ingest --kafka
                                      {"acks", "all"},
                                      {"linger.ms", "1"}});
    if (auto* error = std::get_if<std::string>(&producer)) Die(*error);
    return std::move(std::get<kafka::Handle>(producer));
  }

  // Produces events [begin, end); `rate` 0 = as fast as the producer takes them.
  void Produce(rd_kafka_t* rk, size_t begin, size_t end, double rate) {
    const std::string topic = cluster_.inbound();
    const auto start = Clock::now();
    for (size_t i = begin; i < end; ++i) {
      if (rate > 0) {
        const auto due = start + std::chrono::duration_cast<Clock::duration>(
                                     std::chrono::duration<double>(static_cast<double>(i - begin) / rate));
        while (Clock::now() < due) rd_kafka_poll(rk, 0);
      }
      const DecodedEvent& e = events_[i];
      sent_[i] = Clock::now();
      for (;;) {
        const rd_kafka_resp_err_t err = rd_kafka_producev(
            rk, RD_KAFKA_V_TOPIC(topic.c_str()),
            RD_KAFKA_V_PARTITION(static_cast<int32_t>(PartitionOf(e.seller_id(), partitions_))),
            RD_KAFKA_V_KEY(e.seller_id().data(), e.seller_id().size()),
            RD_KAFKA_V_VALUE(const_cast<char*>(e.bytes().data()), e.bytes().size()),
            RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
        if (err == RD_KAFKA_RESP_ERR_NO_ERROR) break;
        if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) Die(kafka::Describe("produce", err));
        rd_kafka_poll(rk, 1);
      }
      rd_kafka_poll(rk, 0);
    }
    if (rd_kafka_flush(rk, limits::kKafkaRequestTimeoutMs) != RD_KAFKA_RESP_ERR_NO_ERROR) Die("flush");
  }

  void OnVisible(std::span<const AcceptedRecord> records) {
    const auto now = Clock::now();
    std::lock_guard lock(mutex_);
    for (const AcceptedRecord& r : records) {
      const auto it = index_.find(Key(r.input->seller_id()->string_view(), r.input->event_id()->string_view()));
      if (it == index_.end()) Die("projected an event that was not sent");
      visible_[it->second] = now;
      last_visible_ = now;
      ++visible_count_;
    }
  }

  void WaitVisible(size_t count) {
    const auto deadline = Clock::now() + std::chrono::seconds(300);
    for (;;) {
      {
        std::lock_guard lock(mutex_);
        if (visible_count_ >= count) return;
      }
      if (Clock::now() > deadline) Die("events did not become visible within 300 s");
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }

  const std::vector<DecodedEvent>& events_;
  kafka::ClusterOptions cluster_;
  uint32_t partitions_ = 0;
  std::unordered_map<std::string, size_t> index_;
  std::vector<Clock::time_point> sent_;
  std::mutex mutex_;
  std::vector<Clock::time_point> visible_;
  Clock::time_point last_visible_;
  size_t visible_count_ = 0;
  std::atomic<bool> stop_{false};
};

}  // namespace
}  // namespace mkt::bench

int main(int argc, char** argv) {
  using namespace mkt;
  using namespace mkt::bench;
  Options options;
  CLI::App app{"kafka_bench: the cluster-mode pipeline on a real broker"};
  app.add_option("--bootstrap", options.bootstrap, "Kafka bootstrap servers")->capture_default_str();
  app.add_option("--orders", options.orders, "orders in the generated stream")->capture_default_str();
  app.add_option("--sellers", options.sellers, "sellers")->capture_default_str();
  app.add_option("--seed", options.seed, "generator seed")->capture_default_str();
  app.add_option("--paced-fraction", options.paced_fraction, "share of the stream sent at --rate")
      ->check(CLI::Range(0.01, 0.99))->capture_default_str();
  app.add_option("--rate", options.rate, "events/s of the paced phase")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  JsonDecoder decoder;
  std::vector<DecodedEvent> events;
  for (const std::string& line : GenerateLines({.seed = options.seed, .sellers = options.sellers,
                                                .orders = options.orders})) {
    DecodeResult decoded = decoder.Decode(line);
    if (!decoded.event) Die("the generator wrote a line that does not decode");
    events.push_back(std::move(*decoded.event));
  }
  Json out{{"benchmark", "kafka_pipeline"}, {"bootstrap", options.bootstrap},
           {"orders", options.orders}, {"sellers", options.sellers}, {"events", events.size()},
           {"cpus", std::thread::hardware_concurrency()}};
  Pipeline pipeline(options, events);
  pipeline.Run(options, &out);
  std::cout << out.dump() << std::endl;
  return 0;
}
