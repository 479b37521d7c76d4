#include "actorpool/detail/acquirable.hpp"

#include <unordered_map>

#include "services/sync/acquire_protocol.hpp"

namespace actorpool::detail {

namespace {

/// The services this thread acquired and has not released, with how many
/// times (an rlock's depth, a semaphore's units).
thread_local std::unordered_map<uint64_t, uint64_t> held;

/// Whether this thread holds service `id`; forgets one hold if so.
bool take_hold(uint64_t id) {
  auto i = held.find(id);
  if (i == held.end())
    return false;
  if (--i->second == 0)
    held.erase(i);
  return true;
}

} // namespace

acquirable::acquirable(lazy_service svc) noexcept : svc_(std::move(svc)) {
  // nop
}

// A thread giving back what it acquired does not wait for the service (the
// release is ordered before the thread's next call). Any other release waits
// for the service's verdict.
void acquirable::release() {
  auto id = svc_.id();
  if (take_hold(id))
    cast_service(id, op_code(acquire_op::release), {});
  else
    call_op(svc_, acquire_op::release);
}

bool acquirable::acquire_ns(int64_t timeout_ns) {
  auto st = call_op_as<uint8_t>(svc_, acquire_op::acquire, timeout_ns);
  if (st == not_acquired)
    return false;
  died_.set(st == acquired_owner_died);
  ++held[svc_.id()];
  return true;
}

} // namespace actorpool::detail
