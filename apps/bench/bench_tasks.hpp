#pragma once

#include <cstdint>
#include <string>

namespace bench {

/// The tiny task of the call-overhead workloads: returns `2 * x`.
int64_t twice(int64_t x);

/// The task of `payload_1mib`: returns the size of its argument.
uint64_t payload_size(const std::string& data);

/// The task of `long_short_mix`: sleeps `ms` milliseconds, returns `ms`.
int64_t sleep_ms(int64_t ms);

} // namespace bench
