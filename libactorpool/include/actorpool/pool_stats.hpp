#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <caf/meta/type_name.hpp>

namespace actorpool {

/// The figures of one live worker in a `pool_stats` snapshot.
struct worker_stats {
  /// The worker's process id.
  int32_t pid = 0;
  /// Its place in the pool, from 0: a replacement takes the place of the
  /// worker it replaces (for a moment a retiring worker and its replacement
  /// show the same place).
  uint32_t slot = 0;
  /// Workers that held this place before it: replacements after a death, a
  /// kill, `max_tasks_per_child` or `max_worker_memory`.
  uint64_t restarts = 0;
  /// Chunks it finished (successfully or not) and the time it spent running
  /// them, as the worker measured it, in microseconds.
  uint64_t chunks = 0;
  uint64_t busy_us = 0;
  /// Its resident memory when the snapshot was taken, in bytes (one read of
  /// `/proc/<pid>/statm` per worker); 0 if unknown.
  uint64_t resident_bytes = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, worker_stats& x) {
  return f(caf::meta::type_name("worker_stats"), x.pid, x.slot, x.restarts,
           x.chunks, x.busy_us, x.resident_bytes);
}

/// A snapshot of a pool's bookkeeping.
struct pool_stats {
  /// Process ids of the live workers (starting, ready or retiring).
  std::vector<int32_t> pids;
  /// Process ids of the workers ready for tasks right now: those of `pids`
  /// that have started and run their initializer.
  std::vector<int32_t> ready_pids;
  /// Process ids of the ready spares (`pool_options::spare_workers`): started
  /// and initialized, given no tasks, in none of `pids`, `ready_pids` and
  /// `workers`. A spare still starting shows nowhere.
  std::vector<int32_t> spare_pids;
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
  /// Threads of a `thread_pool` that the pool let go while they ran a task
  /// (past its timeout, or at `terminate`) and whose task has not returned
  /// yet; always 0 for processes, which are killed.
  uint64_t stuck_threads = 0;
  /// One entry per live worker (those of `pids`), ordered by place.
  std::vector<worker_stats> workers;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, pool_stats& x) {
  return f(caf::meta::type_name("pool_stats"), x.pids, x.ready_pids,
           x.spare_pids, x.submitted, x.completed, x.failed, x.queued,
           x.in_flight, x.cancelled, x.timed_out, x.workers_started,
           x.workers_died, x.workers_killed, x.workers_recycled, x.revoked,
           x.window, x.stuck_threads, x.workers);
}

/// `x` as a few lines of text for people: the pool's counters, then a table
/// of its workers (place, pid, restarts, chunks, busy time, resident
/// memory), numbers shortened as `progress_bar` does (`13.8M`).
std::string to_string(const pool_stats& x);

} // namespace actorpool
