#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <unordered_set>

#include <caf/fwd.hpp>

namespace actorpool::detail {

/// Task ids the parent cancelled; shared by the child's broker (writer) and
/// its task runner (reader), which run on different threads.
class cancel_set {
public:
  void add(uint64_t id);

  /// Removes `id` and returns whether it was there.
  bool take(uint64_t id);

private:
  std::mutex mtx_;
  std::unordered_set<uint64_t> ids_;
};

/// Serves tasks on the socket `fd` until the parent shuts the worker down
/// (returns the process exit code) or goes away (exits the process at once).
int run_worker(int fd);

/// Spawns the child's broker on `fd`: frames from the parent go to `runner`,
/// results from `runner` go back as frames. It says hello first.
caf::actor spawn_child_broker(caf::actor_system& sys, int fd, caf::actor runner,
                              cancel_set* cancelled);

/// Spawns the child's task runner, a detached actor that runs tasks one after
/// another and sends their results back to the sender of the work (the
/// broker).
caf::actor spawn_task_runner(caf::actor_system& sys, cancel_set* cancelled);

} // namespace actorpool::detail
