#pragma once

#include <caf/fwd.hpp>

#include "actorpool/detail/job.hpp"
#include "actorpool/detail/stream_input.hpp"

namespace actorpool::detail {

/// Spawns the detached actor that reads a stream's input on demand: for
/// `(pull_atom, sid, n)` it calls `src` up to `n` times and answers the
/// coordinator with `(input_atom, sid, chunks, end)`, or with
/// `(input_atom, sid, exception)` when the input throws.
caf::actor spawn_feeder(caf::actor_system& sys, caf::actor coordinator,
                        chunk_source src);

} // namespace actorpool::detail
