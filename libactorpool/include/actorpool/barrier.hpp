#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <tuple>
#include <type_traits>

#include <caf/meta/type_name.hpp>

#include "actorpool/detail/lazy_service.hpp"
#include "actorpool/detail/wire_timeout.hpp"
#include "actorpool/task.hpp"

namespace actorpool {

namespace detail {

template <class T>
struct is_duration : std::false_type {};

template <class Rep, class Period>
struct is_duration<std::chrono::duration<Rep, Period>> : std::true_type {};

} // namespace detail

/// A barrier for a fixed number of parties (Python:
/// `multiprocessing.Barrier`): each `wait` blocks until `parties` callers
/// wait, then all of them return, each with a different index in
/// `[0, parties)` (the order of arrival), and the barrier starts over for the
/// next generation. An optional action, a registered task without arguments,
/// runs once per generation in the parent process (in a thread of its own)
/// before anyone is released; if it throws, the barrier breaks.
///
/// A barrier is broken by `abort()`, by a `wait` that times out (its own
/// timeout or the barrier's default), by a failing action and by the death of
/// a process with a pending `wait`; a broken barrier fails every pending and
/// later `wait` with `broken_barrier_error` until `reset()`. `reset()`
/// returns it to the empty state, failing the waits pending at that moment.
///
/// **Process death.** A process that dies while waiting breaks the barrier:
/// its party will never arrive, so the others would wait forever; breaking
/// wakes them with `broken_barrier_error` instead (recover with `reset()`).
/// A dead process that was not waiting has no effect.
///
/// **Handles.** Cheap copies that share the barrier; created in the parent on
/// first use, or when passed to a task or process. A default-constructed
/// barrier is empty (it only exists to be assigned or decoded).
///
/// **Cost.** One round trip to the parent process per call (about 25 µs
/// from a worker, 10 µs from the parent); a `wait` is one call however long
/// it waits.
class barrier {
public:
  /// An empty barrier; using it throws `state_error`.
  barrier();

  /// A barrier for `parties` (>= 1) callers, without action or timeout.
  explicit barrier(int parties)
    : barrier(parties, std::string{}, detail::wait_forever) {
    // nop
  }

  /// A barrier whose waits time out after `timeout` by default.
  template <class Rep, class Period>
  barrier(int parties, std::chrono::duration<Rep, Period> timeout)
    : barrier(parties, std::string{}, detail::wire_timeout(timeout)) {
    // nop
  }

  /// A barrier that runs `action` (a registered task without arguments) once
  /// per generation.
  template <class F, class = std::enable_if_t<
                       !detail::is_duration<std::decay_t<F>>::value>>
  barrier(int parties, F&& action)
    : barrier(parties, action_name(action), detail::wait_forever) {
    // nop
  }

  /// Both.
  template <class F, class Rep, class Period>
  barrier(int parties, F&& action, std::chrono::duration<Rep, Period> timeout)
    : barrier(parties, action_name(action), detail::wire_timeout(timeout)) {
    // nop
  }

  /// Waits for the other parties (at most the barrier's timeout); returns
  /// this caller's index of arrival. Throws `broken_barrier_error`.
  int wait();

  /// Waits at most `timeout`; a timeout breaks the barrier and throws
  /// `broken_barrier_error`.
  template <class Rep, class Period>
  int wait(std::chrono::duration<Rep, Period> timeout) {
    return wait_ns(detail::wire_timeout(timeout));
  }

  /// Back to the empty state; pending waits fail.
  void reset();

  /// Breaks the barrier; pending and later waits fail until `reset()`.
  void abort();

  bool broken() const;

  /// The number of callers waiting in the current generation.
  int n_waiting() const;

  /// The number of callers needed to pass.
  int parties() const noexcept {
    return parties_;
  }

  /// The service (for `manager`).
  const detail::lazy_service& service() const noexcept {
    return svc_;
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, barrier& x) {
    return f(caf::meta::type_name("actorpool::barrier"), x.svc_, x.parties_);
  }

private:
  barrier(int parties, std::string action, int64_t timeout_ns);

  template <class F>
  static std::string action_name(const F& action) {
    using traits = detail::task_traits<F>;
    using detail::task_problem;
    constexpr bool fits = !traits::valid
                          || std::is_same_v<typename traits::args_tuple,
                                            std::tuple<>>;
    detail::require<
      fits ? task_problem::none : task_problem::barrier_action_args, F>();
    return traits::name(action);
  }

  int wait_ns(int64_t timeout_ns);

  detail::lazy_service svc_;
  int32_t parties_ = 0;
};

} // namespace actorpool
