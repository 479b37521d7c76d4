#pragma once

#include <cstddef>

namespace actorpool::detail {

/// A `process` ran its task: remember the exit code and stop reading, so that
/// the worker winds down and exits with `exit_code`.
void finish_process_target(int exit_code, int fd);

/// True once `finish_process_target` was called.
bool process_target_done() noexcept;

/// Serves tasks on the socket `fd`, whose frames are at most `max_frame_size`
/// long both ways, until the parent shuts the worker down (returns the
/// process exit code) or goes away (exits the process at once).
int run_worker(int fd, size_t max_frame_size);

} // namespace actorpool::detail
