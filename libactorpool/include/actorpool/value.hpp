#pragma once

#include <utility>

#include <caf/meta/type_name.hpp>

#include "actorpool/detail/item_codec.hpp"
#include "actorpool/detail/typed_cell.hpp"
#include "actorpool/lock.hpp"

namespace actorpool {

/// A value of type `T` shared by processes (Python:
/// `multiprocessing.Value`). The value lives in an actor in the parent
/// process that applies every operation in order: `get` and `set`, and the
/// read-modify-write operations `fetch_add` and `update`, which are atomic
/// without any lock because nothing runs between their read and their write.
/// Ten processes each doing `v.fetch_add(100)` on a value starting at 1 end
/// at exactly 1001. `get_lock()` returns the lock associated with the value,
/// for compound operations (Python: `with v.get_lock(): ...`); `get` and
/// `set` themselves never take it.
///
/// `T` is any type the codec handles (numbers, strings, containers, types
/// with `inspect`); `fetch_add` needs `+`. An `update` task runs inside the
/// value's actor, so it must be short and must not call any service.
///
/// **Process death.** Every operation is applied whole or not at all; a
/// process that dies between a `get` and a `set` of its own leaves the value
/// as its last completed call did. The associated lock behaves as `lock`.
///
/// **Handles.** Cheap copies that share the value; created in the parent on
/// first use, or when passed to a task or process.
///
/// **Cost.** One round trip to the parent process per call (about 25 µs
/// from a worker, 10 µs from the parent), whatever the operation.
template <class T>
class value : public detail::typed_cell<T> {
public:
  /// A value `T{}` (Python: `Value(typecode)` is zero).
  value() : value(T{}) {
    // nop
  }

  /// A value `x` with a lock of its own.
  explicit value(T x) : value(std::move(x), lock{}) {
    // nop
  }

  /// A value `x` whose `get_lock()` is `l` (Python: `Value(t, x, lock=l)`).
  value(T x, lock l)
    : detail::typed_cell<T>({detail::encode_item(x)}, std::move(l)) {
    // nop
  }

  /// The current value (Python: `v.value`).
  T get() const {
    return this->get_at(0);
  }

  /// Replaces the value (Python: `v.value = x`).
  void set(T x) {
    this->set_at(0, x);
  }

  /// Adds `delta` atomically; returns the value before.
  T fetch_add(T delta) {
    return this->fetch_add_at(0, delta);
  }

  /// Replaces the value by `f(value)` atomically, running the registered
  /// task `T f(T)` in the parent process; returns the new value. What `f`
  /// throws is rethrown here.
  template <class F>
  T update(F&& f) {
    return this->update_at(0, f);
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, value& x) {
    return f(caf::meta::type_name("actorpool::value"),
             static_cast<detail::typed_cell<T>&>(x));
  }
};

} // namespace actorpool
