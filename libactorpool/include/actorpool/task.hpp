#pragma once

#include <memory>
#include <string>
#include <tuple>
#include <type_traits>
#include <typeinfo>
#include <utility>

#include "actorpool/detail/codec.hpp"
#include "actorpool/detail/signature.hpp"
#include "actorpool/detail/task_registry.hpp"
#include "actorpool/exceptions.hpp"

namespace actorpool {

namespace detail {

/// Invoker for a callable `F` (a function pointer or a function object).
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

/// Registers a free function at static-initialization time.
struct function_registrar {
  template <class R, class... Ts>
  function_registrar(const char* name, R (*fn)(Ts...)) {
    using fn_type = R (*)(Ts...);
    register_task(clean_name(name), reinterpret_cast<const void*>(fn),
                  std::make_unique<typed_invoker<fn_type>>(fn));
  }

  static std::string clean_name(const char* name);
};

/// Returns the registered name of function pointer `fn`; throws
/// `unknown_task_error` if it is not registered.
const std::string& registered_name(const void* fn);

} // namespace detail

/// A named task made from a lambda or function object. Construct it at
/// namespace scope (static storage) so every worker process registers it
/// too; prefer `inline const auto t = make_task(...)` in headers.
template <class F>
class task {
public:
  using result_type = typename detail::signature<F>::result_type;
  using args_tuple = typename detail::signature<F>::args_tuple;

  task(std::string name, F f) : name_(std::move(name)), f_(f) {
    detail::register_task(name_, key(f),
                          std::make_unique<detail::typed_invoker<F>>(f));
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

/// Creates (and registers) a task named `name` that runs `f`.
template <class F>
task<F> make_task(std::string name, F f) {
  return task<F>{std::move(name), std::move(f)};
}

namespace detail {

template <class T>
struct is_task : std::false_type {};

template <class F>
struct is_task<task<F>> : std::true_type {};

/// What the pool needs to know about a callable given to `apply`, `map`...
template <class F, class = void>
struct task_traits;

/// Free functions (passed by name or as pointers).
template <class F>
struct task_traits<
  F, std::enable_if_t<
       std::is_pointer_v<std::decay_t<F>> || std::is_function_v<F>>> {
  using fn_type = std::decay_t<F>;
  using result_type = typename signature<fn_type>::result_type;
  using args_tuple = typename signature<fn_type>::args_tuple;

  static const std::string& name(fn_type fn) {
    return registered_name(reinterpret_cast<const void*>(fn));
  }
};

/// Task objects made by `make_task`.
template <class F>
struct task_traits<F, std::enable_if_t<is_task<std::decay_t<F>>::value>> {
  using result_type = typename std::decay_t<F>::result_type;
  using args_tuple = typename std::decay_t<F>::args_tuple;

  static const std::string& name(const std::decay_t<F>& t) {
    return t.name();
  }
};

} // namespace detail

} // namespace actorpool

/// Registers the free function `fn` as a task named after it (`"fn"`, or
/// `"ns::fn"` when written qualified). Use at namespace scope in the program
/// that creates the pool; worker processes run the same registration.
#define ACTORPOOL_TASK(fn)                             \
  static const ::actorpool::detail::function_registrar \
    ACTORPOOL_PP_CAT(actorpool_task_registrar_, __COUNTER__){#fn, fn};

/// Registers the function `fn` under an explicit `name`; use it for
/// overloaded functions: `ACTORPOOL_TASK_AS("f", static_cast<int
/// (*)(int)>(f))`.
#define ACTORPOOL_TASK_AS(name, fn)                    \
  static const ::actorpool::detail::function_registrar \
    ACTORPOOL_PP_CAT(actorpool_task_registrar_, __COUNTER__){name, fn};
