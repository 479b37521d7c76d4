#include "actorpool/event.hpp"

#include <caf/actor_system.hpp>

#include "services/sync/event_service.hpp"

namespace actorpool {

namespace detail {

// -- event_state: the service -------------------------------------------------

service_result event_state::on_call(client_id c, uint8_t op,
                                    const std::string& payload) {
  switch (static_cast<event_op>(op)) {
    case event_op::set:
      set();
      return encode();
    case event_op::clear:
      flag_ = false;
      return encode();
    case event_op::is_set:
      return encode(flag_);
    case event_op::wait:
      return wait(c, decode_one<int64_t>(payload));
    case event_op::describe:
      return encode(static_cast<uint32_t>(waiters_.size()));
  }
  return fail(errc::invalid_argument, "unknown op");
}

service_result event_state::wait(client_id c, int64_t timeout) {
  if (flag_ || timeout == 0)
    return encode(flag_);
  waiters_.push_back(make_waiter(c, timeout));
  return waiters_.back().rp;
}

void event_state::set() {
  flag_ = true;
  answer_all(waiters_, encode(true));
}

void event_state::on_timer(uint64_t id) {
  if (auto w = take_waiter(waiters_, id))
    w->rp.deliver(encode(flag_));
}

void event_state::on_client_down(int32_t pid) {
  drop_waiters_of(waiters_, pid, gone_failure("the waiting process is gone"));
}

void event_state::on_exit() {
  answer_all(waiters_, gone_failure("the event was destroyed in the parent "
                                    "process"));
}

caf::actor spawn_event_service(caf::actor_system& sys, bool flag) {
  return spawn_service<event_state>(sys, flag);
}

} // namespace detail

// -- event: the handle --------------------------------------------------------

event::event()
  : svc_(
    [](caf::actor_system& sys) { return detail::spawn_event_service(sys); }) {
  // nop
}

void event::set() {
  detail::call_op(svc_, detail::event_op::set);
}

void event::clear() {
  detail::call_op(svc_, detail::event_op::clear);
}

bool event::is_set() const {
  return detail::call_op_as<bool>(svc_, detail::event_op::is_set);
}

bool event::wait_ns(int64_t timeout_ns) {
  return detail::call_op_as<bool>(svc_, detail::event_op::wait, timeout_ns);
}

} // namespace actorpool
