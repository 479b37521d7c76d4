#include "actorpool/barrier.hpp"

#include <algorithm>

#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "actorpool/detail/task_registry.hpp"
#include "actorpool/exceptions.hpp"
#include "internal/barrier_service.hpp"

namespace actorpool {

namespace detail {

// -- barrier_state: the service -----------------------------------------------

caf::result<std::string> barrier_state::on_call(client_key c, uint8_t op,
                                                const std::string& payload) {
  return guarded([&]() -> caf::result<std::string> {
    switch (op) {
      case barrier_wait:
        return wait(c, decode_one<int64_t>(payload));
      case barrier_reset:
        fail_arrivals("the barrier was reset", false);
        return encode_reply();
      case barrier_abort:
        fail_arrivals("the barrier was aborted", true);
        return encode_reply();
      case barrier_broken:
        return encode_reply(phase_ == phase::broken);
      case barrier_n_waiting:
        return encode_reply(static_cast<int32_t>(arrived_.size()));
      default:
        return make_error(errc::invalid_argument, std::string{"unknown op"});
    }
  });
}

caf::result<std::string> barrier_state::wait(client_key c, int64_t timeout) {
  if (phase_ == phase::broken)
    return make_error(errc::broken_barrier,
                      std::string{"the barrier is broken"});
  barrier_waiter w;
  w.id = next_id_++;
  w.client = c;
  w.rp = self_->make_response_promise<std::string>();
  w.timeout = timeout == barrier_default_timeout ? cfg_.timeout_ns : timeout;
  if (phase_ == phase::running_action)
    pending_.push_back(w);
  else
    admit(w);
  return w.rp;
}

void barrier_state::admit(barrier_waiter w) {
  arrived_.push_back(w);
  if (arrived_.size() == static_cast<size_t>(cfg_.parties))
    complete();
  else
    start_timer(self_, w.timeout, w.id);
}

namespace {

void run_action_actor(caf::event_based_actor* self, caf::actor barrier,
                      std::string name, uint64_t generation) {
  self->send(barrier, action_done_atom::value, generation,
             run_barrier_action(name));
}

} // namespace

void barrier_state::complete() {
  if (cfg_.action.empty()) {
    release_all();
    return;
  }
  phase_ = phase::running_action;
  auto me = caf::actor_cast<caf::actor>(self_);
  if (cfg_.detach_action)
    self_->spawn<caf::detached>(run_action_actor, me, cfg_.action, generation_);
  else
    self_->spawn(run_action_actor, me, cfg_.action, generation_);
}

void barrier_state::release_all() {
  for (size_t i = 0; i < arrived_.size(); ++i)
    arrived_[i].rp.deliver(encode_reply(static_cast<int32_t>(i)));
  arrived_.clear();
  ++generation_;
  phase_ = phase::filling;
  admit_pending();
}

void barrier_state::admit_pending() {
  while (phase_ == phase::filling && !pending_.empty()) {
    auto w = std::move(pending_.front());
    pending_.pop_front();
    admit(std::move(w));
  }
}

void barrier_state::fail_arrivals(const std::string& why, bool permanent) {
  auto err = make_error(errc::broken_barrier, why);
  for (auto& w : arrived_)
    w.rp.deliver(err);
  arrived_.clear();
  ++generation_; // a running action's result no longer matters
  if (permanent) {
    for (auto& w : pending_)
      w.rp.deliver(err);
    pending_.clear();
    phase_ = phase::broken;
  } else {
    phase_ = phase::filling;
    admit_pending();
  }
}

void barrier_state::on_action_done(uint64_t generation,
                                   const std::string& error) {
  if (generation != generation_ || phase_ != phase::running_action)
    return;
  if (error.empty())
    release_all();
  else
    fail_arrivals("the barrier action failed: " + error, true);
}

void barrier_state::on_timer(uint64_t id) {
  if (phase_ != phase::filling)
    return;
  auto i = std::find_if(arrived_.begin(), arrived_.end(),
                        [id](const barrier_waiter& w) { return w.id == id; });
  if (i != arrived_.end())
    fail_arrivals("a wait on the barrier timed out", true);
}

void barrier_state::on_client_down(int32_t pid) {
  auto of = [pid](const barrier_waiter& w) {
    return w.client.pid == pid;
  };
  if (std::any_of(arrived_.begin(), arrived_.end(), of)
      || std::any_of(pending_.begin(), pending_.end(), of))
    fail_arrivals("a process waiting on the barrier died", true);
}

void barrier_state::on_exit() {
  fail_arrivals("the barrier was destroyed in the parent process", true);
}

std::string run_barrier_action(const std::string& name) {
  auto entry = find_task(name);
  if (entry == nullptr || entry->invoker == nullptr)
    return "no task is registered as " + name;
  try {
    std::string out;
    entry->invoker->invoke(nullptr, 0, 1, out);
    return {};
  } catch (const std::exception& e) {
    return current_exception_type_name() + ": " + e.what();
  } catch (...) {
    return current_exception_type_name();
  }
}

namespace {

using barrier_actor = caf::stateful_actor<barrier_state>;

caf::behavior barrier_service(barrier_actor* self, barrier_config cfg) {
  self->state.init(self, std::move(cfg));
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
    [self](action_done_atom, uint64_t generation, const std::string& error) {
      self->state.on_action_done(generation, error);
    },
  };
}

} // namespace

caf::actor spawn_barrier_service(caf::actor_system& sys, barrier_config cfg) {
  return sys.spawn(barrier_service, std::move(cfg));
}

} // namespace detail

// -- barrier: the handle ------------------------------------------------------

barrier::barrier() = default;

barrier::barrier(int parties, std::string action, int64_t timeout_ns)
  : parties_(parties) {
  if (parties < 1)
    throw bad_argument(errc::invalid_argument,
                       "a barrier needs at least one party");
  detail::barrier_config cfg;
  cfg.parties = parties;
  cfg.action = std::move(action);
  cfg.timeout_ns = timeout_ns;
  ref_ = detail::sync_ref{
    std::make_shared<detail::lazy_primitive>([cfg](caf::actor_system& sys) {
      return detail::spawn_barrier_service(sys, cfg);
    })};
}

int barrier::wait_ns(int64_t timeout_ns) {
  return ref_.call_as<int32_t>(detail::barrier_wait, timeout_ns);
}

int barrier::wait() {
  return wait_ns(detail::barrier_default_timeout);
}

void barrier::reset() {
  ref_.call(detail::barrier_reset);
}

void barrier::abort() {
  ref_.call(detail::barrier_abort);
}

bool barrier::broken() const {
  return ref_.call_as<bool>(detail::barrier_broken);
}

int barrier::n_waiting() const {
  return ref_.call_as<int32_t>(detail::barrier_n_waiting);
}

} // namespace actorpool
