#pragma once

// The service behind `barrier`: who arrived in the current generation, the
// barrier's phase, and the action run once per generation.

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/atom.hpp>
#include <caf/fwd.hpp>

#include "services/service_actor.hpp"
#include "services/service_protocol.hpp"
#include "services/service_state.hpp"

namespace actorpool::detail {

/// The action runner reports back: (action_done_atom, generation, error text
/// or empty).
using action_done_atom = caf::atom_constant<caf::atom("actiondone")>;

/// Operations (arguments -> reply; request format: services/README.md):
enum class barrier_op : service_op {
  /// int64 timeout (`wait_forever`, `barrier_default_timeout`) -> int32
  /// index of arrival, or an `errc::broken_barrier` error.
  wait = 1,
  /// () -> ().
  reset = 2,
  /// () -> ().
  abort = 3,
  /// () -> bool.
  broken = 4,
  /// () -> int32.
  n_waiting = 5,
};

/// Wait timeout meaning "the barrier's own timeout".
constexpr int64_t barrier_default_timeout = -2;

struct barrier_config {
  int32_t parties = 1;
  /// Registered task (no arguments) run once per generation; empty: none.
  std::string action;
  /// Default timeout of `wait` in nanoseconds; -1: none.
  int64_t timeout_ns = -1;
  /// Run the action in a thread of its own (false: in an ordinary actor, for
  /// deterministic tests).
  bool detach_action = true;
};

struct barrier_waiter : waiter {
  int64_t timeout = wait_forever;
};

/// The barrier's state; methods answer calls (see `barrier_op`).
class barrier_state : public service_state {
public:
  static inline const char* name = "actorpool.barrier";

  void init(caf::event_based_actor* self, barrier_config cfg) {
    attach(self);
    cfg_ = std::move(cfg);
  }

  service_result on_call(client_id c, uint8_t op, const std::string& payload);

  void on_timer(uint64_t id);

  /// A waiting process died: the barrier breaks.
  void on_client_down(int32_t pid);

  void on_action_done(uint64_t generation, const std::string& error);

  void on_exit();

private:
  enum class phase { filling, running_action, broken };

  service_result wait(client_id c, int64_t timeout);

  /// Counts `w` in the current generation.
  void admit(barrier_waiter w);

  /// Everyone arrived: run the action or release them.
  void complete();

  /// Answers every arrival with its index; starts the next generation.
  void release_all();

  /// Fails the current arrivals with `broken_barrier`; `permanent` leaves the
  /// barrier broken (otherwise it is a reset).
  void fail_arrivals(const std::string& why, bool permanent);

  /// Admits the callers that arrived while the action ran.
  void admit_pending();

  barrier_config cfg_;
  phase phase_ = phase::filling;
  std::vector<barrier_waiter> arrived_;
  /// Arrived while the action of the previous generation ran.
  std::deque<barrier_waiter> pending_;
  uint64_t generation_ = 0;
};

caf::actor spawn_barrier_service(caf::actor_system& sys, barrier_config cfg);

/// Runs the registered task `name` (no arguments) in this thread; returns
/// the error text, or an empty string when it returned.
std::string run_barrier_action(const std::string& name);

} // namespace actorpool::detail
