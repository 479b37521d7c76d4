#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "worker/task_board.hpp"

namespace actorpool::detail {

/// What a worker thread shares with the `thread_link` that runs it: its
/// task board (cancels and revokes reach it from the coordinator's thread)
/// and whether the pool let it go. A thread cannot be killed: once
/// abandoned it runs no further task and sends nothing, and while the task
/// it was running goes on it counts in `stuck`.
class thread_slot {
public:
  /// `stuck` counts the abandoned threads still running a task.
  thread_slot(int number, std::shared_ptr<std::atomic<size_t>> stuck);

  int number() const noexcept {
    return number_;
  }

  task_board& board() noexcept {
    return board_;
  }

  /// The thread starts a task; false if it was abandoned (it quits).
  bool begin_task();

  /// The thread finished its task; false if it was abandoned meanwhile (its
  /// result is dropped).
  bool end_task();

  /// The pool lets the thread go; true if it is running a task (stuck).
  bool abandon();

  bool abandoned() const;

private:
  int number_;
  task_board board_;
  std::shared_ptr<std::atomic<size_t>> stuck_;
  mutable std::mutex mtx_;
  bool busy_ = false;
  bool abandoned_ = false;
};

/// Spawns the detached actor of worker thread `wid`: it says hello to
/// `coordinator` at once, runs each `(tasks_atom, std::vector<task_msg>)`
/// batch in order through the task registry (as a worker process does),
/// sending each result as `(results_atom, wid, std::vector<result_msg>)`,
/// answers `(init_atom, task_msg)` likewise, and on `(shutdown_atom)` sends
/// `(down_atom, wid, "connection closed")` and quits. `this_task` reads the
/// slot's board while a task runs.
caf::actor spawn_thread_worker(caf::actor_system& sys, caf::actor coordinator,
                               uint64_t wid, std::shared_ptr<thread_slot> slot);

} // namespace actorpool::detail
