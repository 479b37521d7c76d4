#include "process/process_actor.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "base/atoms.hpp"
#include "links/child_supervisor.hpp"
#include "links/system_child_control.hpp"
#include "os/spawn.hpp"
#include "services/service_registry.hpp"
#include "transport/call_gate.hpp"
#include "transport/frame.hpp"
#include "transport/parent_broker.hpp"

namespace actorpool::detail {

void process_state::set_exit(int code) {
  {
    std::lock_guard<std::mutex> guard{mtx};
    exitcode = code;
  }
  cv.notify_all();
}

bool process_state::wait(std::optional<std::chrono::milliseconds> timeout) {
  std::unique_lock<std::mutex> guard{mtx};
  auto done = [this] {
    return exitcode.has_value();
  };
  if (!timeout) {
    cv.wait(guard, done);
    return true;
  }
  return cv.wait_for(guard, *timeout, done);
}

bool process_state::ended() {
  std::lock_guard<std::mutex> guard{mtx};
  return exitcode.has_value();
}

namespace {

/// How long a child whose socket closed, or that was asked to stop, may
/// linger before SIGKILL.
constexpr auto linger_limit = std::chrono::seconds{1};

struct supervisor_state {
  task_msg target;
  std::shared_ptr<process_state> st;
  /// Closed when the services are told that the process is gone.
  std::shared_ptr<call_gate> gate = std::make_shared<call_gate>();
  caf::actor broker;
  std::unique_ptr<system_child_control> ctl;
  /// Set once the child started.
  std::unique_ptr<child_supervisor> child;
  bool target_sent = false;
  const char* name = "actorpool.process";

  /// The services hear of the end of the process (its gate closed first)
  /// before anyone else does: before `st` records the exit code that `join`,
  /// `is_alive` and `exitcode` report.
  void tell_services() {
    if (gate->closed())
      return;
    gate->close();
    notify_client_down(child->pid());
  }

  void announce_exit(int code) {
    tell_services();
    st->set_exit(code);
  }

  ~supervisor_state() {
    // Killed before the child ended (program exit): Python joins non-daemon
    // children and terminates daemon ones. A child that has not had its
    // target yet (it was started just before the end) gets it now, without
    // waiting for its hello, so that the join ends.
    if (!child || child->reaped())
      return;
    if (st->daemon)
      child->kill();
    else if (!target_sent && broker)
      caf::anon_send(broker, target_atom::value, target);
    auto code = child->wait().code; // blocking: the actor goes away
    announce_exit(code);
    if (broker)
      caf::anon_send(broker, stop_atom::value);
  }
};

using supervisor_actor = caf::stateful_actor<supervisor_state>;

caf::result<int32_t> on_start(supervisor_actor* self) {
  auto& s = self->state;
  auto proc = spawn_worker_process(s.st->name, s.st->daemon,
                                   default_max_frame_size);
  if (!proc)
    return std::move(proc.error());
  s.ctl = std::make_unique<system_child_control>(self);
  s.child = std::make_unique<child_supervisor>(0, proc->pid, linger_limit,
                                               *s.ctl);
  s.broker = spawn_parent_broker(self->system(), proc->fd, 1,
                                 caf::actor_cast<caf::actor>(self),
                                 default_max_frame_size, s.gate, find_service);
  return static_cast<int32_t>(proc->pid);
}

void on_hello(supervisor_actor* self, const hello_msg& msg) {
  auto& s = self->state;
  if (!s.child->check_hello(msg).empty()) {
    s.child->kill(); // not ours to serve
    return;
  }
  s.target_sent = true;
  self->send(s.broker, target_atom::value, s.target);
}

/// The child is reaped: the exit code is out, the actor done.
void finish(supervisor_actor* self, const std::optional<exit_status>& st) {
  if (!st)
    return;
  self->state.announce_exit(st->code);
  self->quit();
}

caf::behavior supervisor(supervisor_actor* self, task_msg target,
                         std::shared_ptr<process_state> st) {
  self->state.target = std::move(target);
  self->state.st = std::move(st);
  return {
    [=](start_atom) { return on_start(self); },
    [=](hello_atom, uint64_t, const hello_msg& msg) { on_hello(self, msg); },
    [=](results_atom, uint64_t, std::vector<result_msg>&) {
      // a process reports through its exit code only
    },
    [=](down_atom, uint64_t, const std::string&) {
      // Nothing more of the process reaches a service; tell them before the
      // reap, while its pid cannot be reused.
      self->state.tell_services();
      self->state.broker = caf::actor{};
      finish(self, self->state.child->closed());
    },
    [=](stop_atom) {
      if (self->state.child)
        self->state.child->stop();
    },
    [=](child_timer_atom, uint8_t t, uint64_t) {
      finish(self, self->state.child->on_timer(static_cast<child_timer>(t)));
    },
  };
}

} // namespace

caf::actor spawn_process_actor(caf::actor_system& sys, task_msg target,
                               std::shared_ptr<process_state> st) {
  return sys.spawn(supervisor, std::move(target), std::move(st));
}

} // namespace actorpool::detail
