#include "bench/bench_support.h"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "ledger/limits.h"
#include "ledger/policy.h"

namespace mkt::bench {
namespace {

Micros WallClockMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

void Die(std::string_view message) {
  std::cerr << "bench: " << message << std::endl;
  std::exit(1);
}

TempDir::TempDir(std::string_view prefix) {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/" +
                        std::string(prefix) + ".XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) Die("cannot create a directory like " + pattern);
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;  // best effort: a leftover directory is not worth a crash
  std::filesystem::remove_all(path_, ignored);
}

std::vector<std::string> GenerateLines(const gen::GenOptions& options) {
  std::ostringstream out;
  gen::Generate(options, out);
  std::istringstream in(std::move(out).str());
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(std::move(line));
  return lines;
}

std::unique_ptr<Store> OpenStore(const std::string& dir) {
  auto store = Store::Open(dir, Projections::Families());
  if (auto* error = std::get_if<std::string>(&store)) Die(*error);
  return std::move(std::get<std::unique_ptr<Store>>(store));
}

std::unique_ptr<LedgerStack> OpenLedgerStack(const std::string& dir, ReadModels read_models) {
  auto policy = LoadPolicy("");  // the embedded defaults, as without --policy
  if (auto* error = std::get_if<std::string>(&policy)) Die(*error);
  auto stack = LedgerStack::Open({.dir = dir,
                                  .policy = std::get<Policy>(policy),
                                  .clock = WallClockMicros,
                                  .attach_read_models = read_models == ReadModels::kLikeCli});
  if (auto* error = std::get_if<StackError>(&stack)) Die(error->message);
  return std::move(std::get<std::unique_ptr<LedgerStack>>(stack));
}

}  // namespace mkt::bench
