#include "actorpool/semaphore.hpp"

#include <algorithm>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "actorpool/exceptions.hpp"
#include "internal/semaphore_service.hpp"

namespace actorpool {

namespace detail {

// -- semaphore_state: the service ---------------------------------------------

caf::result<std::string> semaphore_state::on_call(client_key c, uint8_t op,
                                                  const std::string& payload) {
  return guarded([&]() -> caf::result<std::string> {
    switch (op) {
      case semaphore_acquire:
        return acquire(c, decode_one<int64_t>(payload));
      case semaphore_release:
        return release(c);
      case semaphore_value:
        return encode_reply(value_);
      case semaphore_describe:
        return encode_reply(static_cast<uint32_t>(held_.size()),
                            static_cast<uint32_t>(queue_.size()));
      default:
        return make_error(errc::invalid_argument, std::string{"unknown op"});
    }
  });
}

uint8_t semaphore_state::take(client_key c) {
  --value_;
  held_.push_back(c.pid);
  if (abandoned_ == 0)
    return acquired;
  --abandoned_;
  return acquired_owner_died;
}

caf::result<std::string> semaphore_state::acquire(client_key c,
                                                  int64_t timeout) {
  if (value_ > 0 && queue_.empty())
    return encode_reply(take(c));
  if (timeout == 0)
    return encode_reply(uint8_t{not_acquired});
  semaphore_waiter w{next_id_++, c,
                     self_->make_response_promise<std::string>()};
  start_timer(self_, timeout, w.id);
  queue_.push_back(w);
  return w.rp;
}

caf::result<std::string> semaphore_state::release(client_key c) {
  if (bound_ >= 0 && value_ >= bound_)
    return state_failure("semaphore or lock released too many times");
  auto own = std::find(held_.rbegin(), held_.rend(), c.pid);
  if (own != held_.rend())
    held_.erase(std::next(own).base());
  else if (!held_.empty())
    held_.pop_front();
  ++value_;
  grant_waiters();
  return encode_reply();
}

void semaphore_state::grant_waiters() {
  while (value_ > 0 && !queue_.empty()) {
    auto w = std::move(queue_.front());
    queue_.pop_front();
    w.rp.deliver(encode_reply(take(w.client)));
  }
}

void semaphore_state::on_timer(uint64_t id) {
  auto i = std::find_if(queue_.begin(), queue_.end(),
                        [id](const semaphore_waiter& w) { return w.id == id; });
  if (i == queue_.end())
    return;
  auto rp = i->rp;
  queue_.erase(i);
  rp.deliver(encode_reply(uint8_t{not_acquired}));
}

void semaphore_state::on_client_down(int32_t pid) {
  auto n = std::count(held_.begin(), held_.end(), pid);
  held_.erase(std::remove(held_.begin(), held_.end(), pid), held_.end());
  value_ += n;
  abandoned_ += n;
  auto gone = [pid](const semaphore_waiter& w) {
    return w.client.pid == pid;
  };
  for (auto& w : queue_)
    if (gone(w))
      w.rp.deliver(gone_failure("the waiting process is gone"));
  queue_.erase(std::remove_if(queue_.begin(), queue_.end(), gone),
               queue_.end());
  grant_waiters();
}

void semaphore_state::on_exit() {
  for (auto& w : queue_)
    w.rp.deliver(gone_failure("the semaphore was destroyed in the parent "
                              "process"));
  queue_.clear();
}

namespace {

using semaphore_actor = caf::stateful_actor<semaphore_state>;

caf::behavior semaphore_service(semaphore_actor* self, int64_t value,
                                bool bounded) {
  self->state.init(self, value, bounded);
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

caf::actor spawn_semaphore_service(caf::actor_system& sys, int64_t value,
                                   bool bounded) {
  return sys.spawn(semaphore_service, value, bounded);
}

} // namespace detail

// -- semaphore and bounded_semaphore: the handles -----------------------------

semaphore::semaphore(int64_t value) : semaphore(value, false) {
  // nop
}

semaphore::semaphore(int64_t value, bool bounded) {
  if (value < 0)
    throw bad_argument(errc::invalid_argument,
                       "semaphore initial value must be >= 0");
  ref_ = detail::sync_ref{std::make_shared<detail::lazy_primitive>(
    [value, bounded](caf::actor_system& sys) {
      return detail::spawn_semaphore_service(sys, value, bounded);
    })};
}

bool semaphore::acquire_ns(int64_t timeout_ns) {
  auto st = ref_.call_as<uint8_t>(detail::semaphore_acquire, timeout_ns);
  if (st == detail::not_acquired)
    return false;
  died_.set(st == detail::acquired_owner_died);
  return true;
}

void semaphore::release() {
  ref_.call(detail::semaphore_release);
}

int64_t semaphore::get_value() const {
  return ref_.call_as<int64_t>(detail::semaphore_value);
}

bounded_semaphore::bounded_semaphore(int64_t value) : semaphore(value, true) {
  // nop
}

} // namespace actorpool
