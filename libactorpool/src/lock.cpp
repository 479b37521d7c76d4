#include "actorpool/lock.hpp"

#include <algorithm>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "actorpool/exceptions.hpp"
#include "actorpool/runtime.hpp"
#include "internal/lock_service.hpp"
#include "internal/worker_runtime.hpp"

namespace actorpool {

namespace detail {

// -- lazy_primitive and sync_ref: the handles' side ---------------------------

uint64_t lazy_primitive::id() {
  std::lock_guard<std::mutex> guard{mtx_};
  if (id_ != 0)
    return id_;
  if (!make_)
    throw state_error(errc::invalid_state,
                      "empty handle: it was default-constructed where the "
                      "primitive needs arguments");
  if (worker_calls() != nullptr)
    throw state_error(errc::invalid_state,
                      "synchronisation primitives and shared values are "
                      "created in the parent process: create it there and "
                      "pass it to the task");
  auto& sys = default_system();
  auto svc = make_(sys);
  track_actor(sys, svc);
  owner_ = service_handle{std::move(svc)};
  id_ = owner_.id();
  make_ = nullptr;
  return id_;
}

sync_ref::sync_ref(std::shared_ptr<lazy_primitive> svc) noexcept
  : svc_(std::move(svc)) {
  // nop
}

uint64_t sync_ref::id() const {
  if (!svc_)
    throw state_error(errc::invalid_state, "empty handle");
  return svc_->id();
}

std::string sync_ref::call(service_op op, std::string payload) const {
  return call_service(id(), op, std::move(payload));
}

bool sync_ref::same(const sync_ref& other) const {
  if (svc_ == other.svc_)
    return true;
  if (!svc_ || !other.svc_)
    return false;
  // A service not created yet is known to its copies only.
  auto x = svc_->known_id();
  return x != 0 && x == other.svc_->known_id();
}

caf::error sync_ref::save(uint64_t& id) const noexcept {
  try {
    id = this->id();
    return caf::none;
  } catch (const std::exception& e) {
    return make_error(errc::encoding_failed, std::string{e.what()});
  }
}

void sync_ref::load(uint64_t id) {
  svc_ = std::make_shared<lazy_primitive>(id);
}

// -- mutex_state: the service -------------------------------------------------

caf::result<std::string> mutex_state::on_call(client_key c, uint8_t op,
                                              const std::string& payload) {
  return guarded([&]() -> caf::result<std::string> {
    decoder src{payload};
    switch (op) {
      case mutex_acquire:
        return acquire(c, std::get<0>(take<int64_t>(src)));
      case mutex_release:
        return release(c);
      case mutex_wait: {
        auto [cond, timeout] = take<uint64_t, int64_t>(src);
        return wait(c, cond, timeout);
      }
      case mutex_notify: {
        auto [cond, n] = take<uint64_t, uint32_t>(src);
        return notify(c, cond, n);
      }
      case mutex_describe:
        return describe();
      default:
        return make_error(errc::invalid_argument, std::string{"unknown op"});
    }
  });
}

caf::result<std::string> mutex_state::acquire(client_key c, int64_t timeout) {
  if (recursive_ && owned_by(c)) {
    ++count_;
    return encode_reply(uint8_t{acquired});
  }
  if (!owner_ && queue_.empty()) {
    owner_ = c;
    count_ = 1;
    auto died = abandoned_;
    abandoned_ = false;
    return encode_reply(uint8_t{died ? acquired_owner_died : acquired});
  }
  if (timeout == 0)
    return encode_reply(uint8_t{not_acquired});
  mutex_waiter w;
  w.id = next_id_++;
  w.client = c;
  w.rp = self_->make_response_promise<std::string>();
  start_timer(self_, timeout, w.id);
  queue_.push_back(w);
  return w.rp;
}

caf::result<std::string> mutex_state::release(client_key c) {
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
  return encode_reply();
}

caf::result<std::string> mutex_state::describe() const {
  uint32_t waiting = 0;
  for (auto& kvp : conditions_)
    waiting += static_cast<uint32_t>(kvp.second.size());
  auto owner = owner_.value_or(client_key{});
  return encode_reply(owner.pid, owner.thread, count_,
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
    w.rp.deliver(encode_reply(bits));
  } else {
    w.rp.deliver(encode_reply(uint8_t{died ? acquired_owner_died : acquired}));
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
  rp.deliver(encode_reply(uint8_t{not_acquired}));
}

namespace {

// Removes the waiters of process `pid` from `q`, answering them with an
// error (nobody reads it: the process is gone).
void drop_waiters_of(std::deque<mutex_waiter>& q, int32_t pid) {
  auto gone = [pid](const mutex_waiter& w) {
    return w.client.pid == pid;
  };
  for (auto& w : q)
    if (gone(w))
      w.rp.deliver(gone_failure("the waiting process is gone"));
  q.erase(std::remove_if(q.begin(), q.end(), gone), q.end());
}

} // namespace

void mutex_state::on_client_down(int32_t pid) {
  if (owner_ && owner_->pid == pid) {
    owner_.reset();
    count_ = 0;
    abandoned_ = true;
  }
  drop_waiters_of(queue_, pid);
  for (auto i = conditions_.begin(); i != conditions_.end();) {
    drop_waiters_of(i->second, pid);
    i = i->second.empty() ? conditions_.erase(i) : std::next(i);
  }
  grant_waiters();
}

void mutex_state::on_exit() {
  auto err = gone_failure("the lock was destroyed in the parent process");
  for (auto& w : queue_)
    w.rp.deliver(err);
  for (auto& kvp : conditions_)
    for (auto& w : kvp.second)
      w.rp.deliver(err);
  queue_.clear();
  conditions_.clear();
}

namespace {

using mutex_actor = caf::stateful_actor<mutex_state>;

caf::behavior mutex_service(mutex_actor* self, bool recursive) {
  self->state.init(self, recursive);
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

caf::actor spawn_lock_service(caf::actor_system& sys) {
  return sys.spawn(mutex_service, false);
}

caf::actor spawn_rlock_service(caf::actor_system& sys) {
  return sys.spawn(mutex_service, true);
}

} // namespace detail

// -- lock: the handle ---------------------------------------------------------

lock::lock()
  : ref_(std::make_shared<detail::lazy_primitive>(
    [](caf::actor_system& sys) { return detail::spawn_lock_service(sys); })) {
  // nop
}

bool lock::acquire_ns(int64_t timeout_ns) {
  auto st = ref_.call_as<uint8_t>(detail::mutex_acquire, timeout_ns);
  if (st == detail::not_acquired)
    return false;
  died_.set(st == detail::acquired_owner_died);
  return true;
}

void lock::release() {
  ref_.call(detail::mutex_release);
}

} // namespace actorpool
