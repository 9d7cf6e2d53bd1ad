#include "ledger/kafka_client.h"

#include <chrono>
#include <map>
#include <optional>
#include <thread>

#include "ledger/limits.h"

namespace mkt::kafka {
namespace {

struct MetadataDeleter {
  void operator()(const rd_kafka_metadata_t* md) const { rd_kafka_metadata_destroy(md); }
};

// name -> partition count of every existing topic among `names`.
std::variant<std::map<std::string, uint32_t>, std::string> PartitionCounts(
    rd_kafka_t* rk, const std::vector<std::string>& names) {
  const rd_kafka_metadata_t* raw = nullptr;
  const rd_kafka_resp_err_t err =
      rd_kafka_metadata(rk, /*all_topics=*/1, nullptr, &raw, limits::kKafkaRequestTimeoutMs);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return Describe("cluster metadata", err);
  std::unique_ptr<const rd_kafka_metadata_t, MetadataDeleter> md(raw);
  std::map<std::string, uint32_t> counts;
  for (int i = 0; i < md->topic_cnt; ++i) {
    const rd_kafka_metadata_topic_t& topic = md->topics[i];
    if (topic.err != RD_KAFKA_RESP_ERR_NO_ERROR) continue;
    for (const std::string& name : names) {
      if (name == topic.topic) counts[name] = static_cast<uint32_t>(topic.partition_cnt);
    }
  }
  return counts;
}

std::string CreateTopics(rd_kafka_t* rk, const std::vector<std::string>& names,
                         uint32_t partitions) {
  char errstr[512];
  std::vector<rd_kafka_NewTopic_t*> topics;
  for (const std::string& name : names) {
    // Replication factor -1: the broker's default.replication.factor.
    rd_kafka_NewTopic_t* topic = rd_kafka_NewTopic_new(name.c_str(), static_cast<int>(partitions),
                                                       -1, errstr, sizeof(errstr));
    if (topic == nullptr) return "topic " + name + ": " + errstr;
    // The event log is the auditors' source of truth: never delete by age or size.
    rd_kafka_NewTopic_set_config(topic, "retention.ms", "-1");
    rd_kafka_NewTopic_set_config(topic, "retention.bytes", "-1");
    topics.push_back(topic);
  }
  rd_kafka_queue_t* queue = rd_kafka_queue_new(rk);
  rd_kafka_CreateTopics(rk, topics.data(), topics.size(), nullptr, queue);
  rd_kafka_event_t* event = rd_kafka_queue_poll(queue, limits::kKafkaRequestTimeoutMs + 1000);
  std::string error;
  if (event == nullptr) {
    error = "creating topics: no answer from the cluster";
  } else if (rd_kafka_event_error(event) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    error = std::string("creating topics: ") + rd_kafka_event_error_string(event);
  } else {
    size_t count = 0;
    const rd_kafka_topic_result_t** results =
        rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(event), &count);
    for (size_t i = 0; i < count && error.empty(); ++i) {
      const rd_kafka_resp_err_t err = rd_kafka_topic_result_error(results[i]);
      // Another ledger process may have created it meanwhile; the count is checked after.
      if (err == RD_KAFKA_RESP_ERR_NO_ERROR || err == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) continue;
      error = std::string("creating topic ") + rd_kafka_topic_result_name(results[i]) + ": " +
              rd_kafka_topic_result_error_string(results[i]);
    }
  }
  if (event != nullptr) rd_kafka_event_destroy(event);
  rd_kafka_queue_destroy(queue);
  for (rd_kafka_NewTopic_t* topic : topics) rd_kafka_NewTopic_destroy(topic);
  return error;
}

}  // namespace

std::variant<int64_t, std::string> QueryEnd(rd_kafka_t* rk, const std::string& topic,
                                            uint32_t partition) {
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(limits::kKafkaRequestTimeoutMs);
  for (;;) {
    int64_t low = 0, high = 0;
    const rd_kafka_resp_err_t err = rd_kafka_query_watermark_offsets(
        rk, topic.c_str(), static_cast<int32_t>(partition), &low, &high, limits::kKafkaRequestTimeoutMs);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return high;
    const bool transient = err == RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION ||
                           err == RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE ||
                           err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART ||
                           err == RD_KAFKA_RESP_ERR__TRANSPORT;
    if (!transient || std::chrono::steady_clock::now() > deadline) {
      return Describe(("end of " + topic + " partition " + std::to_string(partition)).c_str(), err);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(limits::kKafkaPollMs));  // no leader yet
  }
}

