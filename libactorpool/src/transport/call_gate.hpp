#pragma once

#include <mutex>
#include <utility>

namespace actorpool::detail {

/// Orders the service calls of one worker or process against the news that
/// it is gone. Its parent broker forwards every call through `pass`; whoever
/// lets the process go closes the gate before telling the services
/// (`notify_client_down`). So each call the process made reaches a service's
/// mailbox before that news, none after it, and anything a thread does after
/// it learned of the end (through a result, an exit code, ...) comes later
/// still: a blocked `get` of a dead process is never handed an item, and a
/// blocked `put` of it is never accepted. Costs one uncontended mutex per
/// call.
class call_gate {
public:
  /// Runs `forward()`, which only enqueues messages, unless the gate is
  /// closed; returns whether it ran.
  template <class F>
  bool pass(F&& forward) {
    std::lock_guard<std::mutex> guard{mtx_};
    if (closed_)
      return false;
    std::forward<F>(forward)();
    return true;
  }

  /// Closes the gate for good. Returns once no `pass` is running, so every
  /// call forwarded through it is already enqueued.
  void close();

  bool closed() const;

private:
  mutable std::mutex mtx_;
  bool closed_ = false;
};

} // namespace actorpool::detail
