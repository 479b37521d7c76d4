#include "actorpool/barrier.hpp"

#include <algorithm>

#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>

#include "actorpool/detail/task_registry.hpp"
#include "actorpool/exceptions.hpp"
#include "services/sync/barrier_service.hpp"

namespace actorpool {

namespace detail {

// -- barrier_state: the service -----------------------------------------------

service_result barrier_state::on_call(client_id c, uint8_t op,
                                      const std::string& payload) {
  switch (static_cast<barrier_op>(op)) {
    case barrier_op::wait:
      return wait(c, decode_one<int64_t>(payload));
    case barrier_op::reset:
      fail_arrivals("the barrier was reset", false);
      return encode();
    case barrier_op::abort:
      fail_arrivals("the barrier was aborted", true);
      return encode();
    case barrier_op::broken:
      return encode(phase_ == phase::broken);
    case barrier_op::n_waiting:
      return encode(static_cast<int32_t>(arrived_.size()));
  }
  return fail(errc::invalid_argument, "unknown op");
}

service_result barrier_state::wait(client_id c, int64_t timeout) {
  if (phase_ == phase::broken)
    return fail(errc::broken_barrier, "the barrier is broken");
  // The timer starts when the waiter is admitted (`admit`).
  auto w = make_waiter<barrier_waiter>(c, wait_forever);
  w.timeout = timeout == barrier_default_timeout ? cfg_.timeout_ns : timeout;
  auto rp = w.rp;
  if (phase_ == phase::running_action)
    pending_.push_back(std::move(w));
  else
    admit(std::move(w));
  return rp;
}

void barrier_state::admit(barrier_waiter w) {
  arrived_.push_back(std::move(w));
  auto& last = arrived_.back();
  if (arrived_.size() == static_cast<size_t>(cfg_.parties))
    complete();
  else
    start_timer(last.timeout, last.id);
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
    arrived_[i].rp.deliver(encode(static_cast<int32_t>(i)));
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
  auto err = fail(errc::broken_barrier, why);
  answer_all(arrived_, err);
  ++generation_; // a running action's result no longer matters
  if (permanent) {
    answer_all(pending_, err);
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
  return service_behavior(self, [self](action_done_atom, uint64_t generation,
                                       const std::string& error) {
    self->state.on_action_done(generation, error);
  });
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
  svc_ = detail::lazy_service{[cfg](caf::actor_system& sys) {
    return detail::spawn_barrier_service(sys, cfg);
  }};
}

int barrier::wait_ns(int64_t timeout_ns) {
  return detail::call_op_as<int32_t>(svc_, detail::barrier_op::wait,
                                     timeout_ns);
}

int barrier::wait() {
  return wait_ns(detail::barrier_default_timeout);
}

void barrier::reset() {
  detail::call_op(svc_, detail::barrier_op::reset);
}

void barrier::abort() {
  detail::call_op(svc_, detail::barrier_op::abort);
}

bool barrier::broken() const {
  return detail::call_op_as<bool>(svc_, detail::barrier_op::broken);
}

int barrier::n_waiting() const {
  return detail::call_op_as<int32_t>(svc_, detail::barrier_op::n_waiting);
}

} // namespace actorpool
