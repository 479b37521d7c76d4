#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <caf/fwd.hpp>

#include "transport/messages.hpp"

namespace actorpool::detail {

/// What a `process` object and its supervising actor share.
struct process_state {
  std::string name;
  bool daemon = false;
  std::mutex mtx;
  std::condition_variable cv;
  int pid = 0;
  std::optional<int> exitcode;

  /// Records how the process ended and wakes joiners.
  void set_exit(int code);

  /// Waits until the process ended or `timeout` passed (forever without).
  bool wait(std::optional<std::chrono::milliseconds> timeout);

  bool ended();
};

/// Spawns the actor that supervises one `process`: on `(start_atom)` it
/// starts the child (answering its pid, or the error), sends it `target` once
/// it said hello, forwards its service calls through a parent broker, reaps
/// it when its socket closes, records the exit code in `st`, tells the
/// services the process is gone, and quits. On `(stop_atom)` it sends the
/// child SIGTERM, and SIGKILL if it still runs a second later. Killed early
/// (program exit), it waits for a non-daemon child and kills a daemon one.
caf::actor spawn_process_actor(caf::actor_system& sys, task_msg target,
                               std::shared_ptr<process_state> st);

} // namespace actorpool::detail
