#pragma once

#include <cstddef>
#include <tuple>
#include <type_traits>

#include <caf/detail/type_traits.hpp>

#include "actorpool/detail/not_a_task.hpp"
#include "actorpool/detail/signature.hpp"

// Compile-time checks of tasks and of the calls that use them. Every message
// the compiler shows for a misused task is in `diagnose` below, and each
// starts with "actorpool: ". A check that fails reports once per problem and
// type, and hands the rest of the code stand-in types (`not_a_task`...) that
// compile, so the message stays the first and nearly the only error.

namespace actorpool::detail {

/// What is wrong with a task or with a call of it.
enum class task_problem {
  none,
  /// A lambda, function object, std::function (or anything else that is
  /// neither a registered function nor a task object) given to the pool.
  not_a_task,
  /// A callable whose parameter types cannot be known: a generic lambda, an
  /// overloaded call operator, a C variadic function.
  unknown_signature,
  /// A parameter of type `T&` (reference to non-const).
  mutable_ref_param,
  /// A parameter or result type that cannot be copied (`std::unique_ptr`).
  not_copyable,
  /// A parameter or result type without a default constructor.
  not_default_constructible,
  /// A parameter or result type CAF cannot serialize (no `inspect`).
  not_serializable,
  /// A call with more or fewer arguments than the task has parameters.
  wrong_arity,
  /// A call with an argument that does not convert to its parameter.
  bad_argument,
  /// `find_first`, `search` or `imap` of a task returning `void`.
  no_result,
  /// A barrier action that takes arguments.
  barrier_action_args,
  /// A shared value's update task that is not `T f(T)`.
  bad_update_task,
};

/// Fails compilation with the message of `P` unless `P` is `none`. The
/// compiler names `Culprit` (the offending type) in the line above the
/// message. Instantiated once per problem and type, so each is reported once.
template <task_problem P, class Culprit>
struct diagnose {
  static_assert(P != task_problem::not_a_task,
                "actorpool: not a task: a lambda, function object or "
                "std::function cannot be passed directly (workers find tasks "
                "by name); make it a task at namespace scope, `inline const "
                "auto t = actorpool::make_task(\"t\", <lambda>);`, or register "
                "a free function with ACTORPOOL_TASK(f)");
  static_assert(P != task_problem::unknown_signature,
                "actorpool: a task needs fixed parameter types: a generic "
                "lambda (`auto` parameters), an overloaded operator() or a C "
                "variadic function cannot be a task; write the parameter "
                "types out");
  static_assert(P != task_problem::mutable_ref_param,
                "actorpool: a task cannot take a reference to non-const (T&): "
                "the worker gets a copy and changes to it never come back; "
                "take T or const T& and return the result");
  static_assert(P != task_problem::not_copyable,
                "actorpool: a task parameter or result type cannot be copied "
                "(values are copied into the worker and back): std::unique_ptr "
                "and other move-only types cannot be sent; pass or return the "
                "value itself");
  static_assert(P != task_problem::not_default_constructible,
                "actorpool: a task parameter or result type has no default "
                "constructor (the receiver creates a value, then reads it): "
                "add one");
  static_assert(P != task_problem::not_serializable,
                "actorpool: CAF cannot serialize a task parameter or result "
                "type: give it an `inspect` overload (see README, The rules); "
                "pointers cannot be sent (use std::string, not const char*)");
  static_assert(P != task_problem::wrong_arity,
                "actorpool: wrong number of arguments for this task");
  static_assert(P != task_problem::bad_argument,
                "actorpool: an argument does not convert to the task's "
                "parameter type");
  static_assert(P != task_problem::no_result,
                "actorpool: this needs a task that returns a value "
                "(find_first, for_each_result, search, imap)");
  static_assert(P != task_problem::barrier_action_args,
                "actorpool: a barrier action is a task without parameters");
  static_assert(P != task_problem::bad_update_task,
                "actorpool: an update task takes one argument of the element "
                "type and returns the element type");
  static constexpr bool ok = P == task_problem::none;
};

/// Reports problem `P` of `Culprit` (see `diagnose`); true if there is none.
template <task_problem P, class Culprit = void>
constexpr bool require() {
  return diagnose<P, Culprit>::ok;
}

// -- checks of parameter and result types -----------------------------------

/// The problem of a value type `T` (decayed) as a parameter or result.
template <class T>
constexpr task_problem value_problem() {
  if constexpr (!std::is_copy_constructible_v<T>)
    return task_problem::not_copyable;
  else if constexpr (!std::is_default_constructible_v<T>)
    return task_problem::not_default_constructible;
  else if constexpr (!caf::detail::is_serializable<T>::value)
    return task_problem::not_serializable;
  else
    return task_problem::none;
}

/// The problem of a parameter declared as `P`.
template <class P>
constexpr task_problem param_problem() {
  using bare = std::remove_reference_t<P>;
  if constexpr (std::is_lvalue_reference_v<P> && !std::is_const_v<bare>)
    return task_problem::mutable_ref_param;
  else
    return value_problem<std::decay_t<P>>();
}

/// The problem of a result declared as `R`.
template <class R>
constexpr task_problem result_problem() {
  if constexpr (std::is_void_v<R>)
    return task_problem::none;
  else
    return value_problem<std::decay_t<R>>();
}

/// The first problem among parameters `Ps` and the parameter that has it.
template <class... Ps>
struct first_param_problem {
  static constexpr task_problem problem = task_problem::none;
  using culprit = void;
};

template <class P, class... Ps>
struct first_param_problem<P, Ps...> {
  static constexpr task_problem own = param_problem<P>();
  using rest = first_param_problem<Ps...>;
  static constexpr task_problem problem = own != task_problem::none
                                            ? own
                                            : rest::problem;
  using culprit = std::conditional_t<own != task_problem::none, P,
                                     typename rest::culprit>;
};

/// The first problem of function type `Sig` (parameters before the result).
template <class Sig>
struct signature_problem;

template <class R, class... Ts>
struct signature_problem<R(Ts...)> {
  using params = first_param_problem<Ts...>;
  static constexpr bool params_ok = params::problem == task_problem::none;
  static constexpr task_problem problem = params_ok ? result_problem<R>()
                                                    : params::problem;
  using culprit = std::conditional_t<params_ok, R, typename params::culprit>;
};

/// The signature of callable `F` as tasks use it: its result type and
/// argument tuple when `problem` is `none`, stand-ins otherwise. Computing
/// it reports nothing (see `check_task`), so it may appear in the return
/// types of overloads that are never chosen.
template <class F, bool Known = signature<F>::known>
struct checked_signature {
  static constexpr task_problem problem = task_problem::unknown_signature;
  static constexpr bool ok = false;
  using culprit = F;
  using result_type = not_a_task;
  using args_tuple = not_a_task_args;
};

template <class F>
struct checked_signature<F, true> {
  using sig = signature<F>;
  using found = signature_problem<typename sig::function_type>;
  static constexpr task_problem problem = found::problem;
  static constexpr bool ok = problem == task_problem::none;
  using culprit = typename found::culprit;
  using result_type = std::conditional_t<ok, typename sig::result_type,
                                         not_a_task>;
  using args_tuple = std::conditional_t<ok, typename sig::args_tuple,
                                        not_a_task_args>;
};

/// Reports the problem of callable `F` as a task when instantiated (also
/// as a base class); its `ok` is true if there is none.
template <class F>
using task_report = diagnose<checked_signature<F>::problem,
                             typename checked_signature<F>::culprit>;

/// Reports the problem of callable `F` as a task, if any; true if none.
template <class F>
constexpr bool check_task() {
  return task_report<F>::ok;
}

/// `R`, the result type of task `F` given to a function that needs a result
/// (`find_first`, `search`, `imap`). For `void`, instantiating it reports
/// `no_result`, and `type` is a stand-in.
template <class F, class R, class = void>
struct needed_result {
  using type = R;
};

template <class F, class R>
struct needed_result<F, R, std::enable_if_t<std::is_void_v<R>>>
  : diagnose<task_problem::no_result, std::decay_t<F>> {
  using type = not_a_task;
};

// -- checks of calls ---------------------------------------------------------

/// The problem of calling a task whose argument tuple is `ArgsTuple` with
/// arguments of types `Ts`.
template <class ArgsTuple, class... Ts>
struct argument_problem {
  // A stand-in tuple: the task's own problem has been reported.
  static constexpr task_problem problem = task_problem::none;
};

template <class... Ps, class... Ts>
struct argument_problem<std::tuple<Ps...>, Ts...> {
  static constexpr task_problem find() {
    if constexpr (sizeof...(Ps) != sizeof...(Ts))
      return task_problem::wrong_arity;
    else if constexpr (!std::is_constructible_v<std::tuple<Ps...>, Ts&&...>)
      return task_problem::bad_argument;
    else
      return task_problem::none;
  }

  static constexpr task_problem problem = find();
};

/// Reports a call of a task with argument tuple `ArgsTuple` with arguments
/// `Ts` that cannot work; true if the arguments can be encoded.
template <class ArgsTuple, class... Ts>
constexpr bool check_arguments() {
  using problem = argument_problem<ArgsTuple, Ts...>;
  return require<problem::problem, std::tuple<Ts...>>()
         && !std::is_same_v<ArgsTuple, not_a_task_args>;
}

} // namespace actorpool::detail
