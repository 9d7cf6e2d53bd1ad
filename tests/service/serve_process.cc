#include "tests/service/serve_process.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <sstream>
#include <thread>

#include "ledger/hash.h"

namespace mkt::test {

std::string Sha256Hex(const std::string& text) { return ToHex(Sha256(text)); }

std::string TokensFile(const std::map<std::string, std::string>& tokens) {
  std::string file = "# sha256(token) role\n";
  for (const auto& [token, role] : tokens) file += Sha256Hex(token) + " " + role + "\n";
  return file;
}

ServeProcess::ServeProcess(const std::string& data_dir, std::vector<std::string> global_args,
                           std::vector<std::string> serve_args) {
  tokens_path_ = scratch_.path() + "/tokens";
  WriteFile(tokens_path_, TokensFile(kTokens));
  WriteFile(scratch_.path() + "/stdin", "");
  std::vector<std::string> argv = {LedgerBinary(), "--data", data_dir};
  argv.insert(argv.end(), global_args.begin(), global_args.end());
  for (const char* a : {"serve", "--http", "127.0.0.1:0", "--metrics", "127.0.0.1:0", "--tokens"}) argv.push_back(a);
  argv.push_back(tokens_path_);
  argv.insert(argv.end(), serve_args.begin(), serve_args.end());
  pid_ = SpawnProcess(argv, scratch_.path() + "/stdin", scratch_.path());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    const std::string out = ReadFile(scratch_.path() + "/stdout");
    const size_t eol = out.find('\n');
    if (eol != std::string::npos) {
      const auto line = nlohmann::json::parse(out.substr(0, eol));
      const std::string http = line["serving"]["http"], metrics = line["serving"]["metrics"];
      http_port_ = std::stoi(http.substr(http.rfind(':') + 1));
      metrics_port_ = std::stoi(metrics.substr(metrics.rfind(':') + 1));
      return;
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      ADD_FAILURE() << "serve exited before listening: " << ReadFile(scratch_.path() + "/stderr");
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ADD_FAILURE() << "serve printed no address in 30 s: " << stderr_text();
}

ServeProcess::~ServeProcess() {
  if (pid_ > 0) SignalAndWait(pid_, SIGKILL);
}

void ServeProcess::Signal(int signal) {
  if (pid_ > 0) kill(pid_, signal);
}

int ServeProcess::Stop() {
  if (pid_ <= 0) return -1;
  const int code = SignalAndWait(pid_, SIGTERM);
  pid_ = -1;
  return code;
}

std::string ServeProcess::stderr_text() const { return ReadFile(scratch_.path() + "/stderr"); }

std::unique_ptr<httplib::Client> ServeProcess::Client(const std::string& token) const {
  auto client = std::make_unique<httplib::Client>("127.0.0.1", http_port_);
  client->set_read_timeout(60, 0);
  if (!token.empty()) client->set_bearer_token_auth(token);
  return client;
}

namespace {

HttpReply ToReply(const httplib::Result& result, const std::string& what) {
  HttpReply reply;
  if (!result) {
    ADD_FAILURE() << what << ": transport error " << httplib::to_string(result.error());
    return reply;
  }
  reply.status = result->status;
  reply.text = result->body;
  reply.body = nlohmann::json::parse(result->body, nullptr, /*allow_exceptions=*/false);
  if (reply.body.is_discarded()) reply.body = result->body;
  return reply;
}

}  // namespace

HttpReply Get(httplib::Client& client, const std::string& path) { return ToReply(client.Get(path), "GET " + path); }

HttpReply Post(httplib::Client& client, const std::string& path, const std::string& body) {
  return ToReply(client.Post(path, body, "application/x-ndjson"), "POST " + path);
}

}  // namespace mkt::test
