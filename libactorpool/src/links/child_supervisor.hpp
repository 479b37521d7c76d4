#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "os/spawn.hpp"
#include "transport/messages.hpp"

namespace actorpool::detail {

/// Timers a child supervisor sets.
enum class child_timer : uint8_t {
  /// Try `waitpid` again.
  reap,
  /// The linger after a polite stop is over: SIGKILL.
  kill,
};

/// What a child supervisor does to the outside world: the operating system
/// and delayed messages in production, recordings in tests.
class child_control {
public:
  virtual ~child_control();

  /// Non-blocking reap; `nullopt` while the process still runs.
  virtual std::optional<exit_status> reap(int pid) = 0;

  /// Waits until `pid` has ended and reaps it.
  virtual exit_status reap_blocking(int pid) = 0;

  virtual void signal(int pid, int sig) = 0;

  virtual std::chrono::steady_clock::time_point now() const = 0;

  /// Calls `on_timer(t)` of the supervisor named `key` after `delay`.
  virtual void
  schedule(uint64_t key, std::chrono::milliseconds delay, child_timer t)
    = 0;
};

/// Watches one child process: checks its hello, stops it (SIGTERM, then
/// SIGKILL after the linger), and once its connection is closed reaps it,
/// retrying with a growing delay (1 ms doubling to 64 ms) and killing it if
/// it lingers past the linger. Pure logic: every effect goes through
/// `child_control`. Not thread-safe.
class child_supervisor {
public:
  child_supervisor(uint64_t key, int pid, std::chrono::milliseconds linger,
                   child_control& ctl);

  int pid() const noexcept {
    return pid_;
  }

  /// True once the child is reaped.
  bool reaped() const noexcept {
    return reaped_;
  }

  /// Empty if `msg` comes from this child speaking this protocol, else why
  /// not: "bad hello (protocol version 3, pid 42)".
  std::string check_hello(const hello_msg& msg) const;

  /// SIGTERM now; SIGKILL once the linger passed and the child still runs.
  void stop();

  /// SIGKILL now (nothing once reaped).
  void kill();

  /// The child's connection closed: reaps it, or keeps trying (timers) and
  /// returns `nullopt`; `on_timer` returns the status once it is reaped.
  std::optional<exit_status> closed();

  /// A timer set by this supervisor fired; returns the status if this
  /// reaped the child.
  std::optional<exit_status> on_timer(child_timer t);

  /// Waits until the child has ended (after `kill`) and reaps it.
  exit_status wait();

  /// Delay before reap attempt `n` (0-based): 1 ms doubling up to 64 ms.
  static std::chrono::milliseconds reap_delay(unsigned n);

private:
  std::optional<exit_status> try_reap();

  uint64_t key_;
  int pid_;
  std::chrono::milliseconds linger_;
  child_control& ctl_;
  bool reaped_ = false;
  bool closed_ = false;
  unsigned reap_attempts_ = 0;
  std::chrono::steady_clock::time_point closed_at_;
};

} // namespace actorpool::detail
