#pragma once

#include <chrono>
#include <cstdint>

namespace actorpool::detail {

/// Timeouts of the synchronisation services travel as nanoseconds; this one
/// means "wait forever".
constexpr int64_t wait_forever = -1;

/// A timeout as the synchronisation services take it: nanoseconds, negative
/// ones clamped to 0 (like Python's multiprocessing), very long ones meaning
/// "forever" (`wait_forever`).
template <class Rep, class Period>
int64_t wire_timeout(std::chrono::duration<Rep, Period> d) {
  using ns = std::chrono::duration<double, std::nano>;
  auto x = std::chrono::duration_cast<ns>(d).count();
  if (!(x > 0)) // also NaN
    return 0;
  if (x >= 1e18) // ~31 years
    return wait_forever;
  return static_cast<int64_t>(x);
}

} // namespace actorpool::detail
