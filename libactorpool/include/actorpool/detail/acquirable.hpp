#pragma once

#include <chrono>
#include <cstdint>

#include <caf/error.hpp>
#include <caf/meta/load_callback.hpp>

#include "actorpool/detail/died_flag.hpp"
#include "actorpool/detail/lazy_service.hpp"
#include "actorpool/detail/wire_timeout.hpp"

namespace actorpool::detail {

/// What the handles of the services that are acquired and released share:
/// `lock`, `rlock`, `semaphore`, and `condition` (which acquires its lock).
/// Holds the service and the handle object's own `owner_died()` flag: a copy
/// starts with the value of the object it was copied from, a decoded handle
/// starts false.
///
/// Cost: every member function is one call to the service, one round trip
/// to the parent process from a worker; except `release` by a worker thread
/// that holds what it releases (it acquired it and has not released it
/// since), which is written without waiting for the reply.
class acquirable {
public:
  /// Acquires (a lock: takes ownership; a semaphore: takes a unit), waiting
  /// if `block`; returns whether it acquired.
  bool acquire(bool block = true) {
    return acquire_ns(block ? wait_forever : 0);
  }

  /// Waits at most `timeout` (a negative one counts as zero); returns
  /// whether it acquired.
  template <class Rep, class Period>
  bool acquire(std::chrono::duration<Rep, Period> timeout) {
    return acquire_ns(wire_timeout(timeout));
  }

  /// Python's two-argument form: the timeout only applies when `block`.
  template <class Rep, class Period>
  bool acquire(bool block, std::chrono::duration<Rep, Period> timeout) {
    return block ? acquire(timeout) : acquire(false);
  }

  /// Releases (a semaphore: gives a unit back); throws `state_error` where
  /// the class forbids it.
  void release();

  /// True if the most recent successful acquisition through this object
  /// took over what a process held when it died.
  bool owner_died() const noexcept {
    return died_.get();
  }

  /// The service (for `condition`, `value` and `manager`).
  const lazy_service& service() const noexcept {
    return svc_;
  }

  /// Encodes the service; a decoded handle starts with `owner_died()` false.
  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, acquirable& x) {
    auto fresh = [&x]() -> caf::error {
      x.died_.set(false);
      return caf::none;
    };
    return f(x.svc_, caf::meta::load_callback(fresh));
  }

protected:
  acquirable() = default;

  explicit acquirable(lazy_service svc) noexcept;

  void set_owner_died(bool x) noexcept {
    died_.set(x);
  }

private:
  bool acquire_ns(int64_t timeout_ns);

  lazy_service svc_;
  died_flag died_;
};

} // namespace actorpool::detail
