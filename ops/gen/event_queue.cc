// EventQueue: see gen_internal.h.
#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "ledger/assert.h"
#include "ops/gen/gen_internal.h"

namespace mkt::gen::detail {

namespace {

// Floor division: the catalogue's hours before 1970 never occur (years 1971..9989), but the
// bucket of a time must not depend on the sign convention of `/`.
int64_t HourOf(int64_t at_s) {
  return at_s >= 0 ? at_s / kSecondsPerHour : (at_s + 1) / kSecondsPerHour - 1;
}

}  // namespace

void EventQueue::Push(const Event& e) {
  const int64_t hour = HourOf(e.at_s);
  if (hour <= current_hour_) {
    current_.push_back(e);
    std::push_heap(current_.begin(), current_.end(), LaterFirst());
    return;
  }
  later_[hour].push_back(e);
}

const Event& EventQueue::Top() {
  if (current_.empty()) Advance();
  return current_.front();
}

void EventQueue::Pop() {
  MKT_ASSERT(!current_.empty(), "Pop without Top");
  std::pop_heap(current_.begin(), current_.end(), LaterFirst());
  current_.pop_back();
}

// The earliest later hour becomes the current one. Every event in it is later than every
// event written so far, so the heap of that hour alone yields the global minimum.
void EventQueue::Advance() {
  MKT_ASSERT(!later_.empty(), "Top of an empty queue");
  auto first = later_.begin();
  current_hour_ = first->first;
  current_ = std::move(first->second);
  later_.erase(first);
  std::make_heap(current_.begin(), current_.end(), LaterFirst());
}

}  // namespace mkt::gen::detail
