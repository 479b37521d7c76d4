#pragma once

// The operations the lock, rlock and semaphore services share, so that one
// handle type (`acquirable`) serves them all.

#include <cstdint>

#include "services/service_protocol.hpp"

namespace actorpool::detail {

/// Operations (arguments -> reply; request format: services/README.md):
enum class acquire_op : service_op {
  /// int64 timeout (`wait_forever`, 0 try) -> uint8 `acquire_status`.
  acquire = 1,
  /// () -> ().
  release = 2,
};

/// What an `op_acquire` answers: one byte.
enum acquire_status : uint8_t {
  /// Not acquired: non-blocking call or timeout.
  not_acquired = 0,
  acquired = 1,
  /// Acquired, taking over what a process that died held.
  acquired_owner_died = 2,
};

} // namespace actorpool::detail
