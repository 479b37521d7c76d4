#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "actorpool/detail/item_codec.hpp"
#include "actorpool/detail/shared_cell.hpp"
#include "actorpool/lock.hpp"

namespace actorpool::detail {

/// What `value<T>` and `array<T>` share: the typed operations on the
/// elements of a cell (each one call to its service) and the associated
/// lock.
template <class T>
class typed_cell {
public:
  /// The lock associated with the value or array.
  lock get_lock() const {
    return lock_;
  }

  /// The service holding the elements (for `manager`).
  const lazy_service& service() const noexcept {
    return cell_.service();
  }

  /// Encodes the cell and the lock.
  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, typed_cell& x) {
    return f(x.cell_, x.lock_);
  }

protected:
  typed_cell(std::vector<std::string> elements, lock l)
    : cell_(std::move(elements), cell_ops_for<T>()), lock_(std::move(l)) {
    // nop
  }

  T get_at(uint64_t i) const {
    return decode_item<T>(cell_.get(i));
  }

  void set_at(uint64_t i, const T& x) const {
    cell_.set(i, encode_item(x));
  }

  T fetch_add_at(uint64_t i, const T& delta) const {
    static_assert(is_addable<T>::value, "fetch_add needs T + T");
    return decode_item<T>(cell_.fetch_add(i, encode_item(delta)));
  }

  template <class F>
  T update_at(uint64_t i, const F& f) const {
    return decode_item<T>(cell_.update(i, update_task_name<T>(f)));
  }

  cell_ref cell_;

private:
  lock lock_;
};

} // namespace actorpool::detail
