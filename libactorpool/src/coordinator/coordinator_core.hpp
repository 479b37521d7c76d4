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
#include "coordinator/coordinator_env.hpp"
#include "links/worker_link.hpp"
#include "transport/frame.hpp"
#include "transport/messages.hpp"

namespace actorpool::detail {

/// Settings of one pool, validated by the facade.
struct pool_config {
  size_t processes = 1;
  /// Workers kept started and ready, but given no tasks, to take the place
  /// of a worker that ends (`pool_options::spare_workers`).
  size_t spare_workers = 0;
  /// 0: unlimited.
  size_t max_tasks_per_child = 0;
  /// Resident memory above which a worker is recycled between tasks (0:
  /// unlimited).
  size_t max_worker_memory = 0;
  /// Chunks in flight per worker; 0: adapt to the measured task duration.
  size_t window = 0;
  size_t max_window = 256;
  /// Resubmissions of a chunk whose worker died before failing it.
  unsigned max_retries = 2;
  std::chrono::milliseconds start_timeout{10000};
  /// The workers' linger: the time a terminated worker gets between SIGTERM
  /// and SIGKILL, and one whose connection closed before SIGKILL.
  std::chrono::milliseconds kill_grace{1000};
  /// Time a cancelled task may keep running before its worker is killed.
  std::chrono::milliseconds cancel_grace{100};
  /// Default limit on a chunk's run time (0: none).
  std::chrono::milliseconds task_timeout{0};
  /// Longest frame on a worker socket, both ways: a chunk that does not fit
  /// in one fails with `errc::encoding_failed`.
  size_t max_frame_size = default_max_frame_size;
  /// Encoded argument bytes per tasks frame, and in flight per worker (soft
  /// limits: one chunk always fits; a frame never exceeds `max_frame_size`).
  size_t max_batch_bytes = size_t{4} << 20;
  size_t max_inflight_bytes = size_t{64} << 20;
  /// Run in every worker before its first task (`id` 0).
  std::optional<task_msg> initializer;
  /// Put before every line a worker prints (checked; empty: none).
  std::string output_prefix;
};

/// The coordinator's logic without the actor around it: the task table, the
/// queue, per-worker windows, worker lifecycles, streams and shutdown. It
/// knows workers by id only: starting, feeding and ending them goes through a
/// `worker_link` (which reports back to the core), every other effect
/// through `coordinator_env`, so tests can drive it step by step. Not
/// thread-safe: the coordinator actor owns it.
class coordinator_core : public worker_events {
public:
  /// Attaches itself to `link`.
  coordinator_core(pool_config cfg, coordinator_env& env, worker_link& link);

  coordinator_core(const coordinator_core&) = delete;

  coordinator_core& operator=(const coordinator_core&) = delete;

  /// Starts the configured number of workers, then the spares.
  void start();

  // -- requests from the facade or the actor interface ------------------------

  /// Queues the chunks of one submission for `job`. A chunk running longer
  /// than `timeout` (0: the pool's default) fails with `errc::timeout` and
  /// its worker is killed and replaced.
  caf::error submit(const std::string& name, std::vector<encoded_chunk> chunks,
                    job_ptr job, std::chrono::milliseconds timeout = {});

  /// Opens stream `sid` (unique, chosen by the caller): chunks are pulled
  /// from `feeder` up to `budget` chunks submitted but not yet consumed. A
  /// `budget` of 0 makes a push stream: input arrives by `on_input` only,
  /// its producer keeping to a window of its own.
  caf::error open_stream(uint64_t sid, const std::string& name,
                         caf::actor feeder, stream_job_ptr job, size_t budget,
                         std::chrono::milliseconds timeout = {});

  /// Cancels every chunk of `job` (or its stream): queued chunks are
  /// dropped, running ones are asked to stop and their worker is killed if
  /// they still run after the cancel grace period. Each fails with
  /// `errc::cancelled`.
  void cancel(const job_ptr& job);

  /// Stops stream `sid`: no more input is read, and its chunks with an index
  /// above `keep_through` (all of them without it) are dropped or cancelled
  /// without being reported; the others finish normally. The stream's job
  /// learns the counts in `settled` once nothing of it is left.
  void stop_stream(uint64_t sid, std::optional<size_t> keep_through);

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

  void on_hello(uint64_t wid, const hello_msg& msg) override;

  void on_results(uint64_t wid, std::vector<result_msg>& results) override;

  /// The connection to worker `wid` ended (EOF or a protocol violation): the
  /// services hear of it, and the link is asked to report its end.
  void on_down(uint64_t wid, const std::string& reason) override;

  /// Worker `wid` is gone: its chunks are queued again or fail, and a
  /// replacement starts if one is needed.
  void on_exit(uint64_t wid, const worker_exit& how) override;

