#pragma once

#include <chrono>
#include <cstdint>

#include <caf/meta/type_name.hpp>

#include "actorpool/detail/lazy_service.hpp"
#include "actorpool/detail/wire_timeout.hpp"

namespace actorpool {

/// A flag that processes can wait for (Python: `multiprocessing.Event`):
/// `set` raises it and wakes every waiter at once, `clear` lowers it, `wait`
/// returns at once while it is raised and otherwise blocks until it is, or
/// until its timeout (then it returns false). The flag lives in an actor in
/// the parent process; waiting costs nothing but the blocked thread.
///
/// **Process death.** An event has no holder. The waits of a process that
/// dies are forgotten.
///
/// **Handles.** Cheap copies that share the event; created in the parent on
/// first use, or when passed to a task or process.
///
/// **Cost.** One round trip to the parent process per call (about 25 µs
/// from a worker, 10 µs from the parent); a `wait` is one call however long
/// it waits.
class event {
public:
  /// A new event, not set.
  event();

  /// Sets the flag; wakes every waiter.
  void set();

  /// Clears the flag.
  void clear();

  /// The flag.
  bool is_set() const;

  /// Waits until the flag is set; returns true.
  bool wait() {
    return wait_ns(detail::wait_forever);
  }

  /// Waits at most `timeout`; returns the flag (false on timeout).
  template <class Rep, class Period>
  bool wait(std::chrono::duration<Rep, Period> timeout) {
    return wait_ns(detail::wire_timeout(timeout));
  }

  /// Whether both handles refer to the same event.
  friend bool operator==(const event& x, const event& y) noexcept {
    return x.svc_.same(y.svc_);
  }

  friend bool operator!=(const event& x, const event& y) noexcept {
    return !(x == y);
  }

  /// The service (for `manager`).
  const detail::lazy_service& service() const noexcept {
    return svc_;
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, event& x) {
    return f(caf::meta::type_name("actorpool::event"), x.svc_);
  }

private:
  bool wait_ns(int64_t timeout_ns);

  detail::lazy_service svc_;
};

} // namespace actorpool
