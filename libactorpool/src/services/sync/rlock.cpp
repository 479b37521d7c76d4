#include "actorpool/rlock.hpp"

#include "services/sync/lock_service.hpp"

namespace actorpool {

// The service is the one behind `lock` (lock.cpp), spawned reentrant.

rlock::rlock() : acquirable(detail::lazy_service{detail::spawn_rlock_service}) {
  // nop
}

} // namespace actorpool
