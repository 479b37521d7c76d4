#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <unordered_set>
#include <vector>

#include "transport/messages.hpp"

namespace actorpool::detail {

/// Which tasks a worker holds: forwarded to the runner but not started,
/// running, or dropped by a cancel or a revoke. Shared by the reader (which
/// learns of work, cancels and revokes) and the runner (which starts and
/// finishes tasks); task code reads the running task's cancellation through
/// `this_task`. A task id may be queued more than once (taken back, then
/// sent again): each revoke or cancel drops the earliest queued copy.
class task_board {
public:
  enum class cancel_outcome {
    /// Not started yet: it will be skipped; the caller reports it.
    dropped,
    /// Running: its cancellation flag is set.
    running,
    /// Finished or never seen: nothing to do.
    unknown,
  };

  void queued(const std::vector<task_msg>& batch);

  /// Marks `id` running; false if it was cancelled before it started.
  bool start(uint64_t id);

  void finish();

  cancel_outcome cancel(uint64_t id);

  /// Takes `id` back if it has not started: true if it will be skipped (the
  /// caller reports it as not started), false if it runs or ran already
  /// (its result comes as usual; unlike `cancel`, nothing is asked of it).
  bool revoke(uint64_t id);

  /// Whether the running task was cancelled (`this_task::cancelled()`).
  bool cancelled() const noexcept {
    return flag_.load(std::memory_order_relaxed);
  }

  /// Waits until `deadline` or until the running task is cancelled; returns
  /// false if it was cancelled.
  bool sleep_until(std::chrono::steady_clock::time_point deadline);

private:
  /// Moves one queued copy of `id` to the dropped ones; false if none.
  bool drop_pending(uint64_t id);

  std::mutex mtx_;
  std::condition_variable cv_;
  std::unordered_multiset<uint64_t> pending_;
  std::unordered_multiset<uint64_t> dropped_;
  uint64_t running_ = 0;
  std::atomic<bool> flag_{false};
};

} // namespace actorpool::detail
