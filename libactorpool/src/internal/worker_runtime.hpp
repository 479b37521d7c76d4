#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <caf/fwd.hpp>

#include "internal/frame.hpp"
#include "internal/result_outbox.hpp"

namespace actorpool::detail {

/// The worker's end of its socket, for writing: frames from any thread, one
/// at a time, with blocking `send` (MSG_NOSIGNAL). A failed write means the
/// parent is gone, and the worker exits at once.
class worker_channel {
public:
  worker_channel(int fd, size_t max_frame_size)
    : fd_(fd), max_frame_size_(max_frame_size) {
    // nop
  }

  /// Writes one frame, unless it cannot be encoded or would be longer than
  /// `max_frame_size()`: then nothing is written and the error returned
  /// (`errc::encoding_failed` for a frame too long).
  template <class... Ts>
  caf::error write(frame_kind kind, Ts&... xs) {
    std::lock_guard<std::mutex> guard{mtx_};
    buf_.clear();
    if (auto err = append_bounded_frame(buf_, max_frame_size_, kind, xs...))
      return err;
    send_all();
    return caf::none;
  }

  /// Writes one frame that is known to fit; failing that, the worker broke
  /// its own protocol and exits.
  template <class... Ts>
  void write_or_exit(frame_kind kind, Ts&... xs) {
    if (auto err = write(kind, xs...))
      fail("cannot encode a frame");
  }

  int fd() const noexcept {
    return fd_;
  }

  /// The longest frame the parent accepts from this worker, and sends it.
  size_t max_frame_size() const noexcept {
    return max_frame_size_;
  }

  /// Leaves the process: the parent broke the protocol (`why` says how) or
  /// went away (`why` is null). A task may still be running, and nobody is
  /// left to serve, so no destructors run.
  [[noreturn]] static void fail(const char* why);

private:
  void send_all();

  int fd_;
  size_t max_frame_size_;
  std::mutex mtx_;
  std::vector<char> buf_;
};

/// Which tasks a worker holds: forwarded to the runner but not started,
/// running, or dropped by a cancel or a revoke. Shared by the reader (which
/// learns of work, cancels and revokes) and the runner (which starts and
/// finishes tasks); task code reads the running task's cancellation through
/// `this_task`. A task id may be queued more than once (taken back, then
/// sent again): each revoke or cancel drops the earliest queued copy.
class task_board {
public:
  enum class cancel_outcome {
    /// Not started yet: it will be skipped; the caller reports it.
    dropped,
    /// Running: its cancellation flag is set.
    running,
    /// Finished or never seen: nothing to do.
    unknown,
  };

  void queued(const std::vector<task_msg>& batch);

  /// Marks `id` running; false if it was cancelled before it started.
  bool start(uint64_t id);

  void finish();

  cancel_outcome cancel(uint64_t id);

  /// Takes `id` back if it has not started: true if it will be skipped (the
  /// caller reports it as not started), false if it runs or ran already
  /// (its result comes as usual; unlike `cancel`, nothing is asked of it).
  bool revoke(uint64_t id);

  /// Whether the running task was cancelled (`this_task::cancelled()`).
  bool cancelled() const noexcept {
    return flag_.load(std::memory_order_relaxed);
  }

  /// Waits until `deadline` or until the running task is cancelled; returns
  /// false if it was cancelled.
  bool sleep_until(std::chrono::steady_clock::time_point deadline);

private:
  /// Moves one queued copy of `id` to the dropped ones; false if none.
  bool drop_pending(uint64_t id);

  std::mutex mtx_;
  std::condition_variable cv_;
  std::unordered_multiset<uint64_t> pending_;
  std::unordered_multiset<uint64_t> dropped_;
  uint64_t running_ = 0;
  std::atomic<bool> flag_{false};
};

/// The task board of this worker process, or null in any other process.
task_board* worker_board() noexcept;

void set_worker_board(task_board* board) noexcept;

/// Service calls made by task code in a worker: each call writes a frame and
/// waits until the reader hands over the reply with the same id.
class call_table {
public:
  explicit call_table(worker_channel& out) : out_(out) {
    // nop
  }

  /// Blocks until the parent answers; returns the reply. A call too long for
  /// a frame throws `encoding_error` and never reaches the parent.
  service_reply_msg call(uint64_t service, uint64_t thread, uint8_t op,
                         std::string payload);

  /// Called by the reader for every `service_reply` frame.
  void complete(service_reply_msg&& reply);

private:
  worker_channel& out_;
  std::mutex mtx_;
  std::condition_variable cv_;
  uint64_t next_id_ = 1;
  std::unordered_map<uint64_t, std::optional<service_reply_msg>> calls_;
};

/// The call table of this worker process, or null in any other process.
call_table* worker_calls() noexcept;

void set_worker_calls(call_table* table) noexcept;

/// What a worker process knows about itself, from its environment at start.
struct worker_identity {
  std::string name;
  bool daemon = false;
  int parent_pid = 0;
  std::string parent_name;
};

/// This process as a worker, or null in the main process.
const worker_identity* this_worker() noexcept;

/// In a process started as a worker that never served (the program ran
/// `main` without the entry object and without `serve_if_worker`): prints
/// why and how to fix the build, tells the parent over the inherited socket
/// (a refusal, which the parent's pool reports as its start error instead of
/// waiting for a hello), and exits with code 78 before anything starts
/// workers of its own. Does nothing in any other process. Called wherever
/// pools and processes start.
void stop_if_stray_worker();

/// A `process` ran its task: remember the exit code and stop reading, so that
/// the worker winds down and exits with `exit_code`.
void finish_process_target(int exit_code, int fd);

/// True once `finish_process_target` was called.
bool process_target_done() noexcept;

/// Serves tasks on the socket `fd`, whose frames are at most `max_frame_size`
/// long both ways, until the parent shuts the worker down (returns the
/// process exit code) or goes away (exits the process at once).
int run_worker(int fd, size_t max_frame_size);

/// Spawns the detached actor that reads frames from the parent (blocking
/// reads: it does nothing else), hands work to `runner` and replies to
/// service calls to `calls`.
caf::actor spawn_child_reader(caf::actor_system& sys, int fd, caf::actor runner,
                              worker_channel* out, task_board* board,
                              call_table* calls);

/// Spawns the detached actor that runs tasks one after another and hands
/// their results to `outbox` (closing it when it stops).
caf::actor spawn_task_runner(caf::actor_system& sys, worker_channel* out,
                             task_board* board, result_outbox* outbox);

/// Spawns the detached actor that sends results waiting in `outbox` behind
/// a long task (see `result_outbox::watch`); it stops once `outbox` closes.
caf::actor spawn_result_watcher(caf::actor_system& sys, result_outbox* outbox);

} // namespace actorpool::detail
