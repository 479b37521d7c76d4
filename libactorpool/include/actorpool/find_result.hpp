#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>

#include "actorpool/exceptions.hpp"
#include "actorpool/progress.hpp"

namespace actorpool {

/// Which match `find_first` reports when several results satisfy the
/// predicate.
enum class find_policy {
  /// The first matching result to arrive (fastest: the search stops at once).
  first_arrival,
  /// The match with the lowest input index, as a sequential search would
  /// find it: on a match, inputs after it are cancelled while the ones
  /// before it still run, since one of them may match too.
  lowest_index,
};

/// Settings of a `find_first`, chainable:
/// `find_options{}.policy(find_policy::lowest_index).window(64)`.
///
/// **Progress** (`on_progress`): the observer is called with the search's
/// progress at most every `interval`, and once at the end, on the pool's
/// callback thread, as the `call_options` describe: the final report comes
/// before the search's result is set, also when it fails or is cancelled.
class find_options : public progress_option<find_options> {
public:
  find_options& policy(find_policy x) noexcept {
    policy_ = x;
    return *this;
  }

  find_policy policy() const noexcept {
    return policy_;
  }

  /// Inputs per task message (default 1: the finest stop).
  find_options& chunksize(size_t n) noexcept {
    chunksize_ = n;
    return *this;
  }

  size_t chunksize() const noexcept {
    return chunksize_;
  }

  /// Chunks read from the input but not yet evaluated, at most (default 0:
  /// 64 per worker). Bounds the memory of a search over any input length.
  find_options& window(size_t n) noexcept {
    window_ = n;
    return *this;
  }

  size_t window() const noexcept {
    return window_;
  }

  /// Limit on one task's run time (default: the pool's `task_timeout`); a
  /// task over it fails with `timeout_error`, which ends the search.
  find_options& task_timeout(std::chrono::milliseconds t) noexcept {
    task_timeout_ = t;
    return *this;
  }

  std::chrono::milliseconds task_timeout() const noexcept {
    return task_timeout_;
  }

private:
  find_policy policy_ = find_policy::first_arrival;
  size_t chunksize_ = 1;
  size_t window_ = 0;
  std::chrono::milliseconds task_timeout_{0};
};

/// What a `find_first` found, and what it cost: the matching result and
/// its input index (if any input matched), and how the other inputs ended.
/// Counts are in input items: `completed` ran to the end (the match among
/// them), `cancelled` were running when the search stopped, `never_started`
/// were read from the input but never ran. Inputs the search never read are
/// in none of them.
template <class T>
class find_result {
public:
  find_result() = default;

  /// Whether an input matched.
  bool found() const noexcept {
    return value_.has_value();
  }

  explicit operator bool() const noexcept {
    return found();
  }

  /// The matching result; throws `state_error` if nothing matched.
  const T& value() const {
    if (!value_)
      throw state_error(errc::invalid_state, "find_first found no match");
    return *value_;
  }

  /// Index of the matching input (0-based, in input order); throws
  /// `state_error` if nothing matched.
  size_t index() const {
    if (!value_)
      throw state_error(errc::invalid_state, "find_first found no match");
    return index_;
  }

  uint64_t completed() const noexcept {
    return completed_;
  }

  uint64_t cancelled() const noexcept {
    return cancelled_;
  }

  uint64_t never_started() const noexcept {
    return never_started_;
  }

  /// Inputs that started to run: `completed() + cancelled()`.
  uint64_t started() const noexcept {
    return completed_ + cancelled_;
  }

  /// Time from the match reaching the pool to the last running task being
  /// stopped (zero without a match).
  std::chrono::nanoseconds stop_latency() const noexcept {
    return stop_latency_;
  }

  // -- for the pool ----------------------------------------------------------

  void set_match(T value, size_t index) {
    value_.emplace(std::move(value));
    index_ = index;
  }

  void set_counts(uint64_t completed, uint64_t cancelled,
                  uint64_t never_started) noexcept {
    completed_ = completed;
    cancelled_ = cancelled;
    never_started_ = never_started;
  }

  void set_stop_latency(std::chrono::nanoseconds x) noexcept {
    stop_latency_ = x;
  }

private:
  std::optional<T> value_;
  size_t index_ = 0;
  uint64_t completed_ = 0;
  uint64_t cancelled_ = 0;
  uint64_t never_started_ = 0;
  std::chrono::nanoseconds stop_latency_{0};
};

} // namespace actorpool
