#pragma once

#include <chrono>
#include <cstdint>

#include "actorpool/lock.hpp"

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
/// **Cost.** One round trip to the parent process per call (about 100 µs
/// from a worker); a `wait` is one call however long it waits.
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
    return wait_ns(-1);
  }

  /// Waits at most `timeout`; returns the flag (false on timeout).
  template <class Rep, class Period>
  bool wait(std::chrono::duration<Rep, Period> timeout) {
    return wait_ns(detail::wire_timeout(timeout));
  }

  /// Whether both handles refer to the same event.
  friend bool operator==(const event& x, const event& y) {
    return x.ref_.same(y.ref_);
  }

  friend bool operator!=(const event& x, const event& y) {
    return !(x == y);
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, event& x) {
    uint64_t id = 0;
    auto save = [&] {
      return x.ref_.save(id);
    };
    auto load = [&]() -> caf::error {
      x.ref_.load(id);
      return caf::none;
    };
    return f(caf::meta::type_name("actorpool::event"),
             caf::meta::save_callback(save), id,
             caf::meta::load_callback(load));
  }

private:
  bool wait_ns(int64_t timeout_ns);

  detail::sync_ref ref_;
};

} // namespace actorpool
