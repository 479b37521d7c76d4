#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include <caf/actor.hpp>

namespace actorpool::detail {

/// Timers the coordinator sets for a worker.
enum class timer_kind : uint8_t {
  /// A worker must have said hello by now.
  start_timeout,
  /// Start a replacement after a failed start (not tied to a worker: 0).
  respawn,
  /// The task running in the worker may have exceeded its timeout.
  deadline,
  /// A cancelled task may still run in the worker past the grace period.
  cancel_grace,
  /// Look again for a chunk to take back for an idle worker (not tied to a
  /// worker: 0).
  rebalance,
};

/// What the coordinator's logic does to the outside world besides driving
/// workers (that is the `worker_link`'s job): timers, stream feeders, the
/// clock and warnings. The actor implements it with messages; tests
/// implement it with plain recordings.
class coordinator_env {
public:
  virtual ~coordinator_env();

  /// Calls `coordinator_core::on_timer(kind, wid)` after `delay`.
  virtual void
  schedule(std::chrono::milliseconds delay, timer_kind kind, uint64_t wid)
    = 0;

  /// Asks `feeder` for up to `n` more chunks of stream `sid`.
  virtual void pull_input(const caf::actor& feeder, uint64_t sid, size_t n) = 0;

  /// Tells `feeder` to stop; its stream is over.
  virtual void stop_feeder(const caf::actor& feeder) = 0;

  /// The coordinator's clock (tests substitute their own).
  virtual std::chrono::steady_clock::time_point now() const;

  /// Something went wrong that no caller will hear of in full (a worker
  /// broke the protocol): by default, one line on stderr.
  virtual void warn(const std::string& what);
};

} // namespace actorpool::detail
