#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <utility>

#include "actorpool/async_result.hpp"
#include "actorpool/detail/chunking.hpp"
#include "actorpool/detail/push_gate.hpp"
#include "actorpool/detail/stream_state.hpp"
#include "actorpool/find_result.hpp"
#include "actorpool/imap_result.hpp"
#include "actorpool/progress.hpp"

namespace actorpool {

/// Settings of a `task_stream`, chainable.
///
/// **Progress** (`on_progress`): calls `fn` with the stream's progress as for
/// `call_options`: `read` counts the inputs put so far, `total` becomes
/// known with `close()`, and the final report comes before the consumer sees
/// the end, or when the stream is destroyed.
class stream_options : public progress_option<stream_options> {
public:
  /// Inputs between `put` and the consumer, at most (default 0: 64 per
  /// worker). A `put` waits while the window is full: memory stays bounded
  /// however long the stream runs.
  stream_options& window(size_t n) noexcept {
    window_ = n;
    return *this;
  }

  size_t window() const noexcept {
    return window_;
  }

  /// Results in input order (default false: as they complete).
  stream_options& ordered(bool x) noexcept {
    ordered_ = x;
    return *this;
  }

  bool ordered() const noexcept {
    return ordered_;
  }

  /// Limit on each task's run time (default: the pool's `task_timeout`).
  stream_options& task_timeout(std::chrono::milliseconds t) noexcept {
    timeout_ = t;
    return *this;
  }

  std::chrono::milliseconds task_timeout() const noexcept {
    return timeout_;
  }

private:
  size_t window_ = 0;
  bool ordered_ = false;
  std::chrono::milliseconds timeout_{0};
};

namespace detail {

/// The producer half shared by `task_stream` and `task_search`.
template <class ArgsTuple>
class stream_producer {
public:
  explicit stream_producer(std::shared_ptr<push_gate> gate)
    : gate_(std::move(gate)) {
    // nop
  }

  /// Submits one call with the arguments `xs`; waits while the window is
  /// full. Returns false (and submits nothing) once the input has ended:
  /// the stream was closed or stopped, the search found its match, or the
  /// pool was closed, terminated, broken or destroyed; a `put` waiting for
  /// room then returns false at once. Safe to call from several threads.
  template <class... Ts>
  bool put(Ts&&... xs) const {
    return gate_->put(encode_call<ArgsTuple>(std::forward<Ts>(xs)...),
                      std::nullopt);
  }

  /// Like `put`, but throws `timeout_error` when no room came within
  /// `timeout` and the input is still open (nothing was submitted then).
  template <class Rep, class Period, class... Ts>
  bool put_for(std::chrono::duration<Rep, Period> timeout, Ts&&... xs) const {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    return gate_->put(encode_call<ArgsTuple>(std::forward<Ts>(xs)...),
                      deadline);
  }

  /// Ends the input: results still come for what was put.
  void close() const {
    gate_->close();
  }

  /// Inputs put whose results the consumer has not taken yet.
  size_t in_flight() const {
    return gate_->in_flight();
  }

  /// The largest `in_flight()` so far (never above the window).
  size_t peak_in_flight() const {
    return gate_->peak_in_flight();
  }

  /// Producers waiting in `put` or `put_for` for room now.
  size_t waiting_producers() const {
    return gate_->waiting();
  }

protected:
  std::shared_ptr<push_gate> gate_;
};

} // namespace detail

/// A stream of calls of one task, fed by producer threads and consumed as
/// results come (Python: a thread submitting `apply_async` in a loop and a
/// thread calling `get()`, minus the unbounded list of futures). Made by
/// `pool::stream`. `put` waits while `window` inputs are in the pool or
/// waiting for the consumer; the consumer takes results with `next()` or a
/// range-`for` (one consumer thread); `stop()` drops what is queued and
/// cancels what runs. Destroying the stream stops it.
template <class R, class ArgsTuple>
class task_stream : public detail::stream_producer<ArgsTuple> {
public:
  task_stream(std::shared_ptr<detail::push_gate> gate,
              std::shared_ptr<detail::stream_state> st,
              std::function<void()> stopper)
    : detail::stream_producer<ArgsTuple>(std::move(gate)), results_(st),
      stop_(std::move(stopper)) {
    // nop
  }

  task_stream(task_stream&&) noexcept = default;

  task_stream& operator=(task_stream&&) noexcept = default;

  ~task_stream() {
    if (stop_)
      stop();
  }

  /// Stops the stream: producers' `put` returns false, queued inputs are
  /// dropped, running ones cancelled; the consumer gets the results that
  /// had arrived, then the end.
  void stop() {
    this->gate_->stop();
    stop_();
  }

  /// The next result, `nullopt` at the end (after `close()` or `stop()`).
  /// Throws the task's exception at its position.
  std::optional<R> next() {
    return results_.next();
  }

  /// Like `next()`, but throws `timeout_error` after `timeout`.
  template <class Rep, class Period>
  std::optional<R> next(std::chrono::duration<Rep, Period> timeout) {
    return results_.next(timeout);
  }

  auto begin() {
    return results_.begin();
  }

  auto end() {
    return results_.end();
  }

private:
  imap_result<R> results_;
  std::function<void()> stop_;
};

/// A push stream that searches (`pool::search`): inputs come from producer
/// threads, and the first result that satisfies the predicate stops the
/// stream as `find_first` would: `put` returns false from then on, and
/// `result()` gives the match, its index (the order of the puts) and the
/// counts. Call `close()` when the input ends without a match.
template <class R, class ArgsTuple>
class task_search : public detail::stream_producer<ArgsTuple> {
public:
  task_search(std::shared_ptr<detail::push_gate> gate,
              async_result<find_result<R>> result)
    : detail::stream_producer<ArgsTuple>(std::move(gate)),
      result_(std::move(result)) {
    // nop
  }

  /// Ready once the search stopped on a match, or after `close()` once
  /// every input put has been checked.
  const async_result<find_result<R>>& result() const noexcept {
    return result_;
  }

private:
  async_result<find_result<R>> result_;
};

} // namespace actorpool
