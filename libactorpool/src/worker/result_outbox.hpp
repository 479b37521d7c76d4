#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <vector>

#include "transport/frame.hpp"
#include "transport/messages.hpp"

namespace actorpool::detail {

/// Results of a worker's finished tasks on their way to the parent. Results
/// of short tasks travel in batches: a batch goes out once `flush_after` of
/// task time has accumulated, or when the runner asks (at the end of the
/// tasks it was given, before a task with a timeout). A result never waits
/// long behind a task that runs after it: once the running task has run for
/// `hold_limit`, `watch` (called in a loop by a thread of its own) sends the
/// waiting results, so that the parent soon sees which task really runs.
/// Costs the runner two uncontended mutex locks per task; the watching
/// thread wakes about once per `hold_limit` while results wait.
class result_outbox {
public:
  using clock = std::chrono::steady_clock;

  /// Sends one batch of results to the parent.
  using sink = std::function<void(std::vector<result_msg>&)>;

  /// `max_frame_size` bounds the frame a batch makes: a result that would
  /// take the batch past it sends the batch before it (each result must fit
  /// a frame on its own).
  explicit result_outbox(
    sink send, size_t max_frame_size = default_max_frame_size,
    std::chrono::microseconds flush_after = default_flush_after,
    std::chrono::microseconds hold_limit = default_hold_limit);

  /// Task time after which a batch goes out (so tiny tasks travel in
  /// batches and long ones report at once).
  static constexpr std::chrono::microseconds default_flush_after{200};

  /// How long results may wait behind a running task.
  static constexpr std::chrono::microseconds default_hold_limit{1000};

  /// A task started at `at`.
  void started(clock::time_point at);

  /// The running task ended with `r`; sends the batch if it is due.
  void finished(result_msg&& r);

  /// Sends the waiting results now (nothing if there are none).
  void flush();

  /// Blocks until results have waited `hold_limit` behind one running task,
  /// then sends them and returns true; returns false once closed.
  bool watch();

  /// Makes `watch` return false, now and from then on.
  void close();

private:
  void send_locked();

  sink send_;
  size_t max_frame_size_;
  std::chrono::microseconds flush_after_;
  std::chrono::microseconds hold_limit_;
  std::mutex mtx_;
  std::condition_variable cv_;
  std::vector<result_msg> pending_;
  /// Upper bound of the length of the frame that `pending_` makes.
  size_t pending_length_ = frame_overhead;
  uint64_t unflushed_us_ = 0;
  bool running_ = false;
  clock::time_point started_at_;
  /// The watcher waits for results behind a running task (needs a wake-up).
  bool parked_ = false;
  bool closed_ = false;
};

} // namespace actorpool::detail
