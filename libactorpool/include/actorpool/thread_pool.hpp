#pragma once

#include <caf/fwd.hpp>

#include "actorpool/pool.hpp"
#include "actorpool/pool_options.hpp"

namespace actorpool {

/// A pool whose workers are threads of this process (Python:
/// `multiprocessing.dummy.Pool`).
///
/// It is a `pool`: every member function, `actor()`, `wait` and
/// `as_completed`, `call_options` and `this_task` work as they do with
/// processes, through the same coordinator (windows, early termination,
/// streams, cancellation and timeouts). Each worker is a detached actor of
/// the pool's actor system, running registered tasks one after another;
/// arguments and results still travel encoded, as with processes.
///
/// What threads change: a running task cannot be killed. A chunk past its
/// timeout fails with `timeout_error` at the deadline and a new thread takes
/// its place, while the old one runs on, counted in
/// `pool_stats::stuck_threads` until its task returns (its result is
/// dropped; the program's actor system waits for it when it shuts down).
/// `terminate` lets running threads go the same way. Cancellation is
/// cooperative only (`this_task::cancelled`), a task that crashes ends the
/// whole program, and `max_worker_memory` has no effect (threads share the
/// process's memory). `pool_options::processes` is the number of threads.
class thread_pool : public pool {
public:
  /// Starts `cpu_count()` threads and waits until they are ready.
  thread_pool();

  /// Starts `threads` threads; throws `bad_argument` if `threads < 1`.
  explicit thread_pool(long threads);

  /// Starts a pool as configured; throws `bad_argument` for invalid options
  /// and `start_error` if the initializer fails.
  explicit thread_pool(const pool_options& opts);

  /// Like `thread_pool(opts)`, inside an actor system of the caller's (no
  /// middleman needed).
  thread_pool(caf::actor_system& sys, const pool_options& opts);

  thread_pool(thread_pool&&) noexcept = default;
};

} // namespace actorpool
