#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include <caf/error.hpp>
#include <caf/meta/load_callback.hpp>
#include <caf/meta/save_callback.hpp>
#include <caf/meta/type_name.hpp>

#include "actorpool/detail/service.hpp"

namespace actorpool {

namespace detail {

class lazy_primitive;

/// What the handles of every synchronisation primitive hold: a shared
/// reference to the primitive's service actor in the parent process. The
/// service is created on first use (a call, or encoding the handle as a task
/// argument), so default-constructed handles cost nothing, also in the
/// workers that decode them. Copies share the service; a handle decoded in
/// another process refers to the same service.
class sync_ref {
public:
  /// An empty reference (throws `state_error` when used).
  sync_ref() = default;

  explicit sync_ref(std::shared_ptr<lazy_primitive> svc) noexcept;

  /// The service id; creates the service on first use (in the parent only).
  uint64_t id() const;

  /// Calls `op`; see `call_service`.
  std::string call(service_op op, std::string payload = {}) const;

  /// Typed call: encodes `xs`, decodes an `R`.
  template <class R, class... Ts>
  R call_as(service_op op, Ts... xs) const {
    return call_service_as<R>(id(), op, xs...);
  }

  /// Same service (never creates one).
  bool same(const sync_ref& other) const;

  /// For `inspect`: the id to save (creating the service), or an error.
  caf::error save(uint64_t& id) const noexcept;

  /// For `inspect`: refers to service `id` from now on.
  void load(uint64_t id);

private:
  std::shared_ptr<lazy_primitive> svc_;
};

/// A flag a handle object keeps for itself (`owner_died()`): atomic, and
/// copied by value with the handle.
class died_flag {
public:
  died_flag() = default;

  died_flag(const died_flag& other) noexcept : flag_(other.get()) {
    // nop
  }

  died_flag& operator=(const died_flag& other) noexcept {
    flag_.store(other.get());
    return *this;
  }

  bool get() const noexcept {
    return flag_.load();
  }

  void set(bool x) noexcept {
    flag_.store(x);
  }

private:
  std::atomic<bool> flag_{false};
};

/// A timeout as the services take it: nanoseconds, negative ones clamped to
/// 0 (like Python's multiprocessing), very long ones meaning "forever" (-1).
template <class Rep, class Period>
int64_t wire_timeout(std::chrono::duration<Rep, Period> d) {
  using ns = std::chrono::duration<double, std::nano>;
  auto x = std::chrono::duration_cast<ns>(d).count();
  if (!(x > 0)) // also NaN
    return 0;
  if (x >= 1e18) // ~31 years
    return -1;
  return static_cast<int64_t>(x);
}

} // namespace detail

/// A mutual-exclusion lock shared by processes (Python:
/// `multiprocessing.Lock`). The lock is an actor in the parent process that
/// grants it to one caller at a time, in the order of their requests; no
/// caller ever spins. Any thread of any process may release it (like
/// Python's `Lock`); releasing an unlocked lock throws `state_error`.
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
/// **Cost.** Every call is one round trip to the lock's actor: about 100 µs
/// from a worker (over its socket), about 40 µs from the parent itself (a
/// blocking request through the actor system). `acquire` plus `release` is
/// two calls.
class lock {
public:
  /// A new, unlocked lock.
  lock();

  /// Acquires the lock, waiting for it if `block`; returns whether it was
  /// acquired.
  bool acquire(bool block = true) {
    return acquire_ns(block ? -1 : 0);
  }

  /// Waits at most `timeout` for the lock; returns whether it was acquired.
  template <class Rep, class Period>
  bool acquire(std::chrono::duration<Rep, Period> timeout) {
    return acquire_ns(detail::wire_timeout(timeout));
  }

  /// Python's two-argument form: the timeout only applies when `block`.
  template <class Rep, class Period>
  bool acquire(bool block, std::chrono::duration<Rep, Period> timeout) {
    return block ? acquire(timeout) : acquire(false);
  }

  /// Releases the lock; throws `state_error` when it is not locked.
  void release();

  /// True if the most recent successful acquire through this object took
  /// over the lock from a process that died while holding it.
  bool owner_died() const noexcept {
    return died_.get();
  }

  /// The reference to the service (for `condition` and `value`).
  const detail::sync_ref& ref() const noexcept {
    return ref_;
  }

  /// Whether both handles refer to the same lock.
  friend bool operator==(const lock& x, const lock& y) {
    return x.ref_.same(y.ref_);
  }

  friend bool operator!=(const lock& x, const lock& y) {
    return !(x == y);
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, lock& x) {
    uint64_t id = 0;
    auto save = [&] {
      return x.ref_.save(id);
    };
    auto load = [&]() -> caf::error {
      x.ref_.load(id);
      x.died_.set(false);
      return caf::none;
    };
    return f(caf::meta::type_name("actorpool::lock"),
             caf::meta::save_callback(save), id,
             caf::meta::load_callback(load));
  }

private:
  bool acquire_ns(int64_t timeout_ns);

  detail::sync_ref ref_;
  detail::died_flag died_;
};

/// Holds a lock-like object (`lock`, `rlock`, `semaphore`, `condition`) for
/// the lifetime of the guard (Python: `with l:`): acquires it blocking in the
/// constructor and releases it in the destructor. Holds a reference to `l`.
template <class Lockable>
class lock_guard {
public:
  explicit lock_guard(Lockable& l) : l_(l) {
    l_.acquire();
  }

  lock_guard(const lock_guard&) = delete;

  lock_guard& operator=(const lock_guard&) = delete;

  ~lock_guard() {
    try {
      l_.release();
    } catch (...) {
      // released by someone else meanwhile (a `lock` allows that)
    }
  }

private:
  Lockable& l_;
};

} // namespace actorpool