  void on_timer(timer_kind kind, uint64_t wid);

  /// Kills every worker and waits until they are gone (the actor is going
  /// away).
  void shutdown_now();

  // -- observers --------------------------------------------------------------

  pool_stats stats() const;

  /// Chunks in flight allowed per worker right now.
  size_t window() const;

  /// A worker whose first chunk has run this long (as far as the
  /// coordinator can tell) gets no chunks sent ahead, and the chunks queued
  /// behind it are taken back when another worker has nothing to do. Tiny
  /// tasks never run this long, so their prefetching is untouched; a worker
  /// reports the results that wait behind a running task within a
  /// millisecond (`result_outbox`), so a first chunk this old really runs.
  static constexpr std::chrono::milliseconds revoke_after{3};

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
    /// The number the worker goes by (its hello, statistics, messages).
    int number = -1;
    worker_state state = worker_state::starting;
    /// Chunks sent to the worker, in the order it runs them: the first one
    /// is running (or its result is on the way).
    std::deque<uint64_t> in_flight;
    /// When the first of `in_flight` became the first.
    std::chrono::steady_clock::time_point front_since;
    size_t in_flight_bytes = 0;
    size_t assigned = 0;
    std::chrono::steady_clock::time_point memory_checked;
    /// Runs a suspect chunk, and nothing else.
    bool isolated = false;
    std::string down_reason;
    /// The services were told that it is gone (`let_go`).
    bool let_go = false;
    /// Its place in the pool (`worker_stats::slot`), held until it retires
    /// or ends, then handed to its replacement.
    uint32_t slot = 0;
    bool holds_slot = false;
    /// Kept ready for the place of a worker that ends: holds no place and
    /// gets no chunks until it is promoted.
    bool spare = false;
    /// Chunks it finished and the time it ran them, as it measured it.
    uint64_t chunks_done = 0;
    uint64_t busy_us = 0;
  };

  struct task_rec {
    std::string name;
    uint32_t count = 1;
    /// Shared with the `task_msg`s sent for it: sending costs no copy.
    shared_payload payload;
    job_ptr owner;
    size_t index = 0;
    uint64_t stream = 0;
    uint32_t attempts = 0;
    uint64_t worker = 0;
    /// Limit on the run time (0: none).
    std::chrono::milliseconds timeout{0};
    /// When the chunk became the first in its worker's queue (its start, as
    /// far as the coordinator can tell: never earlier than the real one).
    std::chrono::steady_clock::time_point started_at;
    /// Set once a cancel was sent to its worker.
    bool cancelling = false;
    /// Set once a revoke was sent to its worker (cleared when assigned).
    bool revoking = false;
    /// It was in a worker that died with other chunks: it runs alone until
    /// it completes, so that a crash can be blamed on the right chunk.
    bool suspect = false;
    std::chrono::steady_clock::time_point cancelled_at;
  };

  /// Chunks on their way to one worker in one frame.
  struct pending_batch {
    std::vector<task_msg> tasks;
    size_t payload_bytes = 0;
    /// Upper bound of the frame's length.
    size_t frame_length = frame_overhead;
  };

