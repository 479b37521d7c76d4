#pragma once

#include <cstddef>
#include <iterator>
#include <optional>
#include <type_traits>
#include <utility>

#include "actorpool/detail/next_iterator.hpp"

namespace actorpool {

/// The integers `[first, last)` as a lazy range (Python: `range`), for
/// inputs too long to store: `p.find_first(f, irange(0, 50'000'000), ...)`.
/// Sized, so searches over it know their total.
template <class T>
class irange_view {
public:
  static_assert(std::is_integral_v<T>, "irange needs an integer type");

  class iterator {
  public:
    using iterator_category = std::input_iterator_tag;
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using pointer = const T*;
    using reference = T;

    iterator() = default;

    explicit iterator(T x) : x_(x) {
      // nop
    }

    T operator*() const noexcept {
      return x_;
    }

    iterator& operator++() noexcept {
      ++x_;
      return *this;
    }

    bool operator==(const iterator& other) const noexcept {
      return x_ == other.x_;
    }

    bool operator!=(const iterator& other) const noexcept {
      return x_ != other.x_;
    }

  private:
    T x_{};
  };

  irange_view(T first, T last)
    : first_(first), last_(last < first ? first : last) {
    // nop
  }

  iterator begin() const noexcept {
    return iterator{first_};
  }

  iterator end() const noexcept {
    return iterator{last_};
  }

  size_t size() const noexcept {
    return static_cast<size_t>(last_ - first_);
  }

private:
  T first_;
  T last_;
};

/// `[first, last)`; empty when `last <= first`.
template <class T>
irange_view<T> irange(T first, T last) {
  return irange_view<T>{first, last};
}

/// A lazy, possibly unbounded range made by a generator: `fn()` returns the
/// next item, or an empty `std::optional` at the end. The generator runs in
/// the pool's input reader, one call per item, as the pool needs input (for
/// a producer that never ends, stop with `find_first` or the consumer).
template <class Fn>
class generate_view {
public:
  using item_type = typename std::invoke_result_t<Fn&>::value_type;

  using iterator = detail::next_iterator<generate_view, item_type>;

  /// The next item (what the generator returns).
  std::optional<item_type> next() {
    return fn_();
  }

  explicit generate_view(Fn fn) : fn_(std::move(fn)) {
    // nop
  }

  /// Starts generating (call once: the range is single-pass).
  iterator begin() {
    return iterator{this};
  }

  iterator end() {
    return iterator{};
  }

private:
  Fn fn_;
};

/// A range of what `fn()` returns until it returns an empty optional.
template <class Fn>
generate_view<Fn> generate(Fn fn) {
  return generate_view<Fn>{std::move(fn)};
}

} // namespace actorpool
