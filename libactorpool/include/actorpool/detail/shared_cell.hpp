#pragma once

#include <cstdint>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include <caf/meta/type_name.hpp>

#include "actorpool/detail/codec.hpp"
#include "actorpool/detail/lazy_service.hpp"
#include "actorpool/task.hpp"

namespace actorpool::detail {

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
  return encode(cell_sum<T>(decode_one<T>(x), decode_one<T>(delta)));
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

  /// The service (for `manager`).
  const lazy_service& service() const noexcept {
    return svc_;
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, cell_ref& x) {
    return f(caf::meta::type_name("actorpool::cell"), x.svc_);
  }

private:
  lazy_service svc_;
};

/// The registered name of `f`, a task `T f(T)`.
template <class T, class F>
std::string update_task_name(const F& f) {
  using traits = task_traits<F>;
  constexpr bool fits
    = !traits::valid
      || (std::is_same_v<
            typename traits::args_tuple,
            std::tuple<
              T>> && std::is_same_v<std::decay_t<typename traits::result_type>, T>);
  require<fits ? task_problem::none : task_problem::bad_update_task, F>();
  return traits::name(f);
}

} // namespace actorpool::detail
