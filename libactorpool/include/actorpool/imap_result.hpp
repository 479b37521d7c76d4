#pragma once

#include <chrono>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "actorpool/detail/chunking.hpp"
#include "actorpool/detail/closure_stream.hpp"
#include "actorpool/detail/codec.hpp"
#include "actorpool/detail/next_iterator.hpp"
#include "actorpool/detail/stream_state.hpp"
#include "actorpool/detail/task_checks.hpp"
#include "actorpool/exceptions.hpp"

namespace actorpool {

/// The lazy result sequence of `imap` and `imap_unordered` (Python: the
/// iterator they return). Results are decoded in the consumer's thread.
/// A task that failed raises its exception at its position and the sequence
/// goes on; an exception thrown by the input ends the sequence after
/// rethrowing it. Destroying the sequence early stops reading the input.
/// Not thread-safe: one consumer at a time.
template <class T>
class imap_result {
public:
  static_assert(!std::is_void_v<T>, "imap needs a task that returns a value");

  explicit imap_result(std::shared_ptr<detail::stream_state> st)
    : st_(std::move(st)) {
    // nop
  }

  /// A sequence whose results the chunks move into `moved` (a
  /// `thread_pool`'s closures).
  imap_result(std::shared_ptr<detail::stream_state> st,
              std::shared_ptr<detail::closure_stream<T>> moved)
    : st_(std::move(st)), moved_(std::move(moved)) {
    // nop
  }

  imap_result(imap_result&&) noexcept = default;

  imap_result& operator=(imap_result&&) noexcept = default;

  ~imap_result() {
    if (st_)
      st_->abandon();
    if (moved_)
      moved_->close(); // the closures not run yet go with the stream
  }

  /// The next result, or `nullopt` at the end. Throws the task's exception.
  std::optional<T> next() {
    return next_impl(std::nullopt);
  }

  /// Like `next()`, but throws `timeout_error` if no result arrives within
  /// `timeout` (Python: `next(timeout)`); the sequence stays usable.
  template <class Rep, class Period>
  std::optional<T> next(std::chrono::duration<Rep, Period> timeout) {
    return next_impl(
      std::chrono::duration_cast<std::chrono::nanoseconds>(timeout));
  }

  /// Input iterator over the remaining results, for range-based `for`.
  using iterator = detail::next_iterator<imap_result, T>;

  iterator begin() {
    return iterator{this};
  }

  iterator end() {
    return iterator{};
  }

private:
  std::optional<T> next_impl(std::optional<std::chrono::nanoseconds> timeout) {
    while (left_ == 0) {
      if (done_)
        return std::nullopt;
      detail::stream_chunk c;
      if (!st_->next(c, timeout))
        throw timeout_error(errc::timeout, "imap next() timed out");
      open(std::move(c));
    }
    --left_;
    if (moved_)
      return std::move(values_[values_.size() - left_ - 1]);
    return decode();
  }

  /// The next encoded result of the current chunk.
  T decode() {
    if constexpr (decodable) {
      T x{};
      detail::translate_codec_errors([&] { src_->read(x); });
      return x;
    } else {
      throw state_error(errc::invalid_state,
                        "an imap result that cannot be decoded");
    }
  }

  void open(detail::stream_chunk&& c) {
    using kind = detail::stream_chunk::kind;
    switch (c.what) {
      case kind::values:
        if (moved_) {
          values_ = moved_->take(c.index);
          left_ = static_cast<uint32_t>(values_.size());
          return;
        }
        chunk_ = std::make_unique<std::string>(std::move(c.payload));
        src_.emplace(*chunk_);
        left_ = c.count;
        return;
      case kind::task_error:
        if (moved_)
          moved_->rethrow(c.index);
        throw_error(c.err);
      case kind::input_error:
        done_ = true;
        std::rethrow_exception(c.input_error);
      case kind::end:
        done_ = true;
        if (c.err)
          throw_error(c.err);
        return;
    }
  }

  static constexpr bool decodable = detail::value_problem<T>()
                                    == detail::task_problem::none;

  std::shared_ptr<detail::stream_state> st_;
  // Results moved by closures (then `values_` holds the current chunk's).
  std::shared_ptr<detail::closure_stream<T>> moved_;
  std::vector<T> values_;
  // Heap-allocated so that moving the result keeps `src_` valid.
  std::unique_ptr<std::string> chunk_;
  std::optional<detail::decoder> src_;
  uint32_t left_ = 0;
  bool done_ = false;
};

} // namespace actorpool
