// Always-on invariant checks (TigerBeetle's assertions, Redpanda's vassert).
// A failed MKT_ASSERT is a programmer error: it prints where and why, then
// aborts rather than let a wrong amount reach disk. Never use it on user input.
#pragma once

#include <cstdlib>
#include <iostream>
#include <sstream>

namespace mkt::detail {

template <typename... Args>
[[noreturn]] void AssertFail(const char* expr, const char* file, int line, const Args&... args) {
  std::ostringstream message;
  ((message << args), ...);
  std::cerr << "ledger: invariant broken at " << file << ":" << line << ": (" << expr << ") "
            << message.str() << std::endl;
  std::abort();
}

}  // namespace mkt::detail

#define MKT_ASSERT(cond, ...)                                                     \
  do {                                                                            \
    if (!(cond)) [[unlikely]] {                                                   \
      ::mkt::detail::AssertFail(#cond, __FILE__, __LINE__ __VA_OPT__(, ) __VA_ARGS__); \
    }                                                                             \
  } while (0)
