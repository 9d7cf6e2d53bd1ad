#include "tests/kafka/cluster.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "librdkafka/rdkafka.h"

namespace mkt::test {

rd_kafka_t* NewClient(rd_kafka_type_t type, const std::string& bootstrap,
                      const std::vector<std::pair<std::string, std::string>>& config);

void KafkaTest::SetUp() {
  const char* bootstrap = std::getenv("LEDGER_TEST_KAFKA");
  ASSERT_TRUE(bootstrap != nullptr && *bootstrap != '\0')
      << "LEDGER_TEST_KAFKA is not set: the Kafka tests need a broker. Run ops/test.sh (it starts "
         "one), or ops/kafka/kafka.sh start and export LEDGER_TEST_KAFKA=127.0.0.1:9092";
  bootstrap_ = bootstrap;
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  prefix_ = "t" + std::to_string(getpid()) + "-" + info->name() + ".";
}

std::vector<std::string> KafkaTest::Ledger(std::vector<std::string> args) const {
  std::vector<std::string> argv = {LedgerBinary(), "--kafka", bootstrap_, "--kafka-prefix", prefix_,
                                   "--now", kQuietNow};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

int64_t KafkaTest::EventsEnd() const {
  rd_kafka_t* rk = NewClient(RD_KAFKA_PRODUCER, bootstrap_, {});
  if (rk == nullptr) return 0;
  const std::string topic = prefix_ + "ledger.events";
  int64_t total = 0;
  for (int32_t p = 0;; ++p) {
    int64_t low = 0, high = 0;
    if (rd_kafka_query_watermark_offsets(rk, topic.c_str(), p, &low, &high, 5000) !=
        RD_KAFKA_RESP_ERR_NO_ERROR) {
      break;  // past the last partition, or no topic yet
    }
    total += high;
  }
  rd_kafka_destroy(rk);
  return total;
}

rd_kafka_t* NewClient(rd_kafka_type_t type, const std::string& bootstrap,
                      const std::vector<std::pair<std::string, std::string>>& config) {
  char errstr[256];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap.c_str(), errstr, sizeof(errstr));
  for (const auto& [key, value] : config) {
    EXPECT_EQ(rd_kafka_conf_set(conf, key.c_str(), value.c_str(), errstr, sizeof(errstr)),
              RD_KAFKA_CONF_OK) << errstr;
  }
  return rd_kafka_new(type, conf, errstr, sizeof(errstr));
}

bool KafkaTest::TopicReady(const std::string& name) const {
  rd_kafka_t* rk = NewClient(RD_KAFKA_PRODUCER, bootstrap_, {});
  int64_t low = 0, high = 0;
  const bool ready = rd_kafka_query_watermark_offsets(rk, (prefix_ + name).c_str(), 0, &low, &high,
                                                      5000) == RD_KAFKA_RESP_ERR_NO_ERROR;
  rd_kafka_destroy(rk);
  return ready;
}

bool KafkaTest::ProduceInbound(const std::vector<std::string>& values) const {
  rd_kafka_t* rk = NewClient(RD_KAFKA_PRODUCER, bootstrap_, {{"enable.idempotence", "true"}});
  const std::string topic = prefix_ + "ledger.inbound";
  bool ok = true;
  for (const std::string& value : values) {
    ok = ok && rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(0),
                                 RD_KAFKA_V_KEY("s0001", 5),
                                 RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
                                 RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                 RD_KAFKA_V_END) == RD_KAFKA_RESP_ERR_NO_ERROR;
  }
  ok = ok && rd_kafka_flush(rk, 30'000) == RD_KAFKA_RESP_ERR_NO_ERROR &&
       rd_kafka_outq_len(rk) == 0;
  rd_kafka_destroy(rk);
  return ok;
}

std::vector<std::string> KafkaTest::ReadRejected(size_t count) const {
  rd_kafka_t* rk = NewClient(RD_KAFKA_CONSUMER, bootstrap_,
                             {{"group.id", prefix_ + "test.reader"},
                              {"isolation.level", "read_committed"},
                              {"enable.auto.commit", "false"}});
  const std::string topic = prefix_ + "ledger.rejected";
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(4);
  for (int32_t p = 0; p < 4; ++p) {
    rd_kafka_topic_partition_list_add(list, topic.c_str(), p)->offset = RD_KAFKA_OFFSET_BEGINNING;
  }
  rd_kafka_assign(rk, list);
  rd_kafka_topic_partition_list_destroy(list);
  std::vector<std::string> values;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (values.size() < count && std::chrono::steady_clock::now() < deadline) {
    rd_kafka_message_t* m = rd_kafka_consumer_poll(rk, 100);
    if (m == nullptr) continue;
    if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      values.emplace_back(static_cast<const char*>(m->payload), m->len);
    }
    rd_kafka_message_destroy(m);
  }
  rd_kafka_consumer_close(rk);
  rd_kafka_destroy(rk);
  return values;
}

ServeProcess::ServeProcess(std::vector<std::string> argv, std::string out_dir)
    : argv_(std::move(argv)), out_dir_(std::move(out_dir)) {
  std::filesystem::create_directories(out_dir_);
  pid_ = SpawnProcess(argv_, "/dev/null", out_dir_);
}

ServeProcess::~ServeProcess() {
  if (pid_ > 0) Stop();
}

int ServeProcess::Stop() {
  if (pid_ <= 0) return -1;
  const int code = SignalAndWait(pid_, SIGTERM);
  pid_ = -1;
  return code;
}

void ServeProcess::Kill() {
  if (pid_ <= 0) return;
  SignalAndWait(pid_, SIGKILL);
  pid_ = -1;
}

bool ServeProcess::Running() {
  if (pid_ <= 0) return false;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == 0) return true;
  pid_ = -1;
  return false;
}

std::string ServeProcess::Stderr() const { return ReadFile(out_dir_ + "/stderr"); }

bool WaitFor(const std::function<bool()>& done, int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

nlohmann::json LastJsonLine(const std::string& out) {
  const size_t end = out.find_last_not_of('\n');
  if (end == std::string::npos) return nullptr;
  const size_t start = out.rfind('\n', end);
  return nlohmann::json::parse(out.substr(start == std::string::npos ? 0 : start + 1, end + 1),
                               nullptr, false);
}

}  // namespace mkt::test
