#include "tests/cli/process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace mkt::test {

// Paths are compiled in (tests/CMakeLists.txt) so test discovery sees them too.
std::string LedgerBinary() { return LEDGER_BIN; }
std::string ScenarioDir() { return SCENARIO_DIR; }

ScratchDir::ScratchDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "ledger-cli-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

ScratchDir::~ScratchDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
}

int SpawnProcess(const std::vector<std::string>& argv, const std::string& input_path,
                 const std::string& out_dir) {
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid > 0) return pid;
  const int in = open(input_path.c_str(), O_RDONLY);
  const int out = open((out_dir + "/stdout").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  const int err = open((out_dir + "/stderr").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (in < 0 || out < 0 || err < 0) _exit(126);
  dup2(in, STDIN_FILENO);
  dup2(out, STDOUT_FILENO);
  dup2(err, STDERR_FILENO);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  execv(args[0], args.data());
  _exit(127);
}

int WaitExitCode(int pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int SignalAndWait(int pid, int signal) {
  kill(pid, signal);
  return WaitExitCode(pid);
}

ProcessResult RunProcess(const std::vector<std::string>& argv, const std::string& input) {
  ScratchDir scratch;
  const std::string input_path = scratch.path() + "/stdin";
  WriteFile(input_path, input);
  const int pid = SpawnProcess(argv, input_path, scratch.path());
  ProcessResult result;
  result.exit_code = WaitExitCode(pid);
  result.out = ReadFile(scratch.path() + "/stdout");
  result.err = ReadFile(scratch.path() + "/stderr");
  return result;
}

}  // namespace mkt::test
