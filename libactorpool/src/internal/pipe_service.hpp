#pragma once

#include <caf/fwd.hpp>

namespace actorpool::detail {

/// Spawns the service actor behind the two `connection`s of a `pipe`
/// (protocol: `pipe_op` in actorpool/connection.hpp and
/// internal/service_registry.hpp). For each end it keeps the items sent to
/// it, the calls waiting in `recv` or `poll`, whether it is closed, and the
/// process that used it last; `client_down` for that process closes the end.
/// It never blocks. An exit message fails every waiting call with
/// `end_of_file` before the actor quits.
caf::actor spawn_pipe_service(caf::actor_system& sys, bool duplex);

} // namespace actorpool::detail
