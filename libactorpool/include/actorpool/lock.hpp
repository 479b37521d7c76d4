#pragma once

#include <caf/meta/type_name.hpp>

#include "actorpool/detail/acquirable.hpp"
#include "actorpool/lock_guard.hpp"

namespace actorpool {

/// A mutual-exclusion lock shared by processes (Python:
/// `multiprocessing.Lock`). The lock is an actor in the parent process that
/// grants it to one caller at a time, in the order of their requests; no
/// caller ever spins. `acquire(block)`, `acquire(timeout)` and
/// `acquire(block, timeout)` return whether they got the lock; `release()`
/// unlocks it. Any thread of any process may release it (like Python's
/// `Lock`); releasing an unlocked lock throws `state_error`. A lock is not
/// reentrant: a second `acquire` by the holder waits (see `rlock`).
///
/// **Holder death.** When the process holding the lock dies, the lock is
/// released, and the next acquirer learns it: its `acquire` returns true as
/// usual and `owner_died()` becomes true on the handle object it used. The
/// data the lock protected may be half-updated. Waiters of a dead process are
/// forgotten (never granted).
///
/// **Handles.** Cheap to copy; copies share the lock. The lock is created in
/// the parent process on first use or when the handle is passed to a task or
/// process; create locks in the parent and pass them (a lock first used in a
/// worker throws `state_error`). `owner_died()` belongs to the handle object:
/// a copy starts with the value of the object it was copied from, and a
/// handle decoded in a worker starts false. The copies in the parent keep
/// the lock alive: once the last of them is gone, calls from workers fail
/// with `bad_argument` (and waiting ones are woken with it).
///
/// **Cost.** Every call is one round trip to the lock's actor: about 25 µs
/// from a worker (over its socket), about 10 µs from the parent itself (a
/// blocking request through the actor system), on an idle machine. One
/// exception: in a worker, a thread releasing what it acquired does not
/// wait for the actor (the release is written to the socket and reaches
/// the lock before anything the thread sends next), so `acquire` plus
/// `release` costs one round trip (actorpool-bench `lock_roundtrip`
/// measures the pair from a worker). Such a release is not checked: if
/// another thread or process released the lock in between (allowed for a
/// `lock`), it is dropped instead of throwing `state_error`. Python's
/// `Lock`, a semaphore in shared memory, takes well under a microsecond.
class lock : public detail::acquirable {
public:
  /// A new, unlocked lock.
  lock();

  /// Whether both handles refer to the same lock.
  friend bool operator==(const lock& x, const lock& y) noexcept {
    return x.service().same(y.service());
  }

  friend bool operator!=(const lock& x, const lock& y) noexcept {
    return !(x == y);
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, lock& x) {
    return f(caf::meta::type_name("actorpool::lock"),
             static_cast<detail::acquirable&>(x));
  }
};

} // namespace actorpool
