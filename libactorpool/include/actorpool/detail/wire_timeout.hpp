#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

namespace actorpool::detail {

/// Every service call that may wait takes its timeout as an int64 count of
/// nanoseconds (services/README.md): 0 means "do not wait", and this one
/// "wait forever".
constexpr int64_t wait_forever = -1;

/// A timeout as the services take it: nanoseconds, negative ones clamped to
/// 0 (like Python's multiprocessing), very long ones (from about 31 years)
/// meaning "forever" (`wait_forever`).
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

/// An optional timeout (Python: `None` or a number): `wait_forever` without
/// one, else `wire_timeout(*timeout)`.
template <class Rep, class Period>
int64_t
wire_timeout(const std::optional<std::chrono::duration<Rep, Period>>& timeout) {
  return timeout ? wire_timeout(*timeout) : wait_forever;
}

} // namespace actorpool::detail
