// Runs the real `ledger` binary as a user would, for the CLI-level tests.
#pragma once

#include <string>
#include <vector>

namespace mkt::test {

struct ProcessResult {
  int exit_code = -1;  // or 128 + signal
  std::string out;
  std::string err;
};

// The binary under test and the scenario folder.
std::string LedgerBinary();
std::string ScenarioDir();

// Runs `program args...` with `input` on stdin; waits for it to finish.
ProcessResult RunProcess(const std::vector<std::string>& argv, const std::string& input = "");

// Starts `argv` in the background with stdin from `input_path` and stdout/stderr
// to files under `out_dir`; returns the pid.
int SpawnProcess(const std::vector<std::string>& argv, const std::string& input_path,
                 const std::string& out_dir);

// Waits for `pid` to end; its exit code, or 128 + the signal that ended it.
int WaitExitCode(int pid);
// Sends `signal` to `pid`, then WaitExitCode.
int SignalAndWait(int pid, int signal);

// A fresh temporary directory removed on destruction.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& content);

}  // namespace mkt::test
