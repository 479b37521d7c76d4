#include "actorpool/semaphore.hpp"

#include <algorithm>

#include <caf/actor_system.hpp>

#include "actorpool/exceptions.hpp"
#include "services/sync/semaphore_service.hpp"

namespace actorpool {

namespace detail {

// -- semaphore_state: the service ---------------------------------------------

service_result semaphore_state::on_call(client_id c, uint8_t op,
                                        const std::string& payload) {
  switch (static_cast<semaphore_op>(op)) {
    case semaphore_op::acquire:
      return acquire(c, decode_one<int64_t>(payload));
    case semaphore_op::release:
      return release(c);
    case semaphore_op::value:
      return encode(value_);
    case semaphore_op::describe:
      return encode(static_cast<uint32_t>(held_.size()),
                    static_cast<uint32_t>(queue_.size()));
  }
  return fail(errc::invalid_argument, "unknown op");
}

uint8_t semaphore_state::take(client_id c) {
  --value_;
  held_.push_back(c.pid);
  if (abandoned_ == 0)
    return acquired;
  --abandoned_;
  return acquired_owner_died;
}

service_result semaphore_state::acquire(client_id c, int64_t timeout) {
  if (value_ > 0 && queue_.empty())
    return encode(take(c));
  if (timeout == 0)
    return encode(uint8_t{not_acquired});
  queue_.push_back(make_waiter(c, timeout));
  return queue_.back().rp;
}

service_result semaphore_state::release(client_id c) {
  if (bound_ >= 0 && value_ >= bound_)
    return state_failure("semaphore or lock released too many times");
  auto own = std::find(held_.rbegin(), held_.rend(), c.pid);
  if (own != held_.rend())
    held_.erase(std::next(own).base());
  else if (!held_.empty())
    held_.pop_front();
  ++value_;
  grant_waiters();
  return encode();
}

void semaphore_state::grant_waiters() {
  while (value_ > 0 && !queue_.empty()) {
    auto w = std::move(queue_.front());
    queue_.pop_front();
    w.rp.deliver(encode(take(w.client)));
  }
}

void semaphore_state::on_timer(uint64_t id) {
  if (auto w = take_waiter(queue_, id))
    w->rp.deliver(encode(uint8_t{not_acquired}));
}

void semaphore_state::on_client_down(int32_t pid) {
  auto n = std::count(held_.begin(), held_.end(), pid);
  held_.erase(std::remove(held_.begin(), held_.end(), pid), held_.end());
  value_ += n;
  abandoned_ += n;
  drop_waiters_of(queue_, pid, gone_failure("the waiting process is gone"));
  grant_waiters();
}

void semaphore_state::on_exit() {
  answer_all(queue_, gone_failure("the semaphore was destroyed in the parent "
                                  "process"));
}

caf::actor spawn_semaphore_service(caf::actor_system& sys, int64_t value,
                                   bool bounded) {
  return spawn_service<semaphore_state>(sys, value, bounded);
}

} // namespace detail

// -- semaphore and bounded_semaphore: the handles -----------------------------

semaphore::semaphore(int64_t value) : semaphore(value, false) {
  // nop
}

semaphore::semaphore(int64_t value, bool bounded)
  : acquirable(detail::lazy_service{[value, bounded](caf::actor_system& sys) {
      return detail::spawn_semaphore_service(sys, value, bounded);
    }}) {
  if (value < 0)
    throw bad_argument(errc::invalid_argument,
                       "semaphore initial value must be >= 0");
}

int64_t semaphore::get_value() const {
  return detail::call_op_as<int64_t>(service(), detail::semaphore_op::value);
}

bounded_semaphore::bounded_semaphore(int64_t value) : semaphore(value, true) {
  // nop
}

} // namespace actorpool
