#pragma once

#include <caf/fwd.hpp>

#include "actorpool/detail/worker_kind.hpp"
#include "coordinator/coordinator_core.hpp"

namespace actorpool::detail {

/// Spawns a pool's coordinator actor in `sys`. It starts `cfg.processes`
/// workers right away: processes (then `sys` must have the middleman
/// loaded) or threads of this process.
///
/// Besides the `pool_actor` interface it understands:
/// - `(submit_atom, name, std::vector<encoded_chunk>, job_ptr)`
/// - `(stream_atom, name, caf::actor feeder, stream_job_ptr, size_t budget)`
/// - `(credit_atom, uint64_t sid, size_t n)` from stream consumers
/// - `(input_atom, sid, std::vector<encoded_chunk>, bool end)` and
///   `(input_atom, sid, std::exception_ptr)` from feeders
/// - `(ready_atom)` -> `bool`, or the error that kept workers from starting
/// and the messages of its brokers and timers.
caf::actor spawn_coordinator(caf::actor_system& sys, pool_config cfg,
                             worker_kind kind = worker_kind::processes);

} // namespace actorpool::detail
