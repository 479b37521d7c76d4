#pragma once

namespace actorpool::detail {

/// Announces that a child process is about to be started; false (start
/// nothing) once a fatal signal is ending the program. Every `true` must be
/// followed by `register_child` or `spawn_failed`. The first call installs
/// handlers for SIGINT, SIGTERM and SIGHUP (only where the program kept the
/// default action): they wait for starts in progress, kill and reap every
/// recorded child, then let the signal end the program as it would have.
bool begin_spawn() noexcept;

/// Records a child started after `begin_spawn`, so that a fatal signal does
/// not leave it behind. Lock-free and async-signal-safe to read; holds up to
/// 4096 children (more are still killed by their parent-death signal).
void register_child(int pid) noexcept;

/// The start announced by `begin_spawn` did not happen.
void spawn_failed() noexcept;

/// The child `pid` has ended and is about to be reaped.
void unregister_child(int pid) noexcept;

} // namespace actorpool::detail
