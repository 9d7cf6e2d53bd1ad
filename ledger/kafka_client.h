// librdkafka (C API) in the shapes the ledger uses: owned handles, configuration
// from key/value lists (an unknown key is an error, never ignored), the cluster
// mode's topic names, and topic creation through the admin API.
//
// Every function here returns an error message (empty or nullopt on success);
// nothing throws. Handles are not shared between threads unless librdkafka says
// the call is thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "librdkafka/rdkafka.h"

namespace mkt::kafka {

struct HandleDeleter {
  void operator()(rd_kafka_t* rk) const { rd_kafka_destroy(rk); }
};
using Handle = std::unique_ptr<rd_kafka_t, HandleDeleter>;

struct PartitionListDeleter {
  void operator()(rd_kafka_topic_partition_list_t* list) const {
    rd_kafka_topic_partition_list_destroy(list);
  }
};
using PartitionList = std::unique_ptr<rd_kafka_topic_partition_list_t, PartitionListDeleter>;

struct MessageDeleter {
  void operator()(rd_kafka_message_t* m) const { rd_kafka_message_destroy(m); }
};
using Message = std::unique_ptr<rd_kafka_message_t, MessageDeleter>;

struct ErrorDeleter {
  void operator()(rd_kafka_error_t* e) const { rd_kafka_error_destroy(e); }
};
using Error = std::unique_ptr<rd_kafka_error_t, ErrorDeleter>;

using Config = std::vector<std::pair<std::string, std::string>>;

// Where the cluster is and how its names are spelled. `prefix` goes in front of
// every topic, group and transactional id, so that several ledgers (or tests)
// can share one cluster without seeing each other.
struct ClusterOptions {
  std::string bootstrap;
  std::string prefix;

  std::string inbound() const { return prefix + "ledger.inbound"; }
  std::string events() const { return prefix + "ledger.events"; }
  std::string rejected() const { return prefix + "ledger.rejected"; }
  std::string Name(const std::string& what) const { return prefix + what; }
};

// A new client of `type` with bootstrap.servers set, then `config` applied in
// order. `opaque` is passed to every callback set in `setup` (may be empty).
std::variant<Handle, std::string> NewClient(rd_kafka_type_t type, const ClusterOptions& cluster,
                                            const Config& config, void* opaque = nullptr,
                                            void (*setup)(rd_kafka_conf_t*) = nullptr);

// Makes sure the three topics of INTERFACE.md exist. Missing ones are created
// with `partitions` (0: the count of the existing ones, or `default_partitions`
// when none exists). Fails when an existing topic has another count than
// `partitions` (if given) or when ledger.inbound and ledger.events differ.
// Returns the partition count.
std::variant<uint32_t, std::string> EnsureTopics(const ClusterOptions& cluster, uint32_t partitions,
                                                 uint32_t default_partitions);

// The high watermark of one partition; retries while the partition has no
// leader yet (right after its topic was created, or during a broker restart).
std::variant<int64_t, std::string> QueryEnd(rd_kafka_t* rk, const std::string& topic,
                                            uint32_t partition);

// "what: <librdkafka's message>"; destroys nothing.
std::string Describe(const char* what, const rd_kafka_error_t* error);
std::string Describe(const char* what, rd_kafka_resp_err_t error);

// The value of header `name` of `message`, or nullopt.
std::optional<std::string_view> HeaderValue(const rd_kafka_message_t* message, const char* name);

}  // namespace mkt::kafka
