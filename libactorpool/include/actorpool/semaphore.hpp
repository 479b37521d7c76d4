#pragma once

#include <cstdint>

#include <caf/meta/type_name.hpp>

#include "actorpool/detail/acquirable.hpp"
#include "actorpool/lock_guard.hpp"

namespace actorpool {

/// A counting semaphore shared by processes (Python:
/// `multiprocessing.Semaphore`): `acquire` takes a unit, waiting while there
/// is none (`acquire(block)`, `acquire(timeout)`, `acquire(block, timeout)`
/// return whether they got one); `release` gives one back, and may raise the
/// value above its start. Blocked acquirers get units in the order of their
/// requests. The counter lives in an actor in the parent process.
///
/// **Holder death.** The semaphore remembers which process took each unit:
/// when a process dies, the units it took and did not release come back, and
/// each acquire that takes one of them sets `owner_died()` on the handle
/// object it used. A release by a process that holds no unit returns the
/// oldest unit somebody else holds. So a semaphore that limits concurrency
/// never loses capacity to a dead process; one used for signalling between
/// processes (acquired in one, released in another) may get a unit back when
/// a consumer dies, so prefer an `event` or a queue for that. Waiters of a
/// dead process are forgotten.
///
/// **Handles.** As for `lock`: cheap copies that share the semaphore,
/// created in the parent on first use, `owner_died()` per handle object.
///
/// **Cost.** One round trip to the parent process per call (about 25 µs
/// from a worker, 10 µs from the parent).
class semaphore : public detail::acquirable {
public:
  /// A semaphore with `value` units (>= 0, else `bad_argument`).
  explicit semaphore(int64_t value = 1);

  /// The number of free units (Python: `get_value()`).
  int64_t get_value() const;

  /// Whether both handles refer to the same semaphore.
  friend bool operator==(const semaphore& x, const semaphore& y) noexcept {
    return x.service().same(y.service());
  }

  friend bool operator!=(const semaphore& x, const semaphore& y) noexcept {
    return !(x == y);
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, semaphore& x) {
    return f(caf::meta::type_name("actorpool::semaphore"),
             static_cast<detail::acquirable&>(x));
  }

protected:
  semaphore(int64_t value, bool bounded);
};

/// A semaphore that may not be released above its initial value (Python:
/// `multiprocessing.BoundedSemaphore`): such a `release` throws
/// `state_error`. Otherwise a `semaphore` (and usable as one); a dead
/// process's units come back without ever exceeding the bound.
class bounded_semaphore : public semaphore {
public:
  /// A bounded semaphore with `value` units, its bound (>= 0).
  explicit bounded_semaphore(int64_t value = 1);
};

} // namespace actorpool