std::string Describe(const char* what, const rd_kafka_error_t* error) {
  return std::string(what) + ": " + rd_kafka_error_string(error);
}

std::string Describe(const char* what, rd_kafka_resp_err_t error) {
  return std::string(what) + ": " + rd_kafka_err2str(error);
}

std::optional<std::string_view> HeaderValue(const rd_kafka_message_t* message, const char* name) {
  rd_kafka_headers_t* headers = nullptr;
  if (rd_kafka_message_headers(message, &headers) != RD_KAFKA_RESP_ERR_NO_ERROR) return std::nullopt;
  const void* value = nullptr;
  size_t size = 0;
  if (rd_kafka_header_get_last(headers, name, &value, &size) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return std::nullopt;
  }
  return std::string_view(static_cast<const char*>(value), size);
}

std::variant<Handle, std::string> NewClient(rd_kafka_type_t type, const ClusterOptions& cluster,
                                            const Config& config, void* opaque,
                                            void (*setup)(rd_kafka_conf_t*)) {
  char errstr[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  Config all = {{"bootstrap.servers", cluster.bootstrap}};
  all.insert(all.end(), config.begin(), config.end());
  for (const auto& [key, value] : all) {
    if (rd_kafka_conf_set(conf, key.c_str(), value.c_str(), errstr, sizeof(errstr)) !=
        RD_KAFKA_CONF_OK) {
      rd_kafka_conf_destroy(conf);
      return "Kafka setting " + key + "=" + value + ": " + errstr;
    }
  }
  if (opaque != nullptr) rd_kafka_conf_set_opaque(conf, opaque);
  if (setup != nullptr) setup(conf);
  rd_kafka_t* rk = rd_kafka_new(type, conf, errstr, sizeof(errstr));  // owns conf on success
  if (rk == nullptr) {
    rd_kafka_conf_destroy(conf);
    return std::string("Kafka client: ") + errstr;
  }
  return Handle(rk);
}

std::variant<uint32_t, std::string> EnsureTopics(const ClusterOptions& cluster, uint32_t partitions,
                                                 uint32_t default_partitions) {
  auto client = NewClient(RD_KAFKA_PRODUCER, cluster, {});
  if (auto* error = std::get_if<std::string>(&client)) return *error;
  rd_kafka_t* rk = std::get<Handle>(client).get();
  const std::vector<std::string> names = {cluster.inbound(), cluster.events(), cluster.rejected()};
  auto counts = PartitionCounts(rk, names);
  if (auto* error = std::get_if<std::string>(&counts)) return "Kafka at " + cluster.bootstrap + ": " + *error;
  auto& existing = std::get<std::map<std::string, uint32_t>>(counts);
  if (existing.size() < names.size()) {
    uint32_t wanted = partitions;
    if (wanted == 0) wanted = existing.empty() ? default_partitions : existing.begin()->second;
    std::vector<std::string> missing;
    for (const std::string& name : names) {
      if (!existing.contains(name)) missing.push_back(name);
    }
    if (std::string error = CreateTopics(rk, missing, wanted); !error.empty()) return error;
    // A topic just created (here or by another process) is listed once the
    // broker's metadata has it: poll for that, bounded.
    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::milliseconds(limits::kKafkaRequestTimeoutMs);
    for (;;) {
      counts = PartitionCounts(rk, names);
      if (auto* again = std::get_if<std::string>(&counts)) return *again;
      if (std::get<std::map<std::string, uint32_t>>(counts).size() == names.size()) break;
      if (std::chrono::steady_clock::now() > deadline) break;  // reported below
      std::this_thread::sleep_for(std::chrono::milliseconds(limits::kKafkaPollMs));
    }
  }
  const auto& now = std::get<std::map<std::string, uint32_t>>(counts);
  for (const std::string& name : names) {
    if (!now.contains(name)) return "topic " + name + " was created but the cluster does not list it";
  }
  const uint32_t inbound = now.at(cluster.inbound()), events = now.at(cluster.events());
  if (inbound != events) {
    return "topic " + cluster.inbound() + " has " + std::to_string(inbound) + " partitions but " +
           cluster.events() + " has " + std::to_string(events) +
           ": the validator writes inbound partition p to events partition p, so they must match";
  }
  if (partitions != 0 && events != partitions) {
    return "--partitions " + std::to_string(partitions) + ": the topics on " + cluster.bootstrap +
           " have " + std::to_string(events);
  }
  if (events > limits::kPartitionsMax) return "topics have more than " + std::to_string(limits::kPartitionsMax) + " partitions";
  return events;
}

}  // namespace mkt::kafka
