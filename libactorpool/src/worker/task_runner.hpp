#pragma once

#include <caf/fwd.hpp>

#include "worker/result_outbox.hpp"
#include "worker/task_board.hpp"
#include "worker/worker_channel.hpp"

namespace actorpool::detail {

/// Spawns the detached actor that runs tasks one after another and hands
/// their results to `outbox` (closing it when it stops).
caf::actor spawn_task_runner(caf::actor_system& sys, worker_channel* out,
                             task_board* board, result_outbox* outbox);

/// Spawns the detached actor that sends results waiting in `outbox` behind
/// a long task (see `result_outbox::watch`); it stops once `outbox` closes.
caf::actor spawn_result_watcher(caf::actor_system& sys, result_outbox* outbox);

} // namespace actorpool::detail
