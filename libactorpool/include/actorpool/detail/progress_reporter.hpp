#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>

#include "actorpool/detail/job.hpp"
#include "actorpool/progress.hpp"

namespace actorpool::detail {

/// The figures behind `progress` reports of one run: plain bookkeeping,
/// the time given by the caller (so it can be checked without a clock).
/// Not thread-safe; `progress_reporter` guards it.
class progress_meter {
public:
  using clock_type = std::chrono::steady_clock;

  /// A run over `total` items (`nullopt`: unknown until the input ends),
  /// started at `start`.
  progress_meter(std::optional<uint64_t> total, clock_type::time_point start);

  /// `n` more items were taken from the input.
  void add_read(uint64_t n) noexcept {
    read_ += n;
  }

  /// The input has ended: the total is what was read (unless known).
  void end_of_input() noexcept {
    if (!total_)
      total_ = read_;
  }

  /// `n` more items have their results (or failures).
  void add_completed(uint64_t n) noexcept {
    completed_ += n;
  }

  /// The report at `now`: rate since the start, and an ETA when the total
  /// is known and the rate is not zero.
  progress snapshot(clock_type::time_point now, bool finished) const;

private:
  std::optional<uint64_t> total_;
  uint64_t read_ = 0;
  uint64_t completed_ = 0;
  clock_type::time_point start_;
};

/// Reports the progress of one call or stream to a user's observer, the
/// one mechanism behind every `on_progress` option. Counts come from any
/// thread (the coordinator, a feeder, a producer); the observer runs on the
/// pool's callback executor (inline without one), at most once per
/// interval while results arrive, then exactly once with `finished` set.
/// After that final report it is never called again. Thread-safe.
class progress_reporter
  : public std::enable_shared_from_this<progress_reporter> {
public:
  /// Reports to `fn` every `interval` at most, on `exec`.
  progress_reporter(progress_observer fn, std::chrono::milliseconds interval,
                    std::optional<uint64_t> total, executor_ptr exec);

  /// A reporter, or null when `fn` is empty (no observer: nothing to do).
  static std::shared_ptr<progress_reporter>
  make(const progress_observer& fn, std::chrono::milliseconds interval,
       std::optional<uint64_t> total, executor_ptr exec);

  void add_read(uint64_t n);

  void end_of_input();

  /// Counts `n` results; posts a report when the interval has passed since
  /// the last one was posted.
  void add_completed(uint64_t n);

  /// Posts the final report unless it was posted or made already. Cheap;
  /// for a thread that must not wait (the coordinator's).
  void finish();

  /// Makes the final report now on the executor's thread, unless made
  /// already; for code running there.
  void finish_here();

  /// Returns once the final report has been made: makes it right away on
  /// the executor's thread, else posts it and waits for the executor.
  void finish_and_wait();

  /// Whether the final report has been made.
  bool finished() const;

private:
  using clock_type = progress_meter::clock_type;

  /// Makes a report (the final one if `last`) unless the final one was made.
  void run(bool last);

  mutable std::mutex mtx_;
  std::condition_variable cv_;
  progress_meter meter_;
  std::chrono::milliseconds interval_;
  clock_type::time_point last_post_;
  bool final_posted_ = false;
  bool done_ = false;
  executor_ptr exec_;
  /// Called on the executor's thread only (one report at a time).
  progress_observer fn_;
};

using progress_reporter_ptr = std::shared_ptr<progress_reporter>;

} // namespace actorpool::detail
