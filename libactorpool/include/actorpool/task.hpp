#pragma once

#include <memory>
#include <string>
#include <tuple>
#include <type_traits>
#include <typeinfo>
#include <utility>

#include "actorpool/detail/codec.hpp"
#include "actorpool/detail/signature.hpp"
#include "actorpool/detail/task_checks.hpp"
#include "actorpool/detail/task_registry.hpp"
#include "actorpool/exceptions.hpp"

namespace actorpool {

class call_options;

namespace detail {

/// Invoker for a callable `F` (a function pointer or a function object)
/// that passes `check_task<F>()`.
template <class F>
class typed_invoker final : public task_invoker {
public:
  using sig = signature<F>;
  using result_type = typename sig::result_type;
  using args_tuple = typename sig::args_tuple;

  explicit typed_invoker(F f) : f_(std::move(f)) {
    // nop
  }

  void invoke(const char* data, size_t size, uint32_t count,
              std::string& out) const override {
    decoder src{data, size};
    for (uint32_t i = 0; i < count; ++i)
      invoke_one(src, out);
    src.expect_end();
  }

private:
  void invoke_one(decoder& src, std::string& out) const {
    args_tuple args;
    src.read_tuple(args);
    if constexpr (std::is_void_v<result_type>) {
      std::apply(f_, std::move(args));
    } else {
      std::decay_t<result_type> result = std::apply(f_, std::move(args));
      try {
        encode_into(out, result);
      } catch (const codec_failure& e) {
        // Python's MaybeEncodingError names the value and the reason.
        throw codec_failure(e.code(), "the result ("
                                        + demangle(typeid(result).name())
                                        + ") cannot be sent: " + e.what());
      }
    }
  }

  F f_;
};

/// Registers a free function at static-initialization time. A function
/// whose parameter or result types cannot be sent is reported by the
/// compiler (see task_checks.hpp) and not registered.
struct function_registrar {
  template <class R, class... Ts, bool Ok = check_task<R (*)(Ts...)>()>
  function_registrar(const char* name, R (*fn)(Ts...), task_site site = {}) {
    using fn_type = R (*)(Ts...);
    if constexpr (Ok)
      register_task(clean_name(name), reinterpret_cast<const void*>(fn),
                    std::make_unique<typed_invoker<fn_type>>(fn), site);
  }

  static std::string clean_name(const char* name);
};

/// Returns the registered name of function pointer `fn`; throws
/// `unknown_task_error` if it is not registered, or if its name belongs to
/// two different functions.
const std::string& registered_name(const void* fn);

/// An empty name, returned where a problem was reported at compile time.
const std::string& no_name();

} // namespace detail

/// A named task made from a lambda or function object. Construct it at
/// namespace scope (static storage) so every worker process registers it
/// too; prefer `inline const auto t = make_task(...)` in headers.
template <class F>
class task {
public:
  /// The callable's type.
  using function_type = F;

  /// The result type, `detail::not_a_task` if `F` cannot be a task.
  using result_type = typename detail::checked_signature<F>::result_type;
  /// The argument tuple, `detail::not_a_task_args` if `F` cannot be a task.
  using args_tuple = typename detail::checked_signature<F>::args_tuple;

  /// Registers `f` as `name`. `file` and `line` (where the task is made)
  /// appear in the report of two tasks with one name.
  task(std::string name, F f, const char* file = __builtin_FILE(),
       unsigned line = __builtin_LINE())
    : name_(std::move(name)), f_(f) {
    if constexpr (detail::check_task<F>())
      detail::register_task(name_, key(f),
                            std::make_unique<detail::typed_invoker<F>>(f),
                            detail::task_site{"make_task", file, line});
  }

  /// The name the task is registered under.
  const std::string& name() const noexcept {
    return name_;
  }

  /// Calls the task in this process.
  template <class... Ts>
  decltype(auto) operator()(Ts&&... xs) const {
    return f_(std::forward<Ts>(xs)...);
  }

private:
  // Identifies the function behind a name, so that two different functions
  // registered under one name are caught: the address for function
  // pointers, the (unique) closure type for lambdas.
  static const void* key(const F& f) {
    if constexpr (std::is_pointer_v<F>)
      return reinterpret_cast<const void*>(f);
    else
      return &typeid(F);
  }