  /// How a chunk ended, for the counts of its stream.
  enum class chunk_end { done, cancelled, never_started };

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
    /// Stopped by `stop_stream`; chunks above `keep_through` go unreported.
    bool stopping = false;
    std::optional<size_t> keep_through;
    std::chrono::milliseconds timeout{0};
    stream_counts counts;
  };

  // -- tasks (coordinator_tasks.cpp) ------------------------------------------

  uint64_t enqueue(const std::string& name, encoded_chunk&& chunk,
                   const job_ptr& owner, size_t index, uint64_t stream,
                   std::chrono::milliseconds timeout);

  void dispatch();

  using time_point = std::chrono::steady_clock::time_point;

  worker_rec* pick_worker(bool alone, time_point now);

  bool has_room(const worker_rec& w, time_point now) const;

  void assign(worker_rec& w, uint64_t id, task_rec& t, pending_batch& batch);

  /// Sends `batch` to worker `wid` (if it holds anything) and empties it.
  void send_batch(uint64_t wid, pending_batch& batch);

  void complete(worker_rec& w, result_msg& r);

  using task_map = std::unordered_map<uint64_t, task_rec>;

  void finish_task(task_rec& t, const caf::error& err, std::string&& payload,
                   chunk_end how);

  void finish_erase(task_map::iterator i, const caf::error& err,
                    std::string&& payload = {},
                    chunk_end how = chunk_end::done);

  /// Takes `id` off its worker's queue; a new first chunk starts its clock.
  void remove_in_flight(worker_rec& w, uint64_t id);

  void front_changed(worker_rec& w);

  void fail_queued(const caf::error& err);

  void record_exec(uint32_t exec_us);

  // -- taking chunks back for idle workers (coordinator_rebalance.cpp) --------

  /// Whether the first chunk of `w` has run for `revoke_after`.
  bool runs_long(const worker_rec& w, time_point now) const;

  /// Takes back the chunks queued behind long-running ones when a worker is
  /// idle (and the queue empty) or `fed_idle` (an idle worker just got newer
  /// work from the queue); looks again later (a timer) while an idle worker
  /// waits and the chunks in front are too young.
  void rebalance(bool fed_idle);

  size_t idle_workers() const;

  /// Sends one revoke for the chunks queued behind the first of `w`.
  void revoke_queued(worker_rec& w);

  /// A revoked chunk came back unstarted: to the front of the queue, at no
  /// cost to its retry budget.
  void take_back(worker_rec& w, task_map::iterator i);

  void on_rebalance_timer();

  // -- cancellation and timeouts (coordinator_cancel.cpp) ---------------------

  void cancel_task(uint64_t id);

  /// A result for a chunk that was being cancelled.
  void complete_cancelled(worker_rec& w, task_map::iterator i,
                          const result_msg& r);

  void on_deadline(worker_rec& w);

  void on_cancel_grace(worker_rec& w);

  /// Kills a worker whose first chunk overran (`err`): that chunk ends
  /// with `err` (or as cancelled, if it was being cancelled), the others are
  /// queued again at no cost to their retry budget, and a replacement starts.
  void kill_worker(worker_rec& w, uint64_t guilty, const caf::error& err,
                   const std::string& why);

  // -- workers (coordinator_workers.cpp) --------------------------------------

  /// Starts a worker for a free place, or a spare; false if it could not
  /// start (`start_failed` had its say).
  bool start_worker(bool spare = false);

  /// Gives the pool the workers it lacks: a free place goes to a spare if
  /// there is one (promoted at once), else to a new worker; then a missing
  /// spare starts.
  void fill_pool();

  /// The spare most advanced in its start (ready first), or none.
  worker_rec* best_spare();

  /// `w`, a spare, takes the lowest free place and may get chunks.
  void promote(worker_rec& w);

  /// Spares that have not been asked to exit.
  size_t spare_count() const;

  bool needs_spare() const;

  /// Why the pool takes no new work (broken, closed or terminated), or none.
  caf::error refusal() const;

  /// The lowest free place in the pool.
  uint32_t next_slot() const;

  /// `next_slot()`, taken, counting one more start there.
  uint32_t take_slot();

  /// Frees `w`'s place for its replacement (once).
  void release_slot(worker_rec& w);

  /// The figures of one live worker.
  worker_stats stats_of(const worker_rec& w) const;

  void become_ready(worker_rec& w);

  void on_init_result(worker_rec& w, const result_msg& r);

  void retire(worker_rec& w);

  /// Retires `w` if its memory is over the limit (checked every 10 ms).
  void check_memory(worker_rec& w);

  void begin_exit(worker_rec& w);

  /// Tells the services, once, that worker `w` is gone: its connection
  /// ended or the pool kills it. Comes before any report of its chunks'
  /// end, so no caller sees the end while a service still serves the
  /// process (hands it an item, accepts its blocked put).
  void let_go(worker_rec& w);

  void requeue_or_fail(worker_rec& w, const worker_exit& how);

  void start_failed(const caf::error& err);

  void break_pool(const caf::error& err);

  size_t active_workers() const;

  bool needs_replacement() const;

  worker_rec* find_worker(uint64_t wid);

  // -- streams and shutdown (coordinator_streams.cpp) -------------------------

  void request_more(stream_rec& s);

  void stream_chunk_done(uint64_t sid, uint32_t count, chunk_end how);

  /// Whether chunk `t` of a stopped stream goes unreported.
  bool stopped_chunk(const task_rec& t) const;

  void drop_stream(uint64_t sid, const caf::error* err);

  void maybe_finish();

  void notify_ready(const caf::error& err);

  // -- member variables -------------------------------------------------------

  pool_config cfg_;
  coordinator_env& env_;
  worker_link& link_;
  pool_state state_ = pool_state::running;
  caf::error broken_;
  uint64_t next_task_ = 1;
  uint64_t next_worker_ = 1;
  /// Workers started in each place of the pool so far, and the free places.
  std::vector<uint64_t> slot_starts_;
  std::vector<uint32_t> free_slots_;
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
  /// A `rebalance` timer is on its way.
  bool rebalance_pending_ = false;
  pool_stats counters_;
};

} // namespace actorpool::detail
