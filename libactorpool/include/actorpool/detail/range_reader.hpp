#pragma once

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <optional>
#include <type_traits>
#include <utility>

#include "actorpool/detail/chunking.hpp"
#include "actorpool/detail/job.hpp"

namespace actorpool::detail {

template <class Range, class = void>
struct has_size : std::false_type {};

template <class Range>
struct has_size<Range,
                std::void_t<decltype(std::size(std::declval<const Range&>()))>>
  : std::true_type {};

/// The number of items of a sized range, `nullopt` for others.
template <class Range>
std::optional<uint64_t> size_of(const Range& xs) {
  if constexpr (has_size<std::decay_t<Range>>::value)
    return static_cast<uint64_t>(std::size(xs));
  else
    return std::nullopt;
}

/// Walks an input range lazily, a few items at a time, for the pool's input
/// readers. Holds the range itself when given an rvalue and a reference to
/// it otherwise (the caller then keeps it alive and unchanged while the
/// results are read).
template <class Range>
class range_cursor {
public:
  explicit range_cursor(Range&& xs) : range_(std::forward<Range>(xs)) {
    // nop
  }

  /// Calls `fn` with each of the next items, up to `n`, stopping early at
  /// the end of the range; returns how many items `fn` took.
  template <class Fn>
  uint32_t read(uint32_t n, Fn&& fn) {
    using std::begin;
    using std::end;
    if (!pos_) {
      pos_.emplace(begin(range_));
      end_.emplace(end(range_));
    }
    uint32_t taken = 0;
    while (taken < n) {
      // Advance only when the next item is needed: an input that throws on
      // advancing must not cost the chunk that is already complete.
      if (consumed_) {
        consumed_ = false;
        ++*pos_;
      }
      if (*pos_ == *end_)
        break;
      fn(**pos_);
      consumed_ = true;
      ++taken;
    }
    return taken;
  }

private:
  using iterator = decltype(std::begin(std::declval<Range&>()));
  using sentinel = decltype(std::end(std::declval<Range&>()));

  Range range_;
  std::optional<iterator> pos_;
  std::optional<sentinel> end_;
  bool consumed_ = false;
};

/// Reads an input range lazily, one chunk at a time, for `imap`: the items
/// of `range_cursor`, encoded as arguments of a task taking `ArgsTuple`.
template <class Range, class ArgsTuple, bool Star>
class range_reader {
public:
  range_reader(Range&& xs, size_t chunksize)
    : cursor_(std::forward<Range>(xs)),
      chunksize_(
        static_cast<uint32_t>(std::clamp<size_t>(chunksize, 1, UINT32_MAX))) {
    // nop
  }

  /// Fills `out` with up to `chunksize` encoded items; false at the end.
  bool next(encoded_chunk& out) {
    out.payload.clear();
    out.count = cursor_.read(chunksize_, [&out](auto&& x) {
      append_item<ArgsTuple, Star>(out.payload, x);
    });
    return out.count > 0;
  }

private:
  range_cursor<Range> cursor_;
  uint32_t chunksize_;
};

} // namespace actorpool::detail
