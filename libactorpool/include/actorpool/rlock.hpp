#pragma once

#include <caf/meta/type_name.hpp>

#include "actorpool/detail/acquirable.hpp"
#include "actorpool/lock_guard.hpp"

namespace actorpool {

/// A reentrant lock shared by processes (Python: `multiprocessing.RLock`):
/// owned by one thread of one process, which may acquire it again (each
/// acquire needs a release). Only the owner may release it; anybody else
/// gets `state_error`, and so does releasing it more often than it was
/// acquired. Waiters are granted the lock in the order of their requests.
/// Owner and recursion count live in an actor in the parent process; a
/// client is a thread of a process (all tasks of one pool worker run on one
/// thread, so they count as the same owner). `acquire` and `release` are
/// those of `lock`.
///
/// **Holder death.** When the owning process dies the lock is released,
/// whatever its recursion count, and the next acquirer learns it through
/// `owner_died()` on the handle object it used (see `lock`). Waiters of a
/// dead process are forgotten.
///
/// **Handles.** As for `lock`: cheap copies that share the lock, created in
/// the parent on first use, `owner_died()` per handle object.
///
/// **Cost.** One round trip to the parent process per call (about 25 µs
/// from a worker, 10 µs from the parent), including reentrant acquires.
class rlock : public detail::acquirable {
public:
  /// A new, free reentrant lock.
  rlock();

  /// Whether both handles refer to the same lock.
  friend bool operator==(const rlock& x, const rlock& y) noexcept {
    return x.service().same(y.service());
  }

  friend bool operator!=(const rlock& x, const rlock& y) noexcept {
    return !(x == y);
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, rlock& x) {
    return f(caf::meta::type_name("actorpool::rlock"),
             static_cast<detail::acquirable&>(x));
  }
};

} // namespace actorpool
