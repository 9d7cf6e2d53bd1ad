// `ledger --kafka B ingest [FILE|-]`: each NDJSON line is decoded as the embedded
// ingest decodes it; a line that does not decode is reported at once, the others
// are produced to ledger.inbound (key = seller_id, partition = PartitionOf) with
// a reply header "RUN/LINE". The validator answers every record: the event in
// ledger.events or a rejection (or duplicate) in ledger.rejected, both carrying
// the header. Ingest reads both topics (read_committed) from where they ended
// before it produced, until every line has its answer, then prints the report
// of the embedded ingest: rejections in line order, then the summary.
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>

#include "ledger/hash.h"
#include "ledger/kafka_log.h"
#include "ledger/limits.h"
#include "ops/cli/commands.h"
#include "ops/cli/kafka_cluster.h"

namespace mkt::cli {
namespace {

struct Answer {
  bool answered = false;
  std::string event_id;
  std::string code;  // empty: accepted or duplicate
  std::string message;
};

struct Totals {
  uint64_t accepted = 0, duplicate = 0, rejected = 0;
  uint64_t sent = 0, answered = 0;
};

std::string NewRunId() {
  std::random_device random;
  const Hash digest = Sha256(std::to_string(random()) + std::to_string(random()));
  return ToHex(std::span<const uint8_t>(digest.data(), 8));
}

// Consumer of the two answer topics, from their ends as of now.
std::variant<kafka::Handle, std::string> OpenAnswers(const kafka::ClusterOptions& cluster,
                                                    uint32_t partitions, const std::string& run) {
  auto consumer = kafka::NewClient(RD_KAFKA_CONSUMER, cluster,
                                   {{"group.id", cluster.Name("ledger.ingest." + run)},  // assign only
                                    {"isolation.level", "read_committed"},
                                    {"enable.auto.commit", "false"},
                                    {"auto.offset.reset", "error"},
                                    {"fetch.wait.max.ms", "10"}});
  if (auto* error = std::get_if<std::string>(&consumer)) return *error;
  rd_kafka_t* rk = std::get<kafka::Handle>(consumer).get();
  kafka::PartitionList list(rd_kafka_topic_partition_list_new(static_cast<int>(2 * partitions)));
  for (const std::string& topic : {cluster.events(), cluster.rejected()}) {
    for (uint32_t p = 0; p < partitions; ++p) {
      auto end = kafka::QueryEnd(rk, topic, p);
      if (auto* error = std::get_if<std::string>(&end)) return *error;
      rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), static_cast<int32_t>(p))->offset =
          std::get<int64_t>(end);
    }
  }
  if (rd_kafka_resp_err_t err = rd_kafka_assign(rk, list.get())) return kafka::Describe("assign", err);
  return consumer;
}

// Takes one answer; an answer for a line already answered breaks exactly-once.
std::optional<std::string> TakeAnswer(const rd_kafka_message_t& m, const std::string& events_topic,
                                      const std::string& run, std::vector<Answer>* answers,
                                      Totals* t) {
  if (m.err != RD_KAFKA_RESP_ERR_NO_ERROR) return std::string("reading answers: ") + rd_kafka_message_errstr(&m);
  const auto reply = kafka::HeaderValue(&m, kReplyHeader);
  if (!reply || !reply->starts_with(run + "/")) return std::nullopt;  // another sender's
  const uint64_t line = std::stoull(std::string(reply->substr(run.size() + 1)));
  if (line >= answers->size() || (*answers)[line].answered) {
    return "line " + std::to_string(line) + " was answered twice: an event was decided twice";
  }
  Answer& answer = (*answers)[line];
  answer.answered = true;
  ++t->answered;
  if (rd_kafka_topic_name(m.rkt) == events_topic) {
    ++t->accepted;
    return std::nullopt;
  }
  const auto j = nlohmann::json::parse(std::string_view(static_cast<const char*>(m.payload), m.len),
                                       nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.contains("outcome")) return "ledger.rejected holds a record that is not JSON";
  if (j["outcome"] == "duplicate") {
    ++t->duplicate;
    return std::nullopt;
  }
  ++t->rejected;
  answer.event_id = j["event_id"].is_string() ? j["event_id"].get<std::string>() : "";
  answer.code = j["code"].is_string() ? j["code"].get<std::string>() : "";
  answer.message = j["message"].is_string() ? j["message"].get<std::string>() : "";
  return std::nullopt;
}

// Polls answers until every sent line has one; gives up after a quiet spell.
std::optional<std::string> AwaitAnswers(rd_kafka_t* consumer, const kafka::ClusterOptions& cluster,
                                        const std::string& run, std::vector<Answer>* answers,
                                        Totals* t) {
  int quiet_ms = 0;
  while (t->answered < t->sent) {
    kafka::Message m{rd_kafka_consumer_poll(consumer, limits::kKafkaPollMs)};
    if (!m) {
      quiet_ms += limits::kKafkaPollMs;
      if (quiet_ms >= limits::kKafkaOutcomeWaitMs) {
        return std::to_string(t->sent - t->answered) + " of " + std::to_string(t->sent) +
               " events have no answer after " + std::to_string(limits::kKafkaOutcomeWaitMs / 1000) +
               " s: is `ledger serve --kafka " + cluster.bootstrap + "` running?";
      }
      continue;
    }
    quiet_ms = 0;
    if (auto error = TakeAnswer(*m, cluster.events(), run, answers, t)) return error;
  }
  return std::nullopt;
}

