#include "actorpool/rlock.hpp"

#include <caf/actor_system.hpp>

#include "internal/lock_service.hpp"

namespace actorpool {

// The service is the one behind `lock` (lock.cpp), spawned reentrant.

rlock::rlock()
  : ref_(std::make_shared<detail::lazy_primitive>(
    [](caf::actor_system& sys) { return detail::spawn_rlock_service(sys); })) {
  // nop
}

bool rlock::acquire_ns(int64_t timeout_ns) {
  auto st = ref_.call_as<uint8_t>(detail::mutex_acquire, timeout_ns);
  if (st == detail::not_acquired)
    return false;
  died_.set(st == detail::acquired_owner_died);
  return true;
}

void rlock::release() {
  ref_.call(detail::mutex_release);
}

} // namespace actorpool
