#pragma once

#include <chrono>

namespace actorpool {

/// Settings of one call, given as the first argument of `apply`,
/// `apply_async`, `map` and `map_async`:
/// `p.apply_async(call_options{}.timeout(2s), f, x)`.
class call_options {
public:
  /// Limit on the run time of each task message of the call (for `map`:
  /// of each chunk). A task still running when it expires fails with
  /// `timeout_error`; its worker is killed and replaced, and the other tasks
  /// of the pool are not affected. Zero (the default) uses the pool's
  /// `task_timeout`.
  call_options& timeout(std::chrono::milliseconds t) noexcept {
    timeout_ = t;
    return *this;
  }

  std::chrono::milliseconds timeout() const noexcept {
    return timeout_;
  }

private:
  std::chrono::milliseconds timeout_{0};
};

} // namespace actorpool
