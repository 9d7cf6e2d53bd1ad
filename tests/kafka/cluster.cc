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
  char errstr[256];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap_.c_str(), errstr, sizeof(errstr));
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
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
  kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void ServeProcess::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
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
