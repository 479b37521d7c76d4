#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <caf/meta/type_name.hpp>

namespace actorpool {

/// A snapshot of a pool's bookkeeping.
struct pool_stats {
  /// Process ids of the live workers (starting, ready or retiring).
  std::vector<int32_t> pids;
  /// Process ids of the workers ready for tasks right now: those of `pids`
  /// that have started and run their initializer.
  std::vector<int32_t> ready_pids;
  /// Chunks ever accepted, completed successfully, failed.
  uint64_t submitted = 0;
  uint64_t completed = 0;
  uint64_t failed = 0;
  /// Chunks waiting for a worker, and chunks sent to workers.
  uint64_t queued = 0;
  uint64_t in_flight = 0;
  /// Chunks cancelled (dropped or stopped), and chunks that ran past their
  /// timeout.
  uint64_t cancelled = 0;
  uint64_t timed_out = 0;
  /// Workers started in all, workers that died unexpectedly, and workers
  /// the pool killed (a timeout, or a cancelled task past its grace period).
  uint64_t workers_started = 0;
  uint64_t workers_died = 0;
  uint64_t workers_killed = 0;
  /// Workers replaced for using more memory than `max_worker_memory`.
  uint64_t workers_recycled = 0;
  /// Chunks taken back, before they started, from a worker busy with a long
  /// chunk, for a worker that had nothing to do.
  uint64_t revoked = 0;
  /// Current number of chunks in flight allowed per worker.
  uint64_t window = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, pool_stats& x) {
  return f(caf::meta::type_name("pool_stats"), x.pids, x.ready_pids,
           x.submitted, x.completed, x.failed, x.queued, x.in_flight,
           x.cancelled, x.timed_out, x.workers_started, x.workers_died,
           x.workers_killed, x.workers_recycled, x.revoked, x.window);
}

} // namespace actorpool
