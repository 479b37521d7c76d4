#pragma once

// The service behind `lock`, `rlock` and `condition`: one actor per lock that
// owns the lock's state and the wait queues of the conditions built on it, so
// that a condition wait releases the lock and queues the waiter in one step.

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "services/service_actor.hpp"
#include "services/service_state.hpp"
#include "services/sync/acquire_protocol.hpp"

namespace actorpool::detail {

/// Operations (arguments -> reply; request format: services/README.md):
enum class mutex_op : service_op {
  /// int64 timeout (`wait_forever`, 0 try) -> uint8 `acquire_status`.
  acquire = op_code(acquire_op::acquire),
  /// () -> ().
  release = op_code(acquire_op::release),
  /// uint64 condition, int64 timeout -> uint8: bit 0 set when notified
  /// (false: timed out), bit 1 set when the lock was reacquired from a
  /// process that died.
  wait = 3,
  /// uint64 condition, uint32 n -> ().
  notify = 4,
  /// () -> int32 owner pid (0: free), uint64 owner thread, uint32 count,
  /// uint32 waiting for the lock, uint32 waiting on conditions.
  describe = 5,
};

/// A caller waiting for the lock, or waiting on a condition.
struct mutex_waiter : waiter {
  /// Recursion count restored when granted (a condition wait saves it).
  uint32_t count = 1;
  /// A condition wait that reacquires the lock (answers `mutex_wait`).
  bool reacquire = false;
  /// For `reacquire`: notified (true) or timed out (false).
  bool notified = false;
};

/// The lock's state; methods answer calls (see `mutex_op`).
class mutex_state : public service_state {
public:
  static inline const char* name = "actorpool.lock";

  void init(caf::event_based_actor* self, bool recursive) {
    attach(self);
    recursive_ = recursive;
  }

  service_result on_call(client_id c, uint8_t op, const std::string& payload);

  void on_timer(uint64_t id);

  /// Releases what process `pid` held and drops its waiters.
  void on_client_down(int32_t pid);

  /// The service stops: every waiter gets an error.
  void on_exit();

private:
  service_result acquire(client_id c, int64_t timeout);

  service_result release(client_id c);

  service_result describe() const;

  // Defined in condition.cpp.
  service_result wait(client_id c, uint64_t cond, int64_t timeout);

  // Defined in condition.cpp.
  service_result notify(client_id c, uint64_t cond, uint32_t n);

  // Defined in condition.cpp: a condition waiter timed out.
  bool time_out_condition_waiter(uint64_t id);

  bool owned_by(client_id c) const {
    return owner_ && *owner_ == c;
  }

  /// Hands the free lock to queued waiters, oldest first.
  void grant_waiters();

  void grant(mutex_waiter& w);

  bool recursive_ = false;
  std::optional<client_id> owner_;
  uint32_t count_ = 0;
  /// The last owner died; the next grant reports it.
  bool abandoned_ = false;
  std::deque<mutex_waiter> queue_;
  std::map<uint64_t, std::deque<mutex_waiter>> conditions_;
};

/// A `lock` service: released by anyone, not reentrant.
caf::actor spawn_lock_service(caf::actor_system& sys);

/// An `rlock` service: owned by one thread, reentrant.
caf::actor spawn_rlock_service(caf::actor_system& sys);

} // namespace actorpool::detail
