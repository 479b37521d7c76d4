#pragma once

// Callers and timeouts of the tests of the synchronisation and shared-state
// services, whose timeouts travel as nanoseconds.

#include <chrono>
#include <cstdint>
#include <string>

#include "unit/service_test_support.hpp"

namespace actorpool::test {

/// Four callers, each a thread of a process of its own.
inline const client_id a{100, 1};
inline const client_id b{200, 1};
inline const client_id c{300, 1};
inline const client_id d{400, 1};

/// The payload of a wait of at most `x`.
inline std::string timeout(std::chrono::milliseconds x) {
  return encode(static_cast<int64_t>(
    std::chrono::duration_cast<std::chrono::nanoseconds>(x).count()));
}

/// The payloads of a wait without limit and of no wait at all.
inline const std::string forever = encode(int64_t{-1});
inline const std::string no_wait = encode(int64_t{0});

} // namespace actorpool::test
