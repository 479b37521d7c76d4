#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <unordered_map>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "links/thread_worker.hpp"
#include "links/worker_link.hpp"

namespace actorpool::detail {

/// Workers as threads of this process: each is a detached actor (see
/// `spawn_thread_worker`) that runs registered tasks as a worker process
/// does and reports to the actor `self`, the coordinator. Cancels and
/// revokes take chunks off the thread's board at once; the chunks dropped
/// that way are reported as `not_started` in a results message to `self`.
///
/// A running thread cannot be killed: `kill` and `stop` abandon it. It runs
/// no further chunk and sends nothing more, the pool sees it gone at once
/// (its exit is reported without waiting), and until its running task
/// returns it counts in `stuck()`.
class thread_link : public worker_link {
public:
  explicit thread_link(caf::event_based_actor* self);

  /// Abandons the threads that are still there.
  ~thread_link() override;

  /// Abandoned threads still running a task.
  size_t stuck() const noexcept {
    return stuck_->load();
  }

  caf::expected<int> start(uint64_t wid, uint32_t place) override;

  std::string check_hello(uint64_t wid, const hello_msg& msg) override;

  void send_tasks(uint64_t wid, std::vector<task_msg> batch) override;

  void send_init(uint64_t wid, const task_msg& init) override;

  void send_shutdown(uint64_t wid) override;

  void send_cancel(uint64_t wid, uint64_t task) override;

  void send_revoke(uint64_t wid, std::vector<uint64_t> tasks) override;

  void disconnect(uint64_t wid) override;

  void stop(uint64_t wid) override;

  void kill(uint64_t wid) override;

  void watch_exit(uint64_t wid) override;

  worker_exit wait_exit(uint64_t wid) override;

  bool alive(uint64_t wid) override;

  std::optional<size_t> resident_bytes(uint64_t wid) override;

  void client_gone(uint64_t wid) override;

private:
  struct thread_rec {
    caf::actor actor;
    std::shared_ptr<thread_slot> slot;
    /// Set once the coordinator was told that the connection ended.
    bool down = false;
    /// Set when it was running a task as the pool let it go.
    bool stuck = false;
  };

  thread_rec* find(uint64_t wid);

  /// Lets the thread of `r` go (it quits after its running task).
  void abandon(thread_rec& r);

  /// Tells the coordinator (by a message to itself) that chunks `ids` of
  /// `wid` were dropped before they started.
  void report_dropped(uint64_t wid, const std::vector<uint64_t>& ids);

  worker_exit exit_of(const thread_rec& r) const;

  caf::event_based_actor* self_;
  int next_number_ = 1;
  std::shared_ptr<std::atomic<size_t>> stuck_;
  std::unordered_map<uint64_t, thread_rec> threads_;
};

} // namespace actorpool::detail
