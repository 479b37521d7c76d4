#pragma once

#include <cstdint>
#include <string>

namespace bench {

/// The tiny task of the call-overhead workloads: returns `2 * x`.
int64_t twice(int64_t x);

/// The task of `payload_1mib`: returns the size of its argument.
uint64_t payload_size(const std::string& data);

} // namespace bench
