#pragma once

#include <cstdint>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "actorpool/detail/codec.hpp"
#include "actorpool/lock.hpp"
#include "actorpool/task.hpp"

namespace actorpool {

namespace detail {

/// The typed arithmetic a shared cell needs; instantiated by `value<T>` and
/// `array<T>` in the parent process, where the cell's actor runs.
struct cell_ops {
  /// Encoded `x + delta`; null when `T` has no `+`.
  std::string (*add)(const std::string& x, const std::string& delta);
};

template <class T, class = void>
struct is_addable : std::false_type {};

template <class T>
struct is_addable<
  T, std::void_t<decltype(std::declval<T&>() + std::declval<T&>())>>
  : std::bool_constant<!std::is_same_v<T, bool>> {};

/// Encodes `x` alone.
template <class T>
std::string encode_element(T x) {
  std::string out;
  encode_into(out, x);
  return out;
}

/// `x + y` for a cell; integers wrap around instead of overflowing.
template <class T>
T cell_sum(const T& x, const T& y) {
  if constexpr (std::is_integral_v<T>) {
    using u = std::make_unsigned_t<T>;
    return static_cast<T>(static_cast<u>(x) + static_cast<u>(y));
  } else {
    return static_cast<T>(x + y);
  }
}

template <class T>
std::string cell_add(const std::string& x, const std::string& delta) {
  return encode_element<T>(cell_sum<T>(decode_one<T>(x), decode_one<T>(delta)));
}

template <class T>
const cell_ops* cell_ops_for() {
  if constexpr (is_addable<T>::value) {
    static const cell_ops ops{&cell_add<T>};
    return &ops;
  } else {
    static const cell_ops ops{nullptr};
    return &ops;
  }
}

/// The untyped side of `value` and `array`: a reference to the cell's
/// service (elements travel encoded). Every call is one round trip.
class cell_ref {
public:
  /// An empty reference.
  cell_ref() = default;

  /// A cell holding `elements`, created in the parent on first use.
  cell_ref(std::vector<std::string> elements, const cell_ops* ops);

  std::string get(uint64_t i) const;

  void set(uint64_t i, std::string x) const;

  uint64_t size() const;

  std::vector<std::string> get_range(uint64_t first, uint64_t last) const;

  void set_range(uint64_t first, std::vector<std::string> xs) const;

  std::string fetch_add(uint64_t i, std::string delta) const;

  std::string update(uint64_t i, const std::string& task) const;

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, cell_ref& x) {
    uint64_t id = 0;
    auto save = [&] {
      return x.ref_.save(id);
    };
    auto load = [&]() -> caf::error {
      x.ref_.load(id);
      return caf::none;
    };
    return f(caf::meta::type_name("actorpool::cell"),
             caf::meta::save_callback(save), id,
             caf::meta::load_callback(load));
  }

private:
  sync_ref ref_;
};

/// The registered name of `f`, a task `T f(T)`.
template <class T, class F>
std::string update_task_name(const F& f) {
  using traits = task_traits<F>;
  static_assert(std::is_same_v<typename traits::args_tuple, std::tuple<T>>,
                "an update task takes one argument of the element type");
  static_assert(std::is_same_v<std::decay_t<typename traits::result_type>, T>,
                "an update task returns the element type");
  return traits::name(f);
}

} // namespace detail

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
/// **Cost.** One round trip to the parent process per call (about 100 µs
/// from a worker), whatever the operation.
template <class T>
class value {
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
    : cell_({detail::encode_element<T>(std::move(x))},
            detail::cell_ops_for<T>()),
      lock_(std::move(l)) {
    // nop
  }

  /// The current value (Python: `v.value`).
  T get() const {
    return detail::decode_one<T>(cell_.get(0));
  }

  /// Replaces the value (Python: `v.value = x`).
  void set(T x) {
    cell_.set(0, detail::encode_element<T>(std::move(x)));
  }

  /// Adds `delta` atomically; returns the value before.
  T fetch_add(T delta) {
    static_assert(detail::is_addable<T>::value, "fetch_add needs T + T");
    return detail::decode_one<T>(
      cell_.fetch_add(0, detail::encode_element<T>(std::move(delta))));
  }

  /// Replaces the value by `f(value)` atomically, running the registered
  /// task `T f(T)` in the parent process; returns the new value. What `f`
  /// throws is rethrown here.
  template <class F>
  T update(F&& f) {
    return detail::decode_one<T>(
      cell_.update(0, detail::update_task_name<T>(f)));
  }

  /// The lock associated with the value.
  lock get_lock() const {
    return lock_;
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, value& x) {
    return f(caf::meta::type_name("actorpool::value"), x.cell_, x.lock_);
  }

private:
  detail::cell_ref cell_;
  lock lock_;
};

} // namespace actorpool