struct DeliveryErrors {
  uint64_t failed = 0;
  std::string first;
};

std::variant<kafka::Handle, std::string> NewInboundProducer(const kafka::ClusterOptions& cluster,
                                                            DeliveryErrors* delivery) {
  return kafka::NewClient(
      RD_KAFKA_PRODUCER, cluster,
      {{"enable.idempotence", "true"},  // set explicitly: a retried send is never doubled
       {"acks", "all"},                 // forced by idempotence; said here out loud
       {"linger.ms", "5"}},
      delivery, [](rd_kafka_conf_t* conf) {
        rd_kafka_conf_set_dr_msg_cb(conf, [](rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
          auto* d = static_cast<DeliveryErrors*>(opaque);
          if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) return;
          if (d->failed++ == 0) d->first = rd_kafka_err2str(m->err);
        });
      });
}

std::optional<std::string> Produce(rd_kafka_t* producer, const kafka::ClusterOptions& cluster,
                                   int32_t partition, const DecodedEvent& event,
                                   const std::string& reply) {
  const std::string topic = cluster.inbound();
  for (;;) {
    const rd_kafka_resp_err_t err = rd_kafka_producev(
        producer, RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(partition),
        RD_KAFKA_V_KEY(event.seller_id().data(), event.seller_id().size()),
        RD_KAFKA_V_VALUE(const_cast<char*>(event.bytes().data()), event.bytes().size()),
        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
        RD_KAFKA_V_HEADER(kReplyHeader, reply.data(), static_cast<ssize_t>(reply.size())),
        RD_KAFKA_V_END);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return std::nullopt;
    if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) return kafka::Describe("produce", err);
    rd_kafka_poll(producer, limits::kKafkaPollMs);  // the queue is bounded: wait for deliveries
  }
}

}  // namespace

int RunKafkaIngest(Context& ctx, const std::string& path) {
  std::ifstream file;
  std::istream* in = &std::cin;
  if (!path.empty() && path != "-") {
    file.open(path, std::ios::binary);
    if (!file) return Fail({kExitFatal, "cannot read " + path});
    in = &file;
  }
  const kafka::ClusterOptions cluster = ClusterOf(ctx);
  auto partitions = kafka::EnsureTopics(cluster, ctx.options().partitions, limits::kPartitionsDefault);
  if (auto* error = std::get_if<std::string>(&partitions)) return Fail({kExitFatal, *error});
  const uint32_t n = std::get<uint32_t>(partitions);
  const std::string run = NewRunId();
  auto answers_consumer = OpenAnswers(cluster, n, run);
  if (auto* error = std::get_if<std::string>(&answers_consumer)) return Fail({kExitFatal, *error});
  rd_kafka_t* answers_rk = std::get<kafka::Handle>(answers_consumer).get();
  DeliveryErrors delivery;
  auto producer = NewInboundProducer(cluster, &delivery);
  if (auto* error = std::get_if<std::string>(&producer)) return Fail({kExitFatal, *error});
  rd_kafka_t* producer_rk = std::get<kafka::Handle>(producer).get();

  JsonDecoder decoder;
  Totals totals;
  std::vector<Answer> answers(1);  // indexed by line number; line 0 does not exist
  std::string line;
  uint64_t line_no = 0;
  while (std::getline(*in, line)) {
    ++line_no;
    answers.emplace_back();
    if (line.find_first_not_of(" \t\r") == std::string::npos) {  // blank line
      answers[line_no].answered = true;
      continue;
    }
    DecodeResult decoded = decoder.Decode(line);
    if (!decoded.event) {
      answers[line_no] = Answer{true, decoded.event_id, std::string(CodeName(decoded.rejection->code)),
                                decoded.rejection->message};
      ++totals.rejected;
      continue;
    }
    const int32_t partition = static_cast<int32_t>(PartitionOf(decoded.event->seller_id(), n));
    if (auto error = Produce(producer_rk, cluster, partition, *decoded.event, run + "/" + std::to_string(line_no))) {
      return Fail({kExitFatal, *error});
    }
    ++totals.sent;
    rd_kafka_poll(producer_rk, 0);  // serve delivery reports
  }
  if (in->bad()) return Fail({kExitFatal, "read error on " + (path.empty() ? "stdin" : path)});
  if (rd_kafka_resp_err_t err = rd_kafka_flush(producer_rk, limits::kKafkaRequestTimeoutMs)) {
    return Fail({kExitFatal, kafka::Describe("flush", err)});
  }
  if (delivery.failed > 0) {
    return Fail({kExitFatal, std::to_string(delivery.failed) + " events were not delivered to " +
                                 cluster.inbound() + " (" + delivery.first + ")"});
  }
  if (auto error = AwaitAnswers(answers_rk, cluster, run, &answers, &totals)) {
    return Fail({kExitFatal, *error});
  }
  for (uint64_t i = 1; i < answers.size(); ++i) {
    if (!answers[i].code.empty()) PrintRejection(ctx, i, answers[i].event_id, answers[i].code, answers[i].message);
  }
  PrintIngestSummary(ctx, totals.accepted, totals.duplicate, totals.rejected);
  return totals.rejected > 0 ? kExitRejected : kExitOk;
}

}  // namespace mkt::cli
