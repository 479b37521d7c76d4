#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <caf/meta/type_name.hpp>

#include "actorpool/detail/item_codec.hpp"
#include "actorpool/detail/typed_cell.hpp"
#include "actorpool/lock.hpp"

namespace actorpool {

/// A fixed-size array of `T` shared by processes (Python:
/// `multiprocessing.Array`). Like `value<T>`, the elements live in an actor
/// in the parent process that applies every operation in order, so
/// `fetch_add(i, d)` and `update(i, f)` are atomic without a lock, and a
/// whole-array read (`to_vector`) or write (`assign`) is a consistent
/// snapshot. `get_lock()` returns the lock associated with the array, for
/// compound operations.
///
/// Indexes are checked: an index out of range throws `bad_argument` (Python:
/// `IndexError`). Ranges are clamped like Python slices when read; a range
/// write must fit.
///
/// **Process death.** Every operation is applied whole or not at all. The
/// associated lock behaves as `lock`.
///
/// **Handles.** Cheap copies that share the array; created in the parent on
/// first use, or when passed to a task or process.
///
/// **Cost.** One round trip to the parent process per call (about 25 µs
/// from a worker, 10 µs from the parent) plus the encoded elements that
/// travel.
template <class T>
class array : public detail::typed_cell<T> {
public:
  /// An empty array.
  array() : array(std::vector<T>{}) {
    // nop
  }

  /// `n` elements `T{}` (Python: `Array(typecode, n)` is zeroed).
  explicit array(size_t n) : array(std::vector<T>(n)) {
    // nop
  }

  /// The elements `xs`, with a lock of its own.
  explicit array(const std::vector<T>& xs) : array(xs, lock{}) {
    // nop
  }

  /// The elements `xs`; `get_lock()` is `l`.
  array(const std::vector<T>& xs, lock l)
    : detail::typed_cell<T>(detail::encode_each(xs), std::move(l)) {
    // nop
  }

  /// Element `i` (Python: `a[i]`).
  T get(size_t i) const {
    return this->get_at(i);
  }

  /// Sets element `i` (Python: `a[i] = x`).
  void set(size_t i, T x) {
    this->set_at(i, x);
  }

  /// The number of elements (Python: `len(a)`).
  size_t size() const {
    return static_cast<size_t>(this->cell_.size());
  }

  /// All elements, read in one step (Python: `a[:]`).
  std::vector<T> to_vector() const {
    return slice(0, SIZE_MAX);
  }

  /// Elements `[first, last)`, clamped to the size (Python: `a[first:last]`).
  std::vector<T> slice(size_t first, size_t last) const {
    return detail::decode_items<T>(this->cell_.get_range(first, last));
  }

  /// Writes `xs` at `first`, in one step (Python: `a[first:first+len(xs)] =
  /// xs`); throws `bad_argument` unless they fit.
  void assign(size_t first, const std::vector<T>& xs) {
    this->cell_.set_range(first, detail::encode_each(xs));
  }

  /// Adds `delta` to element `i` atomically; returns the element before.
  T fetch_add(size_t i, T delta) {
    return this->fetch_add_at(i, delta);
  }

  /// Replaces element `i` by `f(element)` atomically, running the registered
  /// task `T f(T)` in the parent process; returns the new element.
  template <class F>
  T update(size_t i, F&& f) {
    return this->update_at(i, f);
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, array& x) {
    return f(caf::meta::type_name("actorpool::array"),
             static_cast<detail::typed_cell<T>&>(x));
  }
};

} // namespace actorpool
