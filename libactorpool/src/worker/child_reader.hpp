#pragma once

#include <caf/fwd.hpp>

#include "worker/call_table.hpp"
#include "worker/task_board.hpp"
#include "worker/worker_channel.hpp"

namespace actorpool::detail {

/// Spawns the detached actor that reads frames from the parent (blocking
/// reads: it does nothing else), hands work to `runner` and replies to
/// service calls to `calls`.
caf::actor spawn_child_reader(caf::actor_system& sys, int fd, caf::actor runner,
                              worker_channel* out, task_board* board,
                              call_table* calls);

} // namespace actorpool::detail