  std::string name_;
  F f_;
};

/// Creates (and registers) a task named `name` that runs `f`. `F` needs one
/// call operator with fixed parameter types; parameters and results must be
/// copyable, default-constructible values that CAF can serialize (the
/// compiler says which rule a task breaks). `file` and `line` default to
/// the caller's place.
template <class F, bool Ok = detail::check_task<F>()>
task<F> make_task(std::string name, F f, const char* file = __builtin_FILE(),
                  unsigned line = __builtin_LINE()) {
  return task<F>{std::move(name), std::move(f), file, line};
}

namespace detail {

template <class T>
struct is_task : std::false_type {};

template <class F>
struct is_task<task<F>> : std::true_type {};

/// Whether `F` is a (pointer to a) function.
template <class F>
constexpr bool is_function_like_v = std::is_function_v<
  std::remove_pointer_t<std::decay_t<F>>>;

/// Whether `F` is a class with one non-template call operator (a lambda, a
/// function object, a std::function), but not a task object.
template <class F, class = void>
struct is_call_object : std::false_type {};

template <class F>
struct is_call_object<F, std::void_t<decltype(&std::decay_t<F>::operator())>>
  : std::bool_constant<!is_task<std::decay_t<F>>::value> {};

/// Reports a callable `F` given to the pool that cannot be a task (at
/// compile time; see task_checks.hpp); true if it can. A task object's
/// problem was reported where it was made.
template <class F>
constexpr bool check_callable() {
  using type = std::decay_t<F>;
  if constexpr (is_task<type>::value)
    return checked_signature<typename type::function_type>::ok;
  else if constexpr (is_function_like_v<F>)
    return check_task<type>();
  else
    return require<task_problem::not_a_task, type>();
}

/// The types of something that is not a valid task (see not_a_task.hpp).
struct not_a_task_traits {
  static constexpr bool valid = false;
  using result_type = not_a_task;
  using args_tuple = not_a_task_args;
};

/// What the pool needs to know about a callable `F` given to `apply`,
/// `map`...: `result_type`, `args_tuple`, and `name(f)`, the registered
/// name. `valid` is false for what cannot be a task; the types are
/// stand-ins then, which compile, and the compiler reports the problem: as
/// soon as a call names a lambda, function object or function with types
/// that cannot be sent (these traits derive from the report), or else where
/// `name` is called. Pool functions take options or a task first, so the
/// traits of other types (arguments) must not report anything.
///
/// This primary template covers what is neither a function, a call object
/// nor a task object (a generic lambda, an argument).
template <class F, class = void>
struct task_traits : not_a_task_traits {
  static const std::string& name(const std::decay_t<F>&) {
    check_callable<F>();
    return no_name();
  }
};

/// `call_options` is no task: it selects the overloads that take options, so
/// the traits of a task fail (quietly) for it in the others.
template <class F>
struct task_traits<
  F, std::enable_if_t<std::is_same_v<std::decay_t<F>, call_options>>> {};

/// Lambdas, function objects and std::function given directly.
template <class F>
struct task_traits<F, std::enable_if_t<is_call_object<F>::value>>
  : diagnose<task_problem::not_a_task, std::decay_t<F>>, not_a_task_traits {
  static const std::string& name(const std::decay_t<F>&) {
    return no_name();
  }
};

/// Free functions (passed by name or as pointers).
template <class F>
struct task_traits<F, std::enable_if_t<is_function_like_v<F>>>
  : task_report<std::decay_t<F>> {
  using fn_type = std::decay_t<F>;
  using checked = checked_signature<fn_type>;
  static constexpr bool valid = checked::ok;
  using result_type = typename checked::result_type;
  using args_tuple = typename checked::args_tuple;

  static const std::string& name(fn_type fn) {
    if constexpr (valid)
      return registered_name(reinterpret_cast<const void*>(fn));
    else
      return no_name();
  }
};

/// Task objects made by `make_task` (whose problems were reported there).
template <class F>
struct task_traits<F, std::enable_if_t<is_task<std::decay_t<F>>::value>> {
  using task_type = std::decay_t<F>;
  static constexpr bool valid = check_callable<F>();
  using result_type = typename task_type::result_type;
  using args_tuple = typename task_type::args_tuple;

  static const std::string& name(const task_type& t) {
    return t.name();
  }
};

/// The argument tuple of task `F` (a stand-in if `F` cannot be a task).
template <class F>
using task_args_t = typename task_traits<F>::args_tuple;

} // namespace detail

} // namespace actorpool

/// Registers function `fn` as task `name`, recording `form` (how the
/// registration is written), file and line for the report of a clash.
#define ACTORPOOL_REGISTER_TASK_(name, fn, form)       \
  static const ::actorpool::detail::function_registrar \
    ACTORPOOL_PP_CAT(actorpool_task_registrar_,        \
                     __COUNTER__){name, fn, {form, __FILE__, __LINE__}};

/// Registers the free function `fn` as a task named after it (`"fn"`, or
/// `"ns::fn"` when written qualified). Use at namespace scope in the program
/// that creates the pool; worker processes run the same registration.
#define ACTORPOOL_TASK(fn) \
  ACTORPOOL_REGISTER_TASK_(#fn, fn, "ACTORPOOL_TASK(" #fn ")")

/// Registers the function `fn` under an explicit `name`; use it for
/// overloaded functions: `ACTORPOOL_TASK_AS("f", static_cast<int
/// (*)(int)>(f))`.
#define ACTORPOOL_TASK_AS(name, fn) \
  ACTORPOOL_REGISTER_TASK_(name, fn, "ACTORPOOL_TASK_AS(" #name ", " #fn ")")
