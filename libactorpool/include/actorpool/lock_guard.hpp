#pragma once

namespace actorpool {

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
