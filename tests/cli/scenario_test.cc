// Runs every tests/scenarios/*.scenario file against the real `ledger` binary.
//
// Format (adding a case is adding a file):
//   # one-line description                      (first line)
//   now 2026-10-05T00:00:00+08:00               (the --now of later commands)
//   ingest                                      (NDJSON input lines follow)
//   {"type":...}
//   ----                                        (expected stdout lines follow,
//   {"summary":...}                              each compared as parsed JSON)
//   exit 3                                      (expected exit code, default 0)
//   run orders --seller s1                      (any other command; no input)
//   ----
//   {...}
// Blocks are separated by blank lines; all commands share one data directory.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/cli/process.h"

namespace mkt::test {
namespace {

struct Step {
  std::vector<std::string> args;
  std::string input;
  std::vector<std::string> expected;
  int exit_code = 0;
  int line = 0;
};

std::vector<std::string> Split(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

std::vector<Step> Parse(const std::string& path, std::string* now) {
  std::ifstream in(path);
  std::vector<Step> steps;
  std::string line;
  int line_no = 0;
  enum { kIdle, kInput, kExpect } mode = kIdle;
  while (std::getline(in, line)) {
    ++line_no;
    if (mode == kIdle && (line.empty() || line[0] == '#')) continue;
    if (line.empty()) {
      mode = kIdle;
      continue;
    }
    if (mode == kIdle && line.rfind("now ", 0) == 0) {
      *now = line.substr(4);
      continue;
    }
    if (mode == kIdle) {
      Step step;
      step.line = line_no;
      const auto words = Split(line);
      if (words[0] == "ingest") {
        step.args = {"ingest", "-"};
        mode = kInput;
      } else {
        EXPECT_EQ(words[0], "run") << path << ":" << line_no;
        step.args.assign(words.begin() + 1, words.end());
        mode = kExpect;
      }
      step.args.insert(step.args.begin(), "--now=" + *now);
      steps.push_back(step);
      continue;
    }
    if (line == "----") {
      mode = kExpect;
      continue;
    }
    if (line.rfind("exit ", 0) == 0) {
      steps.back().exit_code = std::stoi(line.substr(5));
      continue;
    }
    if (mode == kInput) {
      steps.back().input += line + "\n";
    } else {
      steps.back().expected.push_back(line);
    }
  }
  return steps;
}

class Scenario : public ::testing::TestWithParam<std::string> {};

TEST_P(Scenario, ProducesTheExpectedOutput) {
  const std::string path = ScenarioDir() + "/" + GetParam();
  ScratchDir data;
  std::string now = "2026-11-22T00:00:00+08:00";
  const std::vector<Step> steps = Parse(path, &now);
  ASSERT_FALSE(steps.empty()) << path << " has no steps";
  for (const Step& step : steps) {
    std::vector<std::string> argv = {LedgerBinary(), "--data", data.path(), "--format", "json"};
    argv.insert(argv.end(), step.args.begin(), step.args.end());
    const ProcessResult r = RunProcess(argv, step.input);
    SCOPED_TRACE(GetParam() + ":" + std::to_string(step.line) + "\nstdout:\n" + r.out +
                 "stderr:\n" + r.err);
    EXPECT_EQ(r.exit_code, step.exit_code);
    std::istringstream out(r.out);
    std::vector<std::string> actual;
    for (std::string l; std::getline(out, l);) actual.push_back(l);
    ASSERT_EQ(actual.size(), step.expected.size());
    for (size_t i = 0; i < actual.size(); ++i) {
      EXPECT_EQ(nlohmann::json::parse(actual[i]), nlohmann::json::parse(step.expected[i]))
          << "output line " << i + 1;
    }
  }
}

std::vector<std::string> ScenarioFiles() {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(ScenarioDir())) {
    if (entry.path().extension() == ".scenario") files.push_back(entry.path().filename());
  }
  std::sort(files.begin(), files.end());
  return files;
}

INSTANTIATE_TEST_SUITE_P(Files, Scenario, ::testing::ValuesIn(ScenarioFiles()),
                         [](const auto& info) {
                           std::string name = info.param.substr(0, info.param.find('.'));
                           for (char& c : name) {
                             if (!isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace mkt::test
