#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <caf/error.hpp>

#include "actorpool/detail/job.hpp"
#include "actorpool/pool_stats.hpp"
#include "internal/coordinator_env.hpp"
#include "internal/messages.hpp"

namespace actorpool::detail {

/// Settings of one pool, validated by the facade.
struct pool_config {
  size_t processes = 1;
  /// 0: unlimited.
  size_t max_tasks_per_child = 0;
  /// Chunks in flight per worker; 0: adapt to the measured task duration.
  size_t window = 0;
  size_t max_window = 256;
  /// Resubmissions of a chunk whose worker died before failing it.
  unsigned max_retries = 2;
  std::chrono::milliseconds start_timeout{10000};
  /// Time a terminated worker gets between SIGTERM and SIGKILL.
  std::chrono::milliseconds kill_grace{1000};
  /// Encoded bytes per tasks frame, and in flight per worker (soft limits:
  /// one chunk always fits).
  size_t max_batch_bytes = size_t{4} << 20;
  size_t max_inflight_bytes = size_t{64} << 20;
  /// Run in every worker before its first task (`id` 0).
  std::optional<task_msg> initializer;
};

/// The coordinator's logic without the actor around it: the task table, the
/// queue, per-worker windows, worker lifecycles, streams and shutdown. Every
/// effect on the outside world goes through `coordinator_env`, so tests can
/// drive it step by step. Not thread-safe: the coordinator actor owns it.
class coordinator_core {
public:
  coordinator_core(pool_config cfg, coordinator_env& env);

  /// Starts the configured number of workers.
  void start();

  // -- requests from the facade or the actor interface ------------------------

  /// Queues the chunks of one submission for `job`.
  caf::error submit(const std::string& name, std::vector<encoded_chunk> chunks,
                    job_ptr job);

  /// Opens stream `sid` (unique, chosen by the caller): chunks are pulled
  /// from `feeder` up to `budget` chunks submitted but not yet consumed.
  caf::error open_stream(uint64_t sid, const std::string& name,
                         caf::actor feeder, stream_job_ptr job, size_t budget);

  /// Chunks read by a stream's feeder; `end` marks the end of the input.
  void on_input(uint64_t sid, std::vector<encoded_chunk> chunks, bool end);

  /// The stream's input threw.
  void on_input_error(uint64_t sid, std::exception_ptr ep);

  /// The consumer of stream `sid` consumed `n` chunks (or went away).
  void on_credit(uint64_t sid, size_t n);

  /// Stops accepting work; workers exit once the queue is done.
  void close();

  /// Fails all work with `errc::terminated` and stops every worker now.
  void terminate();

  /// Calls `done` once the pool is closed or terminated and every worker is
  /// gone. Returns an error (and never calls `done`) while still running.
  caf::error join(std::function<void()> done);

  /// Calls `fn` once all initial workers are ready, or with the error that
  /// prevented it.
  void when_ready(std::function<void(const caf::error&)> fn);

  // -- events from workers and timers -----------------------------------------

  void on_hello(uint64_t wid, const hello_msg& msg);

  void on_results(uint64_t wid, std::vector<result_msg>& results);

  /// The connection to worker `wid` ended (EOF or a protocol violation).
  void on_down(uint64_t wid, const std::string& reason);

  void on_timer(timer_kind kind, uint64_t wid);

  /// Kills and reaps every worker synchronously (the actor is going away).
  void shutdown_now();

  // -- observers --------------------------------------------------------------

  pool_stats stats() const;

  /// Chunks in flight allowed per worker right now.
  size_t window() const;

  bool running() const noexcept {
    return state_ == pool_state::running;
  }

  /// True once closed or terminated and every worker is gone.
  bool finished() const noexcept;

private:
  enum class pool_state { running, closed, terminated };

  enum class worker_state { starting, initializing, ready, retiring, exiting };

  struct worker_rec {
    uint64_t id = 0;
    int pid = -1;
    worker_state state = worker_state::starting;
    std::unordered_set<uint64_t> in_flight;
    size_t in_flight_bytes = 0;
    size_t assigned = 0;
    std::string down_reason;
    unsigned reap_attempts = 0;
    std::chrono::steady_clock::time_point down_at;
  };

  struct task_rec {
    std::string name;
    uint32_t count = 1;
    std::string payload;
    job_ptr owner;
    size_t index = 0;
    uint64_t stream = 0;
    uint32_t attempts = 0;
    uint64_t worker = 0;
  };

  struct stream_rec {
    uint64_t id = 0;
    std::string name;
    caf::actor feeder;
    stream_job_ptr job;
    size_t budget = 0;
    size_t next_index = 0;
    size_t outstanding = 0;
    size_t requested = 0;
    size_t completed = 0;
    bool exhausted = false;
  };

  // -- tasks (coordinator_tasks.cpp) ------------------------------------------

  uint64_t enqueue(const std::string& name, encoded_chunk&& chunk,
                   const job_ptr& owner, size_t index, uint64_t stream);

  void dispatch();

  worker_rec* pick_worker();

  bool has_room(const worker_rec& w) const;

  void assign(worker_rec& w, uint64_t id, task_rec& t,
              std::vector<task_msg>& batch, size_t& batch_bytes);

  void complete(worker_rec& w, result_msg& r);

  using task_map = std::unordered_map<uint64_t, task_rec>;

  void finish_task(task_rec& t, const caf::error& err, std::string&& payload);

  void finish_erase(task_map::iterator i, const caf::error& err,
                    std::string&& payload = {});

  void fail_queued(const caf::error& err);

  void record_exec(uint32_t exec_us);

  // -- workers (coordinator_workers.cpp) --------------------------------------

  void start_worker();

  void become_ready(worker_rec& w);

  void on_init_result(worker_rec& w, const result_msg& r);

  void retire(worker_rec& w);

  void begin_exit(worker_rec& w);

  void try_reap(worker_rec& w);

  void on_exit(uint64_t wid, const exit_status& st);

  void requeue_or_fail(worker_rec& w, const exit_status& st);

  void start_failed(const caf::error& err);

  void break_pool(const caf::error& err);

  size_t active_workers() const;

  bool needs_replacement() const;

  worker_rec* find_worker(uint64_t wid);

  // -- streams and shutdown (coordinator_streams.cpp) -------------------------

  void request_more(stream_rec& s);

  void stream_chunk_done(uint64_t sid);

  void drop_stream(uint64_t sid, const caf::error* err);

  void maybe_finish();

  void notify_ready(const caf::error& err);

  // -- member variables -------------------------------------------------------

  pool_config cfg_;
  coordinator_env& env_;
  pool_state state_ = pool_state::running;
  caf::error broken_;
  uint64_t next_task_ = 1;
  uint64_t next_worker_ = 1;
  task_map tasks_;
  std::deque<uint64_t> queue_;
  std::map<uint64_t, worker_rec> workers_;
  std::unordered_map<uint64_t, stream_rec> streams_;
  std::vector<std::function<void()>> join_waiters_;
  std::vector<std::function<void(const caf::error&)>> ready_waiters_;
  bool initially_ready_ = false;
  unsigned consecutive_start_failures_ = 0;
  /// Moving average of the chunk run time; starts as a long chunk, so the
  /// first chunks spread over the workers one by one.
  double avg_exec_us_ = 5000.0;
  pool_stats counters_;
};

} // namespace actorpool::detail
