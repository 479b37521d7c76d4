#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace bench {

/// The tiny task of the call-overhead workloads: returns `2 * x`.
int64_t twice(int64_t x);

/// The task of `payload_1mib`: returns the size of its argument.
uint64_t payload_size(const std::string& data);

/// The task of `long_short_mix`: sleeps `ms` milliseconds, returns `ms`.
int64_t sleep_ms(int64_t ms);

// -- what the tiny-task workloads share
// ----------------------------------------

/// Wall time of `body()` in seconds.
template <class F>
double time_it(F&& body) {
  auto start = std::chrono::steady_clock::now();
  body();
  std::chrono::duration<double> dt = std::chrono::steady_clock::now() - start;
  return dt.count();
}

/// The sum of `twice(x)` over `x` in [0, n).
inline int64_t expected_sum(size_t n) {
  auto m = static_cast<int64_t>(n);
  return m * (m - 1);
}

/// The input 0, 1, ..., n - 1 of the map workloads.
inline std::vector<int64_t> iota_input(size_t n) {
  std::vector<int64_t> xs(n);
  for (size_t i = 0; i < n; ++i)
    xs[i] = static_cast<int64_t>(i);
  return xs;
}

/// Whether `ys` holds `twice(x)` for every `x` of `xs`, in order.
inline bool in_order(const std::vector<int64_t>& xs,
                     const std::vector<int64_t>& ys) {
  if (xs.size() != ys.size())
    return false;
  for (size_t i = 0; i < xs.size(); ++i)
    if (ys[i] != twice(xs[i]))
      return false;
  return true;
}

} // namespace bench
