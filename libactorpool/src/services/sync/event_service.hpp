#pragma once

// The service behind `event`: the flag and the callers waiting for it.

#include <cstdint>
#include <deque>
#include <string>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "services/service_actor.hpp"
#include "services/service_protocol.hpp"
#include "services/service_state.hpp"

namespace actorpool::detail {

/// Operations (arguments -> reply; request format: services/README.md):
enum class event_op : service_op {
  /// () -> ().
  set = 1,
  /// () -> ().
  clear = 2,
  /// () -> bool.
  is_set = 3,
  /// int64 timeout (`wait_forever`) -> bool (the flag when it returns).
  wait = 4,
  /// () -> uint32 waiters.
  describe = 5,
};

/// The event's state; methods answer calls (see `event_op`).
class event_state : public service_state {
public:
  static inline const char* name = "actorpool.event";

  void init(caf::event_based_actor* self, bool flag) {
    attach(self);
    flag_ = flag;
  }

  service_result on_call(client_id c, uint8_t op, const std::string& payload);

  void on_timer(uint64_t id);

  void on_client_down(int32_t pid);

  void on_exit();

private:
  service_result wait(client_id c, int64_t timeout);

  /// Sets the flag and wakes every waiter.
  void set();

  bool flag_ = false;
  std::deque<waiter> waiters_;
};

/// Spawns an event service whose flag starts as `flag`.
caf::actor spawn_event_service(caf::actor_system& sys, bool flag = false);

} // namespace actorpool::detail
