#pragma once

#include <chrono>
#include <cstddef>
#include <iterator>
#include <memory>
#include <optional>
#include <vector>

#include "actorpool/async_result.hpp"
#include "actorpool/detail/next_iterator.hpp"

namespace actorpool {

/// When `wait` returns (Python: `concurrent.futures.FIRST_COMPLETED`, ...).
enum class return_when {
  /// As soon as any result is ready.
  first_completed,
  /// As soon as any result failed, or when all are ready.
  first_exception,
  /// When every result is ready.
  all_completed,
};

/// What `wait` found: indexes into the vector it was given, each list in
/// increasing order.
struct wait_outcome {
  std::vector<size_t> done;
  std::vector<size_t> not_done;
};

namespace detail {

using state_list = std::vector<std::shared_ptr<result_state>>;

wait_outcome wait_states(const state_list& sts, return_when when,
                         std::optional<std::chrono::nanoseconds> timeout);

/// Hands out the indexes of results in the order they become ready.
class completion_queue {
public:
  explicit completion_queue(const state_list& sts);

  /// The next ready index, `nullopt` once all were handed out; throws
  /// `timeout_error` after `deadline`.
  std::optional<size_t>
  next(std::optional<std::chrono::steady_clock::time_point> deadline);

private:
  struct shared;
  std::shared_ptr<shared> sh_;
  size_t left_;
};

template <class T>
state_list states_of(const std::vector<async_result<T>>& rs) {
  state_list result;
  result.reserve(rs.size());
  for (auto& r : rs)
    result.push_back(r.state());
  return result;
}

} // namespace detail

/// Waits until the results satisfy `when` or `timeout` passed (Python:
/// `concurrent.futures.wait`). Never throws the results' errors; look at
/// them with `successful()` and `get()`. Cost: one listener per result.
template <class T>
wait_outcome wait(const std::vector<async_result<T>>& rs,
                  return_when when = return_when::all_completed) {
  return detail::wait_states(detail::states_of(rs), when, std::nullopt);
}

template <class T, class Rep, class Period>
wait_outcome wait(const std::vector<async_result<T>>& rs, return_when when,
                  std::chrono::duration<Rep, Period> timeout) {
  return detail::wait_states(detail::states_of(rs), when,
                             std::chrono::duration_cast<
                               std::chrono::nanoseconds>(timeout));
}

/// The results of `rs` in the order they complete (Python:
/// `concurrent.futures.as_completed`), for range-based `for`; those ready
/// already come first. With a timeout, advancing past a result that is not
/// ready by then throws `timeout_error`. Single pass, one consumer.
template <class T>
class as_completed_range {
public:
  as_completed_range(std::vector<async_result<T>> rs,
                     std::optional<std::chrono::nanoseconds> timeout)
    : rs_(std::move(rs)), queue_(detail::states_of(rs_)) {
    if (timeout)
      deadline_ = std::chrono::steady_clock::now() + *timeout;
  }

  /// The next completed result, `nullopt` after the last.
  std::optional<async_result<T>> next() {
    auto i = queue_.next(deadline_);
    if (!i)
      return std::nullopt;
    return rs_[*i];
  }

  using iterator = detail::next_iterator<as_completed_range, async_result<T>>;

  iterator begin() {
    return iterator{this};
  }

  iterator end() {
    return iterator{};
  }

private:
  std::vector<async_result<T>> rs_;
  detail::completion_queue queue_;
  std::optional<std::chrono::steady_clock::time_point> deadline_;
};

template <class T>
as_completed_range<T> as_completed(std::vector<async_result<T>> rs) {
  return as_completed_range<T>{std::move(rs), std::nullopt};
}

template <class T, class Rep, class Period>
as_completed_range<T> as_completed(std::vector<async_result<T>> rs,
                                   std::chrono::duration<Rep, Period> timeout) {
  return as_completed_range<
    T>{std::move(rs),
       std::chrono::duration_cast<std::chrono::nanoseconds>(timeout)};
}

} // namespace actorpool
