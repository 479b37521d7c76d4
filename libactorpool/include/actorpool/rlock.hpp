#pragma once

#include <chrono>
#include <cstdint>

#include "actorpool/lock.hpp"

namespace actorpool {

/// A reentrant lock shared by processes (Python: `multiprocessing.RLock`):
/// owned by one thread of one process, which may acquire it again (each
/// acquire needs a release). Only the owner may release it; anybody else
/// gets `state_error`, and so does releasing it more often than it was
/// acquired. Waiters are granted the lock in the order of their requests.
/// Owner and recursion count live in an actor in the parent process; a
/// client is a thread of a process (all tasks of one pool worker run on one
/// thread, so they count as the same owner).
///
/// **Holder death.** When the owning process dies the lock is released,
/// whatever its recursion count, and the next acquirer learns it through
/// `owner_died()` on the handle object it used (see `lock`). Waiters of a
/// dead process are forgotten.
///
/// **Handles.** As for `lock`: cheap copies that share the lock, created in
/// the parent on first use, `owner_died()` per handle object.
///
/// **Cost.** One round trip to the parent process per call (about 100 µs
/// from a worker), including reentrant acquires.
class rlock {
public:
  /// A new, free reentrant lock.
  rlock();

  /// Acquires the lock (again, if this thread owns it), waiting for it if
  /// `block`; returns whether it was acquired.
  bool acquire(bool block = true) {
    return acquire_ns(block ? -1 : 0);
  }

  /// Waits at most `timeout`; returns whether the lock was acquired.
  template <class Rep, class Period>
  bool acquire(std::chrono::duration<Rep, Period> timeout) {
    return acquire_ns(detail::wire_timeout(timeout));
  }

  /// Python's two-argument form: the timeout only applies when `block`.
  template <class Rep, class Period>
  bool acquire(bool block, std::chrono::duration<Rep, Period> timeout) {
    return block ? acquire(timeout) : acquire(false);
  }

  /// Undoes one acquire; throws `state_error` unless this thread owns it.
  void release();

  /// True if the most recent successful acquire through this object took
  /// over the lock from a process that died while owning it.
  bool owner_died() const noexcept {
    return died_.get();
  }

  /// The reference to the service (for `condition`).
  const detail::sync_ref& ref() const noexcept {
    return ref_;
  }

  /// Whether both handles refer to the same lock.
  friend bool operator==(const rlock& x, const rlock& y) {
    return x.ref_.same(y.ref_);
  }

  friend bool operator!=(const rlock& x, const rlock& y) {
    return !(x == y);
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, rlock& x) {
    uint64_t id = 0;
    auto save = [&] {
      return x.ref_.save(id);
    };
    auto load = [&]() -> caf::error {
      x.ref_.load(id);
      x.died_.set(false);
      return caf::none;
    };
    return f(caf::meta::type_name("actorpool::rlock"),
             caf::meta::save_callback(save), id,
             caf::meta::load_callback(load));
  }

private:
  bool acquire_ns(int64_t timeout_ns);

  detail::sync_ref ref_;
  detail::died_flag died_;
};

} // namespace actorpool
