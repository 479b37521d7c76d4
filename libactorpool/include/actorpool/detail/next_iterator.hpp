#pragma once

#include <cstddef>
#include <iterator>
#include <optional>

namespace actorpool::detail {

/// The input iterator of a single-pass sequence whose `Owner` hands out
/// items with `std::optional<T> next()` (`nullopt` at the end): it holds the
/// current item and asks for the next one on `++`. An iterator at the end
/// equals the default-constructed one. The item may be moved out of `*it`
/// (`for (auto& x : seq)` then `std::move(x)`), so `T` need only be
/// movable.
template <class Owner, class T>
class next_iterator {
public:
  using iterator_category = std::input_iterator_tag;
  using value_type = T;
  using difference_type = std::ptrdiff_t;
  using pointer = T*;
  using reference = T&;

  next_iterator() = default;

  /// Takes the first item of `owner` (or ends at once).
  explicit next_iterator(Owner* owner) : owner_(owner) {
    ++*this;
  }

  reference operator*() {
    return *current_;
  }

  const T& operator*() const {
    return *current_;
  }

  pointer operator->() {
    return &*current_;
  }

  const T* operator->() const {
    return &*current_;
  }

  next_iterator& operator++() {
    current_.reset();
    if (auto x = owner_->next())
      current_.emplace(std::move(*x));
    else
      owner_ = nullptr;
    return *this;
  }

  bool operator==(const next_iterator& other) const noexcept {
    return owner_ == other.owner_;
  }

  bool operator!=(const next_iterator& other) const noexcept {
    return owner_ != other.owner_;
  }

private:
  Owner* owner_ = nullptr;
  std::optional<T> current_;
};

} // namespace actorpool::detail
