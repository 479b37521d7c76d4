#include "actorpool/event.hpp"

#include <algorithm>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "internal/event_service.hpp"

namespace actorpool {

namespace detail {

// -- event_state: the service -------------------------------------------------

caf::result<std::string> event_state::on_call(client_key c, uint8_t op,
                                              const std::string& payload) {
  return guarded([&]() -> caf::result<std::string> {
    switch (op) {
      case event_set:
        set();
        return encode_reply();
      case event_clear:
        flag_ = false;
        return encode_reply();
      case event_is_set:
        return encode_reply(flag_);
      case event_wait:
        return wait(c, decode_one<int64_t>(payload));
      case event_describe:
        return encode_reply(static_cast<uint32_t>(waiters_.size()));
      default:
        return make_error(errc::invalid_argument, std::string{"unknown op"});
    }
  });
}

caf::result<std::string> event_state::wait(client_key c, int64_t timeout) {
  if (flag_ || timeout == 0)
    return encode_reply(flag_);
  event_waiter w{next_id_++, c, self_->make_response_promise<std::string>()};
  start_timer(self_, timeout, w.id);
  waiters_.push_back(w);
  return w.rp;
}

void event_state::set() {
  flag_ = true;
  for (auto& w : waiters_)
    w.rp.deliver(encode_reply(true));
  waiters_.clear();
}

void event_state::on_timer(uint64_t id) {
  auto i = std::find_if(waiters_.begin(), waiters_.end(),
                        [id](const event_waiter& w) { return w.id == id; });
  if (i == waiters_.end())
    return;
  auto rp = i->rp;
  waiters_.erase(i);
  rp.deliver(encode_reply(flag_));
}

void event_state::on_client_down(int32_t pid) {
  auto gone = [pid](const event_waiter& w) {
    return w.client.pid == pid;
  };
  for (auto& w : waiters_)
    if (gone(w))
      w.rp.deliver(gone_failure("the waiting process is gone"));
  waiters_.erase(std::remove_if(waiters_.begin(), waiters_.end(), gone),
                 waiters_.end());
}

void event_state::on_exit() {
  for (auto& w : waiters_)
    w.rp.deliver(gone_failure("the event was destroyed in the parent "
                              "process"));
  waiters_.clear();
}

namespace {

using event_actor = caf::stateful_actor<event_state>;

// The flag argument also keeps CAF 0.17 from binding a reference to the
// null argument tuple of an actor spawned without arguments (UBSan).
caf::behavior event_service(event_actor* self, bool flag) {
  self->state.init(self, flag);
  self->set_exit_handler([self](caf::exit_msg& msg) {
    self->state.on_exit();
    self->quit(msg.reason);
  });
  return {
    [self](service_atom, int32_t pid, uint64_t thread, uint8_t op,
           std::string& payload) -> caf::result<std::string> {
      return self->state.on_call(client_key{pid, thread}, op, payload);
    },
    [self](client_down_atom, int32_t pid) { self->state.on_client_down(pid); },
    [self](timer_atom, uint64_t id) { self->state.on_timer(id); },
  };
}

} // namespace

caf::actor spawn_event_service(caf::actor_system& sys, bool flag) {
  return sys.spawn(event_service, flag);
}

} // namespace detail

// -- event: the handle --------------------------------------------------------

event::event()
  : ref_(std::make_shared<detail::lazy_primitive>(
    [](caf::actor_system& sys) { return detail::spawn_event_service(sys); })) {
  // nop
}

void event::set() {
  ref_.call(detail::event_set);
}

void event::clear() {
  ref_.call(detail::event_clear);
}

bool event::is_set() const {
  return ref_.call_as<bool>(detail::event_is_set);
}

bool event::wait_ns(int64_t timeout_ns) {
  return ref_.call_as<bool>(detail::event_wait, timeout_ns);
}

} // namespace actorpool
