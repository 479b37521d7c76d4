#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>

#include "actorpool/detail/chunking.hpp"
#include "actorpool/task.hpp"

namespace actorpool {

/// Settings of a pool (Python: the arguments of `Pool(...)`), with chainable
/// setters: `pool_options{}.processes(4).max_tasks_per_child(100)`.
/// Values are checked when the pool is created (`bad_argument`).
class pool_options {
public:
  /// Number of worker processes (default: `cpu_count()`); must be >= 1.
  pool_options& processes(long n) {
    processes_ = n;
    return *this;
  }

  const std::optional<long>& processes() const noexcept {
    return processes_;
  }

  /// Workers kept started and ready beside the `processes` ones, but given
  /// no tasks (default 0; must be >= 0). When a worker dies, is killed
  /// (a timeout, a cancel past its grace), retires (`max_tasks_per_child`,
  /// `max_worker_memory`) or is dropped, a spare takes its place at once
  /// (the one furthest in its start: ready if any) and a new spare starts
  /// in the background, so the pool is back to full strength without
  /// waiting for a process start (about 10 ms: a `posix_spawn` and `exec`
  /// of the program, the hello, the initializer). A spare has said hello
  /// and run the initializer; it appears in `pool_stats::spare_pids` (once
  /// ready), not in `pids`, `ready_pids` or `workers`, and counts in
  /// `workers_started`. A spare that dies is restarted (after the start
  /// failure back-off if it died before it was ready); it holds no task, so
  /// nothing is charged. Spares are stopped with the other workers at
  /// `close` (once the work is done), `terminate` and destruction; no new
  /// spare starts once the pool is closed. With `output_prefix`, a spare's
  /// `{place}` is the one it started with, past the pool's places
  /// (`processes`, `processes + 1`, ...), also after it is promoted.
  ///
  /// Cost: one idle process per spare, with the memory of a started worker
  /// and whatever the initializer built (its resident set: a few MiB for
  /// the program alone). A `thread_pool` keeps spare threads the same way,
  /// which buys little: a thread worker starts in microseconds.
  pool_options& spare_workers(long n) {
    spare_workers_ = n;
    return *this;
  }

  long spare_workers() const noexcept {
    return spare_workers_;
  }

  /// Registered task run once in every worker before its first task (Python:
  /// `initializer`, `initargs`). If it throws, the pool fails its work with
  /// `start_error` instead of restarting workers forever.
  template <class F, class... Ts>
  pool_options& initializer(F&& f, Ts&&... xs) {
    using traits = detail::task_traits<F>;
    initializer_name_ = traits::name(f);
    initializer_args_ = detail::encode_call<typename traits::args_tuple>(
                          std::forward<Ts>(xs)...)
                          .payload;
    return *this;
  }

  const std::string& initializer_name() const noexcept {
    return initializer_name_;
  }

  const std::string& initializer_args() const noexcept {
    return initializer_args_;
  }

  /// Chunks a worker runs before it is replaced by a fresh process (Python:
  /// `maxtasksperchild`); unset means forever. Must be >= 1.
  pool_options& max_tasks_per_child(long n) {
    max_tasks_per_child_ = n;
    return *this;
  }

  const std::optional<long>& max_tasks_per_child() const noexcept {
    return max_tasks_per_child_;
  }

  /// Chunks in flight per worker; 0 (default) adapts it to the measured
  /// task duration (2 for slow tasks, up to 256 for tiny ones).
  pool_options& window(size_t n) {
    window_ = n;
    return *this;
  }

  size_t window() const noexcept {
    return window_;
  }

  /// Resident memory (bytes) above which a worker is replaced by a fresh
  /// process between tasks (loky's leak guard): it takes no new work, ends
  /// the tasks it holds, and exits; a replacement starts at once. Checked
  /// as results arrive, at most every 10 ms per worker. 0 (default): no
  /// limit.
  pool_options& max_worker_memory(size_t bytes) {
    max_worker_memory_ = bytes;
    return *this;
  }

  size_t max_worker_memory() const noexcept {
    return max_worker_memory_;
  }

  /// How often a chunk is resubmitted after its worker died before it fails
  /// with `worker_died_error` (default 2).
  pool_options& max_retries(unsigned n) {
    max_retries_ = n;
    return *this;
  }

