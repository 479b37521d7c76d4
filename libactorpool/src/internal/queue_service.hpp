#pragma once

#include <cstdint>

#include <caf/fwd.hpp>

namespace actorpool::detail {

/// What a queue service is made with.
struct queue_config {
  /// Most items held at once; 0 for no limit.
  uint64_t maxsize = 0;
  /// Counts unfinished items for `task_done` and `join`.
  bool joinable = false;
};

/// Spawns the service actor behind `queue`, `joinable_queue` and
/// `simple_queue` (protocol: `queue_op` in actorpool/queue.hpp and
/// internal/service_registry.hpp). It stores encoded items and never blocks:
/// a `get` on an empty queue, a `put` on a full one and a `join` are answered
/// later through response promises, timeouts by timer messages to itself. An
/// exit message (the last owning handle is gone, or a manager's shutdown)
/// fails every waiting call with `end_of_file` before the actor quits.
caf::actor spawn_queue_service(caf::actor_system& sys, queue_config cfg);

} // namespace actorpool::detail
