#pragma once

// The service behind `event`: the flag and the callers waiting for it.

#include <cstdint>
#include <deque>
#include <string>

#include <caf/actor.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/fwd.hpp>

#include "internal/sync_service.hpp"

namespace actorpool::detail {

/// Operations (payload -> reply payload):
enum event_op : uint8_t {
  /// () -> ().
  event_set = 1,
  /// () -> ().
  event_clear = 2,
  /// () -> bool.
  event_is_set = 3,
  /// int64 timeout_ns (-1 forever) -> bool (the flag when it returns).
  event_wait = 4,
  /// () -> uint32 waiters.
  event_describe = 5,
};

struct event_waiter {
  uint64_t id = 0;
  client_key client;
  reply_promise rp;
};

/// The event's state; methods answer calls (see `event_op`).
class event_state {
public:
  static inline const char* name = "actorpool.event";

  void init(caf::event_based_actor* self, bool flag) {
    self_ = self;
    flag_ = flag;
  }

  caf::result<std::string> on_call(client_key c, uint8_t op,
                                   const std::string& payload);

  void on_timer(uint64_t id);

  void on_client_down(int32_t pid);

  void on_exit();

private:
  caf::result<std::string> wait(client_key c, int64_t timeout);

  /// Sets the flag and wakes every waiter.
  void set();

  caf::event_based_actor* self_ = nullptr;
  bool flag_ = false;
  std::deque<event_waiter> waiters_;
  uint64_t next_id_ = 1;
};

/// Spawns an event service whose flag starts as `flag`.
caf::actor spawn_event_service(caf::actor_system& sys, bool flag = false);

} // namespace actorpool::detail
