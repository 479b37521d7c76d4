#include "actorpool/detail/acquirable.hpp"

#include "services/sync/acquire_protocol.hpp"

namespace actorpool::detail {

acquirable::acquirable(lazy_service svc) noexcept : svc_(std::move(svc)) {
  // nop
}

void acquirable::release() {
  svc_.call(op_release);
}

bool acquirable::acquire_ns(int64_t timeout_ns) {
  auto st = svc_.call_as<uint8_t>(op_acquire, timeout_ns);
  if (st == not_acquired)
    return false;
  died_.set(st == acquired_owner_died);
  return true;
}

} // namespace actorpool::detail
