#pragma once

#include <caf/fwd.hpp>

#include "transport/messages.hpp"
#include "worker/result_outbox.hpp"
#include "worker/task_board.hpp"
#include "worker/worker_channel.hpp"

namespace actorpool::detail {

/// Runs chunk `t` of a registered task in the calling thread, as a worker
/// does: decodes its arguments, calls the task and encodes its results, or
/// reports its failure (an unknown task, a codec error, the task's
/// exception); `exec_us` is the time it took.
result_msg run_registered_task(const task_msg& t);

/// Spawns the detached actor that runs tasks one after another and hands
/// their results to `outbox` (closing it when it stops).
caf::actor spawn_task_runner(caf::actor_system& sys, worker_channel* out,
                             task_board* board, result_outbox* outbox);

/// Spawns the detached actor that sends results waiting in `outbox` behind
/// a long task (see `result_outbox::watch`); it stops once `outbox` closes.
caf::actor spawn_result_watcher(caf::actor_system& sys, result_outbox* outbox);

} // namespace actorpool::detail
