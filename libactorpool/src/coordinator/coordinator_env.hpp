#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/expected.hpp>

#include "os/spawn.hpp"
#include "transport/messages.hpp"

namespace actorpool::detail {

/// Timers the coordinator sets for a worker.
enum class timer_kind : uint8_t {
  /// Retry `waitpid` for a worker whose connection closed.
  reap,
  /// A worker must have said hello by now.
  start_timeout,
  /// A terminated worker that still lives gets SIGKILL.
  kill,
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

/// Everything the coordinator's logic does to the outside world. The actor
/// implements it with processes, brokers and delayed messages; tests
/// implement it with plain recordings.
class coordinator_env {
public:
  virtual ~coordinator_env();

  /// Starts worker `wid`; returns its pid. Its broker will later report
  /// hello, results and the connection's end for `wid`.
  virtual caf::expected<int> start_worker(uint64_t wid) = 0;

  virtual void send_tasks(uint64_t wid, std::vector<task_msg> batch) = 0;

  virtual void send_init(uint64_t wid, const task_msg& init) = 0;

  /// Asks the worker to finish its queue and exit.
  virtual void send_shutdown(uint64_t wid) = 0;

  virtual void send_cancel(uint64_t wid, uint64_t task) = 0;

  /// Takes `tasks` back from the worker unless they have started: the
  /// worker answers with a `not_started` result for each one it dropped; the
  /// others report as usual.
  virtual void send_revoke(uint64_t wid, std::vector<uint64_t> tasks) = 0;

  /// Closes the connection to a worker (the worker exits on EOF).
  virtual void disconnect(uint64_t wid) = 0;

  virtual void signal(int pid, int sig) = 0;

  /// Non-blocking reap; `nullopt` while the process still runs.
  virtual std::optional<exit_status> reap(int pid) = 0;

  /// Calls `coordinator_core::on_timer(kind, wid)` after `delay`.
  virtual void
  schedule(std::chrono::milliseconds delay, timer_kind kind, uint64_t wid)
    = 0;

  /// Asks `feeder` for up to `n` more chunks of stream `sid`.
  virtual void pull_input(const caf::actor& feeder, uint64_t sid, size_t n) = 0;

  /// Tells `feeder` to stop; its stream is over.
  virtual void stop_feeder(const caf::actor& feeder) = 0;

  /// Worker process `pid` is gone, or the pool lets it go: none of its
  /// service calls reaches a service any more, and the services release what
  /// it held and forget its waiting calls before they see anything sent
  /// after this. The core calls it once per worker, before it reports how
  /// any of the worker's chunks ended: whoever learns of the end and then
  /// uses a queue or lock finds the dead process gone from it.
  virtual void client_gone(int pid) = 0;

  /// The coordinator's clock (tests substitute their own).
  virtual std::chrono::steady_clock::time_point now() const;

  /// Resident memory of process `pid` in bytes; `nullopt` if unknown.
  virtual std::optional<size_t> resident_bytes(int pid) = 0;

  /// Something went wrong that no caller will hear of in full (a worker
  /// broke the protocol): by default, one line on stderr.
  virtual void warn(const std::string& what);
};

} // namespace actorpool::detail
