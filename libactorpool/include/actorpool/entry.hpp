#pragma once

namespace actorpool {

/// Turns this process into a pool worker if it was started as one.
///
/// A pool starts its workers by executing the program again with an
/// environment variable set. Programs that link `actorpool::actorpool`
/// through CMake call this automatically before `main` (the target adds
/// `-Wl,--wrap=main` and a small entry object), so the code in `main` never
/// runs in a worker. Without CMake, either link the same way or call
/// `if (int rc = actorpool::serve_if_worker(); rc >= 0) return rc;` as the
/// first statement of `main`.
///
/// Returns -1 in an ordinary process. In a worker process it serves tasks and
/// returns the exit code once the pool lets the worker go (the process exits
/// on its own if the pool goes away first).
int serve_if_worker();

} // namespace actorpool
