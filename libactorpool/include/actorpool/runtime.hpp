#pragma once

#include <memory>

#include <caf/fwd.hpp>

namespace actorpool {

/// The actor system behind pools created without one: started on first use
/// (with `caf::io::middleman` loaded and one scheduler thread per CPU, at
/// least two). Pools created with an explicit `caf::actor_system&` do not
/// use it.
///
/// At program exit (among the exit handlers, in reverse order of
/// construction) it stops what still runs in it and waits until that has
/// ended: first the shared objects (locks, queues, ...; their waiting calls
/// fail), then the pools (their workers are killed and reaped, as Python's
/// exit handler terminates pools) and the processes (a daemon is killed, any
/// other joined). Then the system is shut down, unless a pool, process or
/// shared object still exists (held by a static or a leaked object): the
/// system is then left to the end of the process, so that destroying that
/// object later in the exit handlers is safe (a pool's destructor then finds
/// its work ended).
caf::actor_system& default_system();

namespace detail {

/// When the default system stops an actor it tracks at program exit.
enum class stop_order {
  /// Shared objects: asked to stop (their waiting calls fail), first.
  first,
  /// Pools, processes, input readers, callback threads: killed after.
  last,
};

/// Registers an actor that `default_system()` must stop at program exit,
/// and waits for, so that a pool or result leaked by the program can neither
/// block exit nor leave a worker behind.
void track_actor(caf::actor_system& sys, const caf::actor& x,
                 stop_order order = stop_order::last);

/// A token that keeps the default system from being shut down at program
/// exit while it lives (see `default_system`); null for other systems.
/// Objects that refer to the system's actors after construction hold one.
std::shared_ptr<void> hold_system(caf::actor_system& sys);

} // namespace detail

} // namespace actorpool
