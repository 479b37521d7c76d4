#pragma once

#include <caf/fwd.hpp>

namespace actorpool {

/// The actor system behind pools created without one: started on first use
/// (with `caf::io::middleman` loaded and one scheduler thread per CPU, at
/// least two), shut down at program exit after stopping what still runs in
/// it. Pools created with an explicit `caf::actor_system&` do not use it.
caf::actor_system& default_system();

namespace detail {

/// Registers an actor that `default_system()` must stop before shutting
/// down, so that a pool or result leaked by the program cannot block exit.
void track_actor(caf::actor_system& sys, const caf::actor& x);

} // namespace detail

} // namespace actorpool
