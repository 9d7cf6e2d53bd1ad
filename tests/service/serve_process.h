// A real `ledger serve` on loopback for the service tests: started with
// ephemeral ports, its addresses read from the line it prints, stopped with
// SIGTERM. Tokens are made here and written to a tokens file as SHA-256 hashes.
#pragma once

#include <httplib.h>

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/cli/process.h"

namespace mkt::test {

// token -> role, as the tests use them.
inline const std::map<std::string, std::string> kTokens = {
    {"tok-ingest", "ingest"},     {"tok-auditor", "auditor"}, {"tok-admin", "admin"},
    {"tok-seller-1", "seller:S1"}, {"tok-seller-2", "seller:S2"},
};

// Lower-case hex SHA-256 of `text`.
std::string Sha256Hex(const std::string& text);
// A tokens file for `tokens` (token -> role).
std::string TokensFile(const std::map<std::string, std::string>& tokens);

class ServeProcess {
 public:
  // Starts `ledger [global] serve --http 127.0.0.1:0 --metrics 127.0.0.1:0
  // --tokens FILE [serve_args]` on `data_dir`; fails the test if it does not
  // print its addresses within 30 s.
  ServeProcess(const std::string& data_dir, std::vector<std::string> global_args,
               std::vector<std::string> serve_args = {});
  ~ServeProcess();  // SIGKILL if still running

  // SIGTERM, then waits; the exit code (or 128 + signal).
  int Stop();
  void Signal(int signal);

  int http_port() const { return http_port_; }
  int metrics_port() const { return metrics_port_; }
  const std::string& tokens_path() const { return tokens_path_; }
  std::string stderr_text() const;

  // A client for the API port with `token` (none when empty).
  std::unique_ptr<httplib::Client> Client(const std::string& token = "") const;

 private:
  ScratchDir scratch_;
  std::string tokens_path_;
  int pid_ = -1;
  int http_port_ = 0;
  int metrics_port_ = 0;
};

// GET or POST through `client`; fails the test on a transport error.
struct HttpReply {
  int status = 0;
  nlohmann::json body;  // parsed JSON, or the raw text as a string
  std::string text;
};
HttpReply Get(httplib::Client& client, const std::string& path);
HttpReply Post(httplib::Client& client, const std::string& path, const std::string& body);

}  // namespace mkt::test
