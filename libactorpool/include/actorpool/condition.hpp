#pragma once

#include <chrono>
#include <cstdint>
#include <limits>

#include <caf/meta/type_name.hpp>

#include "actorpool/detail/acquirable.hpp"
#include "actorpool/lock.hpp"
#include "actorpool/rlock.hpp"

namespace actorpool {

/// A condition variable shared by processes (Python:
/// `multiprocessing.Condition`), built on a `lock` or an `rlock` (a new
/// `rlock` by default). `acquire` and `release` are those of the lock (see
/// `lock`), and `owner_died()` is the condition object's own.
/// `wait` must be called holding the lock: in one step, the lock's actor
/// releases it completely (an `rlock` remembers its recursion count), queues
/// the caller on the condition, and, once notified or timed out, gives the
/// lock back to it before `wait` returns. `notify(n)` moves the `n` oldest
/// waiters to the lock's queue; `notify` and `notify_all` also need the lock.
/// Using any of them without holding the lock throws `state_error`. Waiters
/// are woken in FIFO order, so there are no spurious wake-ups, but check your
/// predicate anyway (`wait_for` does): another process may have changed the
/// state before the waiter got the lock back.
///
/// **Holder death.** A process that dies holding the lock releases it (see
/// `lock`); its waiters are forgotten, so a `notify(1)` never goes to a dead
/// process. `owner_died()` reports whether the most recent acquisition
/// through this object (an `acquire`, or a `wait` getting the lock back) took
/// over the lock from a dead process.
///
/// **Handles.** Cheap copies sharing the condition and its lock; create it in
/// the parent and pass it to tasks or processes.
///
/// **Cost.** One round trip to the parent per call (about 25 µs from a
/// worker, 10 µs from the parent); a `wait` is one call however long it
/// waits.
class condition : public detail::acquirable {
public:
  /// A condition on a new `rlock` (Python's default).
  condition();

  /// A condition on `l`.
  explicit condition(const lock& l);

  /// A condition on `l`.
  explicit condition(const rlock& l);

  /// Waits until notified; returns true.
  bool wait() {
    return wait_ns(detail::wait_forever);
  }

  /// Waits until notified or `timeout` passed; returns false on timeout.
  /// Either way the lock is held again when it returns.
  template <class Rep, class Period>
  bool wait(std::chrono::duration<Rep, Period> timeout) {
    return wait_ns(detail::wire_timeout(timeout));
  }

  /// Waits until `pred()` is true, evaluating it (in this process, holding
  /// the lock) first and after each wake-up; returns `pred()`'s last result.
  template <class Predicate>
  bool wait_for(Predicate pred) {
    bool result = pred();
    while (!result) {
      wait();
      result = pred();
    }
    return result;
  }

  /// Same, giving up after `timeout` (Python's `wait_for(pred, timeout)`).
  template <class Predicate, class Rep, class Period>
  bool wait_for(Predicate pred, std::chrono::duration<Rep, Period> timeout) {
    using clock = std::chrono::steady_clock;
    auto ns = detail::wire_timeout(timeout);
    if (ns < 0)
      return wait_for(pred);
    auto end = clock::now() + std::chrono::nanoseconds{ns};
    bool result = pred();
    while (!result) {
      auto left = end - clock::now();
      if (left <= clock::duration::zero())
        break;
      wait(left);
      result = pred();
    }
    return result;
  }

  /// Wakes up to `n` waiters (the oldest first).
  void notify(uint32_t n = 1);

  /// Wakes every waiter.
  void notify_all() {
    notify(std::numeric_limits<uint32_t>::max());
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, condition& x) {
    return f(caf::meta::type_name("actorpool::condition"),
             static_cast<detail::acquirable&>(x), x.cond_);
  }

private:
  bool wait_ns(int64_t timeout_ns);

  uint64_t cond_ = 0;
};

} // namespace actorpool
