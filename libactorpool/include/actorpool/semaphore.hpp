#pragma once

#include <chrono>
#include <cstdint>

#include "actorpool/lock.hpp"

namespace actorpool {

/// A counting semaphore shared by processes (Python:
/// `multiprocessing.Semaphore`): `acquire` takes a unit, waiting while there
/// is none; `release` gives one back, and may raise the value above its
/// start. Blocked acquirers get units in the order of their requests. The
/// counter lives in an actor in the parent process.
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
/// **Cost.** One round trip to the parent process per call (about 100 µs
/// from a worker).
class semaphore {
public:
  /// A semaphore with `value` units (>= 0, else `bad_argument`).
  explicit semaphore(int64_t value = 1);

  /// Takes a unit, waiting for one if `block`; returns whether it got one.
  bool acquire(bool block = true) {
    return acquire_ns(block ? -1 : 0);
  }

  /// Waits at most `timeout` for a unit; returns whether it got one.
  template <class Rep, class Period>
  bool acquire(std::chrono::duration<Rep, Period> timeout) {
    return acquire_ns(detail::wire_timeout(timeout));
  }

  /// Python's two-argument form: the timeout only applies when `block`.
  template <class Rep, class Period>
  bool acquire(bool block, std::chrono::duration<Rep, Period> timeout) {
    return block ? acquire(timeout) : acquire(false);
  }

  /// Gives a unit back (a `bounded_semaphore` throws `state_error` when that
  /// would exceed its initial value).
  void release();

  /// The number of free units (Python: `get_value()`).
  int64_t get_value() const;

  /// True if the most recent successful acquire through this object took a
  /// unit that a process held when it died.
  bool owner_died() const noexcept {
    return died_.get();
  }

  /// Whether both handles refer to the same semaphore.
  friend bool operator==(const semaphore& x, const semaphore& y) {
    return x.ref_.same(y.ref_);
  }

  friend bool operator!=(const semaphore& x, const semaphore& y) {
    return !(x == y);
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, semaphore& x) {
    uint64_t id = 0;
    auto save = [&] {
      return x.ref_.save(id);
    };
    auto load = [&]() -> caf::error {
      x.ref_.load(id);
      x.died_.set(false);
      return caf::none;
    };
    return f(caf::meta::type_name("actorpool::semaphore"),
             caf::meta::save_callback(save), id,
             caf::meta::load_callback(load));
  }

protected:
  semaphore(int64_t value, bool bounded);

private:
  bool acquire_ns(int64_t timeout_ns);

  detail::sync_ref ref_;
  detail::died_flag died_;
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
