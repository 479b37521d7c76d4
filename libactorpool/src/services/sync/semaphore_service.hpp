#pragma once

// The service behind `semaphore` and `bounded_semaphore`: the counter, the
// units each process holds (so that a dead process's units come back), and
// the FIFO queue of blocked acquirers.

#include <cstdint>
#include <deque>
#include <string>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "services/service_actor.hpp"
#include "services/service_state.hpp"
#include "services/sync/acquire_protocol.hpp"

namespace actorpool::detail {

/// Operations (arguments -> reply; request format: services/README.md):
enum class semaphore_op : service_op {
  /// int64 timeout (`wait_forever`, 0 try) -> uint8 `acquire_status`.
  acquire = op_code(acquire_op::acquire),
  /// () -> ().
  release = op_code(acquire_op::release),
  /// () -> int64 value.
  value = 3,
  /// () -> uint32 units held by processes, uint32 blocked acquirers.
  describe = 4,
};

/// The semaphore's state; methods answer calls (see `semaphore_op`).
///
/// Units are tracked per process: an acquire records one unit for the
/// caller's process; a release returns one of the releaser's own units, or,
/// if it holds none, the oldest unit anybody holds. When a process dies, its
/// units come back and are marked abandoned: whoever takes an abandoned unit
/// is told its owner died. For a bounded semaphore this keeps `value + units
/// held == bound`, so a dead process can never push it over its bound.
class semaphore_state : public service_state {
public:
  static inline const char* name = "actorpool.semaphore";

  /// `bounded`: releases beyond `value` are errors.
  void init(caf::event_based_actor* self, int64_t value, bool bounded) {
    attach(self);
    value_ = value;
    bound_ = bounded ? value : -1;
  }

  service_result on_call(client_id c, uint8_t op, const std::string& payload);

  void on_timer(uint64_t id);

  void on_client_down(int32_t pid);

  void on_exit();

private:
  service_result acquire(client_id c, int64_t timeout);

  service_result release(client_id c);

  /// Takes a unit for `c` (value_ > 0); returns the `acquire_status`.
  uint8_t take(client_id c);

  void grant_waiters();

  int64_t value_ = 0;
  /// -1: unbounded.
  int64_t bound_ = -1;
  /// One entry (the pid) per unit held, oldest first.
  std::deque<int32_t> held_;
  /// Units that came back from dead processes and were not taken yet
  /// (never more than `value_`).
  int64_t abandoned_ = 0;
  std::deque<waiter> queue_;
};

/// Spawns a semaphore service starting at `value` (>= 0).
caf::actor spawn_semaphore_service(caf::actor_system& sys, int64_t value,
                                   bool bounded);

} // namespace actorpool::detail
