#pragma once

#include <optional>
#include <string>

#include <caf/expected.hpp>

#include "base/this_process.hpp"

namespace actorpool::detail {

/// A started worker process and the parent's end of its socketpair.
struct spawned_process {
  int pid = -1;
  /// Parent end: AF_UNIX stream socket, close-on-exec.
  int fd = -1;
  /// Read ends of the pipes that are the child's stdout and stderr
  /// (close-on-exec), or -1 when the child shares the parent's.
  int out_fd = -1;
  int err_fd = -1;
};

/// Starts this program again (`/proc/self/exe`) as a worker: creates a
/// close-on-exec socketpair, hands the child its end as fd 3 with every other
/// inherited descriptor above 2 closed, resets the child's signal mask and
/// dispositions, and sets `ACTORPOOL_WORKER`. Never forks without exec, so it
/// is safe while the actor system's threads run. `name` and `daemon` are
/// what `current_process()` reports in the child; `max_frame_size` is the
/// longest frame the child reads and writes. With `capture_output`, the
/// child's stdout and stderr are the write ends of two new pipes whose read
/// ends the parent gets (else it shares the parent's descriptors 0 to 2).
/// Every failure is an `errc::worker_start_failed` error naming the system
/// call, and leaves no descriptor behind.
caf::expected<spawned_process>
spawn_worker_process(const std::string& name, bool daemon,
                     size_t max_frame_size, bool capture_output = false);

/// How a process ended, in Python's `exitcode` convention.
struct exit_status {
  /// Exit code (>= 0), or minus the signal number that killed it; 0 when the
  /// process was reaped by somebody else and its status is unknown.
  int code = 0;
  /// False when the status is unknown (ECHILD).
  bool known = true;
};

/// Non-blocking `waitpid`: the status once `pid` has ended, or `nullopt`
/// while it still runs.
std::optional<exit_status> try_reap(int pid);

/// Waits until `pid` has ended and reaps it.
exit_status reap_blocking(int pid);

/// Human-readable form: "exited with code 3", "killed by signal 9 (Killed)".
std::string describe(const exit_status& st);

/// Resident memory of process `pid` in bytes (from /proc), `nullopt` if it
/// cannot be read. Costs one small file read.
std::optional<size_t> resident_memory(int pid);

/// Sends `sig` to `pid`; ignores a process that is already gone.
void signal_process(int pid, int sig);

/// Closes a descriptor once (on Linux it is released even on EINTR).
void close_fd(int fd);

} // namespace actorpool::detail
