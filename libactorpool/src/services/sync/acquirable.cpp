#include "actorpool/detail/acquirable.hpp"

#include "services/sync/acquire_protocol.hpp"

namespace actorpool::detail {

acquirable::acquirable(lazy_service svc) noexcept : svc_(std::move(svc)) {
  // nop
}

void acquirable::release() {
  call_op(svc_, acquire_op::release);
}

bool acquirable::acquire_ns(int64_t timeout_ns) {
  auto st = call_op_as<uint8_t>(svc_, acquire_op::acquire, timeout_ns);
  if (st == not_acquired)
    return false;
  died_.set(st == acquired_owner_died);
  return true;
}

} // namespace actorpool::detail
