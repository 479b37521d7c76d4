#pragma once

#include <string>

#include <caf/fwd.hpp>

#include "actorpool/detail/job.hpp"
#include "actorpool/detail/stream_state.hpp"

namespace actorpool::detail {

/// Spawns the detached actor that reads a stream's input on demand: for
/// `(pull_atom, sid, n)` it calls `src` up to `n` times and answers the
/// coordinator with `(input_atom, sid, chunks, end)`, or with
/// `(input_atom, sid, exception)` when the input throws.
caf::actor spawn_feeder(caf::actor_system& sys, caf::actor coordinator,
                        chunk_source src);

/// Returns an executor whose callbacks run one after another on a detached
/// actor of `sys`. Destroying the executor lets the actor finish the
/// callbacks posted so far, then stop. `owner` names the pool in reports of
/// callbacks that throw.
executor_ptr make_callback_executor(caf::actor_system& sys, std::string owner);

} // namespace actorpool::detail