  unsigned max_retries() const noexcept {
    return max_retries_;
  }

  /// Time a new worker has to say hello (default 10 s).
  pool_options& start_timeout(std::chrono::milliseconds t) {
    start_timeout_ = t;
    return *this;
  }

  std::chrono::milliseconds start_timeout() const noexcept {
    return start_timeout_;
  }

  /// Time a cancelled task may keep running before its worker is killed
  /// and replaced (default 100 ms). Tasks that check
  /// `this_task::cancelled()` return well within it.
  pool_options& cancel_grace(std::chrono::milliseconds t) {
    cancel_grace_ = t;
    return *this;
  }

  std::chrono::milliseconds cancel_grace() const noexcept {
    return cancel_grace_;
  }

  /// Limit on the run time of every task message (default: none). A task
  /// over it fails with `timeout_error` and its worker is killed and
  /// replaced; `call_options::timeout` overrides it per call.
  pool_options& task_timeout(std::chrono::milliseconds t) {
    task_timeout_ = t;
    return *this;
  }

  std::chrono::milliseconds task_timeout() const noexcept {
    return task_timeout_;
  }

  /// Smallest and largest `max_frame_size` a pool accepts (4 KiB, 1 GiB).
  /// The frame header could express up to 4 GiB, but each end holds a frame
  /// several times over while it encodes and decodes it (a 300 MB argument
  /// peaks at about 1.4 GB in the parent and 0.9 GB in the worker).
  static constexpr size_t min_frame_size_limit = 4096;
  static constexpr size_t max_frame_size_limit = size_t{1} << 30;

  /// Longest frame (bytes) on a worker socket, enforced by both ends
  /// (default 256 MiB, from `min_frame_size_limit` to
  /// `max_frame_size_limit`). Encoded arguments that do not fit fail their
  /// call with `encoding_error`, and so do a result that does not fit (its
  /// worker goes on serving; results are batched only up to the limit),
  /// initializer arguments (at the constructor), and a service call or reply
  /// from or to a worker (a `queue` item, a `pipe` message).
  pool_options& max_frame_size(size_t n) {
    max_frame_size_ = n;
    return *this;
  }

  size_t max_frame_size() const noexcept {
    return max_frame_size_;
  }

  /// Pattern put before every line a worker writes to its stdout or stderr,
  /// e.g. `"[worker {place} pid {pid}] "`. Placeholders: `{pid}` (the
  /// worker's process id) and `{place}` (its place in the pool, as in
  /// `pool_stats::workers`, taken over by its replacement); `{{` and `}}`
  /// are braces. Any other placeholder is a `bad_argument` when the pool is
  /// created. Empty (default): workers write to the program's stdout and
  /// stderr themselves, at no cost.
  ///
  /// With a prefix, the pool reads each worker's stdout and stderr through
  /// pipes, on one thread per worker, and writes every complete line with
  /// its prefix to the program's stdout or stderr in one `write` (lines of
  /// different workers never mix; each appears when it ends, also when the
  /// output is a pipe or a file). Lines a worker wrote are printed even when
  /// it is killed; a last line without its newline gets one. A worker's exit
  /// is reported (and `join()` returns) after its last line. Output of
  /// processes a task started that outlive their worker is no longer read:
  /// the pool does not wait for them. Costs a copy of each line in the
  /// parent and three descriptors per worker. No effect on a `thread_pool`:
  /// its threads write to the program's stdout and stderr themselves.
  pool_options& output_prefix(std::string pattern) {
    output_prefix_ = std::move(pattern);
    return *this;
  }

  const std::string& output_prefix() const noexcept {
    return output_prefix_;
  }

private:
  std::optional<long> processes_;
  std::optional<long> max_tasks_per_child_;
  long spare_workers_ = 0;
  std::string initializer_name_;
  std::string initializer_args_;
  size_t window_ = 0;
  size_t max_worker_memory_ = 0;
  unsigned max_retries_ = 2;
  std::chrono::milliseconds start_timeout_{10000};
  std::chrono::milliseconds cancel_grace_{100};
  std::chrono::milliseconds task_timeout_{0};
  size_t max_frame_size_ = size_t{256} << 20;
  std::string output_prefix_;
};

} // namespace actorpool
