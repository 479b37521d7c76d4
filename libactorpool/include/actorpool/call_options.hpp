#pragma once

#include <chrono>
#include <utility>

#include "actorpool/progress.hpp"

namespace actorpool {

/// Settings of one call, given as the first argument of `apply`,
/// `apply_async`, `map`, `map_async`, `starmap`, `starmap_async`, `imap`
/// and `imap_unordered`:
/// `p.apply_async(call_options{}.timeout(2s), f, x)`.
///
/// **Progress** (`on_progress`): calls `fn` with the call's progress on the
/// pool's callback thread, at most every `interval` while results arrive, and
/// exactly once more at the end with `finished` set: when the call succeeded,
/// failed, was cancelled or the pool was terminated. That final report comes
/// before the call's result is delivered, and nothing comes after it: `map`
/// returns, `get()` and `wait()` return and `on_complete` callbacks run
/// only after it; an `imap` sequence ends (with `nullopt` or the exception
/// that ends it) only after it, and destroying the sequence early makes
/// it then. A call the pool refuses at once (it is closed) throws and
/// reports nothing. `total` is the number of items for a `map` and for
/// sized ranges; otherwise it becomes known when the input has been read
/// to its end, and until then `read` says how far the input has been read.
class call_options : public progress_option<call_options> {
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
