#include "actorpool/lock.hpp"

#include <algorithm>

#include <caf/actor_system.hpp>

#include "services/sync/lock_service.hpp"

namespace actorpool {

namespace detail {

// -- mutex_state: the service -------------------------------------------------

service_result mutex_state::on_call(client_id c, uint8_t op,
                                    const std::string& payload) {
  decoder src{payload};
  switch (static_cast<mutex_op>(op)) {
    case mutex_op::acquire:
      return acquire(c, std::get<0>(take<int64_t>(src)));
    case mutex_op::release:
      return release(c);
    case mutex_op::wait: {
      auto [cond, timeout] = take<uint64_t, int64_t>(src);
      return wait(c, cond, timeout);
    }
    case mutex_op::notify: {
      auto [cond, n] = take<uint64_t, uint32_t>(src);
      return notify(c, cond, n);
    }
    case mutex_op::describe:
      return describe();
  }
  return fail(errc::invalid_argument, "unknown op");
}

service_result mutex_state::acquire(client_id c, int64_t timeout) {
  if (recursive_ && owned_by(c)) {
    ++count_;
    return encode(uint8_t{acquired});
  }
  if (!owner_ && queue_.empty()) {
    owner_ = c;
    count_ = 1;
    auto died = abandoned_;
    abandoned_ = false;
    return encode(uint8_t{died ? acquired_owner_died : acquired});
  }
  if (timeout == 0)
    return encode(uint8_t{not_acquired});
  queue_.push_back(make_waiter<mutex_waiter>(c, timeout));
  return queue_.back().rp;
}

service_result mutex_state::release(client_id c) {
  if (!owner_)
    return state_failure(recursive_ ? "cannot release un-acquired lock"
                                    : "release unlocked lock");
  if (recursive_ && !owned_by(c))
    return state_failure("cannot release un-acquired lock: owned by another "
                         "thread or process");
  if (--count_ == 0 || !recursive_) {
    count_ = 0;
    owner_.reset();
    grant_waiters();
  }
  return encode();
}

service_result mutex_state::describe() const {
  uint32_t waiting = 0;
  for (auto& kvp : conditions_)
    waiting += static_cast<uint32_t>(kvp.second.size());
  auto owner = owner_.value_or(client_id{});
  return encode(owner.pid, owner.thread, count_,
                static_cast<uint32_t>(queue_.size()), waiting);
}

void mutex_state::grant_waiters() {
  while (!owner_ && !queue_.empty()) {
    auto w = std::move(queue_.front());
    queue_.pop_front();
    grant(w);
  }
}

void mutex_state::grant(mutex_waiter& w) {
  owner_ = w.client;
  count_ = w.count;
  auto died = abandoned_;
  abandoned_ = false;
  if (w.reacquire) {
    auto bits = static_cast<uint8_t>((w.notified ? 1 : 0) | (died ? 2 : 0));
    w.rp.deliver(encode(bits));
  } else {
    w.rp.deliver(encode(uint8_t{died ? acquired_owner_died : acquired}));
  }
}

void mutex_state::on_timer(uint64_t id) {
  auto i = std::find_if(queue_.begin(), queue_.end(),
                        [id](const mutex_waiter& w) { return w.id == id; });
  if (i == queue_.end()) {
    if (time_out_condition_waiter(id))
      grant_waiters();
    return;
  }
  if (i->reacquire) // reacquiring after a condition wait: no timeout
    return;
  auto rp = i->rp;
  queue_.erase(i);
  rp.deliver(encode(uint8_t{not_acquired}));
}

void mutex_state::on_client_down(int32_t pid) {
  if (owner_ && owner_->pid == pid) {
    owner_.reset();
    count_ = 0;
    abandoned_ = true;
  }
  auto gone = gone_failure("the waiting process is gone");
  drop_waiters_of(queue_, pid, gone);
  for (auto i = conditions_.begin(); i != conditions_.end();) {
    drop_waiters_of(i->second, pid, gone);
    i = i->second.empty() ? conditions_.erase(i) : std::next(i);
  }
  grant_waiters();
}

void mutex_state::on_exit() {
  auto err = gone_failure("the lock was destroyed in the parent process");
  answer_all(queue_, err);
  for (auto& kvp : conditions_)
    answer_all(kvp.second, err);
  conditions_.clear();
}

caf::actor spawn_lock_service(caf::actor_system& sys) {
  return spawn_service<mutex_state>(sys, false);
}

caf::actor spawn_rlock_service(caf::actor_system& sys) {
  return spawn_service<mutex_state>(sys, true);
}

} // namespace detail

// -- lock: the handle ---------------------------------------------------------

lock::lock() : acquirable(detail::lazy_service{detail::spawn_lock_service}) {
  // nop
}

} // namespace actorpool
