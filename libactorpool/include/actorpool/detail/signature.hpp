#pragma once

#include <functional>
#include <tuple>
#include <type_traits>

namespace actorpool::detail {

/// The parameter and result types of a callable with one non-template call
/// operator: a function (pointer), or a lambda or function object. `known`
/// is false (and nothing else is defined) for other types: generic lambdas,
/// overloaded call operators, non-callables.
template <class F, class = void>
struct signature {
  static constexpr bool known = false;
};

template <class F>
struct signature<F, std::void_t<decltype(&F::operator())>>
  : signature<decltype(&F::operator())> {};

template <class R, class... Ts>
struct signature<R(Ts...)> {
  static constexpr bool known = true;
  /// The function type, parameters as declared.
  using function_type = R(Ts...);
  using result_type = R;
  /// The values a task invocation carries: parameters without references and
  /// cv-qualifiers.
  using args_tuple = std::tuple<std::decay_t<Ts>...>;
  static constexpr size_t arity = sizeof...(Ts);
};

template <class R, class... Ts>
struct signature<R(Ts...) noexcept> : signature<R(Ts...)> {};

template <class R, class... Ts>
struct signature<R (*)(Ts...)> : signature<R(Ts...)> {};

template <class R, class... Ts>
struct signature<R (*)(Ts...) noexcept> : signature<R(Ts...)> {};

template <class C, class R, class... Ts>
struct signature<R (C::*)(Ts...)> : signature<R(Ts...)> {};

template <class C, class R, class... Ts>
struct signature<R (C::*)(Ts...) const> : signature<R(Ts...)> {};

template <class C, class R, class... Ts>
struct signature<R (C::*)(Ts...) noexcept> : signature<R(Ts...)> {};

template <class C, class R, class... Ts>
struct signature<R (C::*)(Ts...) const noexcept> : signature<R(Ts...)> {};

template <class F>
using result_of_t = typename signature<std::decay_t<F>>::result_type;

template <class F>
using args_of_t = typename signature<std::decay_t<F>>::args_tuple;

} // namespace actorpool::detail
