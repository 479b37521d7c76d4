#pragma once

#include <caf/fwd.hpp>

#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

#include "actorpool/detail/closure.hpp"
#include "actorpool/pool.hpp"
#include "actorpool/pool_options.hpp"

namespace actorpool {

/// What `f(xs...)` returns on a thread pool's worker, the arguments moved in
/// (decayed).
template <class F, class... Ts>
using thread_call_result_t = std::decay_t<
  std::invoke_result_t<std::decay_t<F>&, std::decay_t<Ts>&&...>>;

/// A pool whose workers are threads of this process (Python:
/// `multiprocessing.dummy.Pool`).
///
/// It is a `pool`: every member function, `actor()`, `wait` and
/// `as_completed`, `call_options` and `this_task` work as they do with
/// processes, through the same coordinator (windows, early termination,
/// streams, cancellation and timeouts). Each worker is a detached actor of
/// the pool's actor system, running chunks one after another. `apply` and
/// `apply_async` take any callable and move its arguments and result (see
/// below); the other member functions, and `apply` called through a
/// `pool&`, take registered tasks and encode as with processes.
///
/// What threads change: a running task cannot be killed. A chunk past its
/// timeout fails with `timeout_error` at the deadline and a new thread takes
/// its place, while the old one runs on, counted in
/// `pool_stats::stuck_threads` until its task returns (its result is
/// dropped; the program's actor system waits for it when it shuts down).
/// `terminate` lets running threads go the same way. Cancellation is
/// cooperative only (`this_task::cancelled`), a task that crashes ends the
/// whole program, and `max_worker_memory` has no effect (threads share the
/// process's memory). `pool_options::processes` is the number of threads.
class thread_pool : public pool {
public:
  /// Starts `cpu_count()` threads and waits until they are ready.
  thread_pool();

  /// Starts `threads` threads; throws `bad_argument` if `threads < 1`.
  explicit thread_pool(long threads);

  /// Starts a pool as configured; throws `bad_argument` for invalid options
  /// and `start_error` if the initializer fails.
  explicit thread_pool(const pool_options& opts);

  /// Like `thread_pool(opts)`, inside an actor system of the caller's (no
  /// middleman needed).
  thread_pool(caf::actor_system& sys, const pool_options& opts);

  thread_pool(thread_pool&&) noexcept = default;

  // -- single calls of any callable -------------------------------------------

  /// Runs `f(xs...)` on a worker thread and returns its result: `f` is any
  /// callable (a registered task, a lambda with captures, a function object,
  /// a `std::function`), the arguments are moved to it (`std::ref` passes
  /// the caller's object) and the result is moved back; nothing is encoded.
  /// A task's exception is rethrown as the very object it threw.
  template <class F, class... Ts>
  auto apply(F&& f, Ts&&... xs) -> thread_call_result_t<F, Ts...> {
    return apply(call_options{}, std::forward<F>(f), std::forward<Ts>(xs)...);
  }

  /// `apply` with per-call settings (a timeout).
  template <class F, class... Ts>
  auto apply(const call_options& opts, F&& f, Ts&&... xs)
    -> thread_call_result_t<F, Ts...> {
    using R = thread_call_result_t<F, Ts...>;
    auto r = apply_async(opts, std::forward<F>(f), std::forward<Ts>(xs)...);
    if constexpr (std::is_void_v<R>)
      r.get();
    else
      return r.state()->take();
  }

  /// Starts `f(xs...)` on a worker thread, `f` and the arguments as for
  /// `apply`; the result stays in the `async_result` (`get()` returns a
  /// reference to it).
  template <class F, class... Ts>
  auto apply_async(F&& f, Ts&&... xs)
    -> async_result<thread_call_result_t<F, Ts...>> {
    return apply_async(call_options{}, std::forward<F>(f),
                       std::forward<Ts>(xs)...);
  }

  /// `apply_async` with per-call settings (a timeout).
  template <class F, class... Ts>
  auto apply_async(const call_options& opts, F&& f, Ts&&... xs)
    -> async_result<thread_call_result_t<F, Ts...>> {
    using R = thread_call_result_t<F, Ts...>;
    using closure_type = detail::call_closure<R, std::decay_t<F>,
                                              std::decay_t<Ts>...>;
    auto st = detail::make_call_state<R>({1}, channel().executor(),
                                         closure_decoder<R>());
    auto key = detail::store_closure(
      std::make_unique<closure_type>(st, std::forward<F>(f),
                                     std::forward<Ts>(xs)...));
    st->on_complete([key] { detail::drop_closure(key); });
    std::vector<detail::encoded_chunk> chunks;
    chunks.emplace_back(detail::closure_chunk(key));
    try {
      channel().submit(detail::closure_task_name(), std::move(chunks), st,
                       opts);
    } catch (...) {
      detail::drop_closure(key);
      throw;
    }
    return async_result<R>{std::move(st)};
  }

private:
  template <class R>
  static detail::decode_fn<R> closure_decoder() {
    if constexpr (std::is_void_v<R>)
      return nullptr;
    else
      return &detail::no_decoding<R>;
  }
};

} // namespace actorpool
