#pragma once

// Who this process is: the main program, or a worker that a pool or a
// `process` started. The one home of that knowledge: the worker's entry sets
// its identity once, its serve loop installs the task board and the call
// table its task code uses (`this_task`, service handles), and everybody
// else asks here.

#include <string>

namespace actorpool::detail {

class task_board;
class call_table;

// The environment a parent hands a worker it starts: the contract between
// os/spawn (which writes it) and the worker's entry (which reads it).

/// Environment variable that tells a re-executed program to serve as a
/// worker: `"<fd>,<parent pid>"`.
constexpr const char* worker_env_var = "ACTORPOOL_WORKER";

/// Variables that describe the worker to itself (`current_process()`).
constexpr const char* worker_name_env_var = "ACTORPOOL_NAME";
constexpr const char* parent_name_env_var = "ACTORPOOL_PARENT_NAME";
constexpr const char* daemon_env_var = "ACTORPOOL_DAEMON";

/// The frame size limit the worker enforces on its socket, both ways, in
/// bytes (see `parse_frame_limit`).
constexpr const char* max_frame_env_var = "ACTORPOOL_MAX_FRAME";

/// The descriptor number the worker's socket end gets in the child.
constexpr int worker_fd = 3;

/// What a worker process knows about itself, from its environment at start.
struct worker_identity {
  std::string name;
  bool daemon = false;
  int parent_pid = 0;
  std::string parent_name;
};

/// This process as a worker, or null in the main program.
const worker_identity* this_worker() noexcept;

/// Makes this process a worker described by `id` (once, at its entry).
void become_worker(worker_identity id);

/// The task board of the task running on this thread: the one of a worker
/// thread of a `thread_pool` while it runs a task, else the one of this
/// worker process while it serves, or null.
task_board* worker_board() noexcept;

/// Installs (or, with null, removes) the board of a worker thread's task on
/// the calling thread.
void set_thread_board(task_board* board) noexcept;

/// The call table of this worker while it serves, or null: service calls of
/// task code travel over the worker's socket through it.
call_table* worker_calls() noexcept;

/// Installs (or, with nulls, removes) what task code of a serving worker
/// uses.
void set_worker_services(task_board* board, call_table* calls) noexcept;

} // namespace actorpool::detail
