#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "actorpool/detail/job.hpp"
#include "actorpool/detail/progress_reporter.hpp"

namespace actorpool::detail {

/// Runs a user callback; an exception it throws is reported on stderr (a
/// callback has nobody to throw to).
void run_callback(const std::function<void()>& fn) noexcept;

/// Shared state behind `async_result`: collects the encoded results of all
/// chunks of one submission. It becomes *finished* when every chunk has been
/// delivered or when the first chunk fails (Python's fail-fast `map_async`),
/// and *ready* once the completion callbacks registered before that point
/// have run on the pool's callback executor, so a caller returning from
/// `wait()` always sees the effects of those callbacks.
///
/// Seen from a callback running on that executor, a state is ready as soon
/// as it is finished: its own callbacks run after the current one, so
/// waiting for them could never end. Waiting there for a state that only the
/// executor can finish (`finished_by_executor`) throws `state_error` instead
/// of hanging.
class result_state : public job {
public:
  result_state(size_t chunks, executor_ptr exec);

  ~result_state() override;

  // -- job interface ----------------------------------------------------------

  void deliver(size_t index, uint32_t count, std::string&& payload) override;

  void fail(size_t index, const caf::error& err) override;

  bool abandoned() const noexcept override;

  // -- observers --------------------------------------------------------------

  /// Blocks until ready; throws `state_error` if that cannot happen while
  /// the calling thread waits (see above).
  void wait() const;

  /// Blocks until ready or until `timeout` passed; returns `ready()`.
  /// Throws as `wait()`.
  bool wait_for(std::chrono::nanoseconds timeout) const;

  bool ready() const;

  /// Returns whether the result is ready and succeeded.
  bool successful() const;

  /// The failure; empty while not finished or on success.
  caf::error error() const;

  /// Encoded results per chunk. Only meaningful once ready and successful.
  const std::vector<std::string>& payloads() const noexcept {
    return chunks_;
  }

  /// Serializes lazy decoding of the payloads.
  std::mutex& decode_mutex() const noexcept {
    return decode_mtx_;
  }

  /// The exception a task of a `thread_pool` threw, as thrown; null for
  /// other failures (and for every task of a process pool).
  std::exception_ptr thrown() const {
    std::lock_guard<std::mutex> guard{decode_mtx_};
    return thrown_;
  }

  /// Keeps `ep`, the exception a task threw in this process, for `get()`
  /// to throw once its chunk has failed.
  void set_thrown(std::exception_ptr ep) {
    std::lock_guard<std::mutex> guard{decode_mtx_};
    if (!thrown_)
      thrown_ = std::move(ep);
  }

  /// Throws the failure of a finished state: the exception as thrown if
  /// there is one, else the one `err` stands for.
  [[noreturn]] void throw_failure(const caf::error& err) const;

  // -- modifiers --------------------------------------------------------------

  /// Runs `fn` once the state is finished: on the executor if that happens
  /// later, or right away in the calling thread if it is already ready.
  void on_complete(std::function<void()> fn);

  /// Marks the result as no longer wanted (see `job::abandoned`).
  void abandon() noexcept {
    abandoned_ = true;
  }

  /// Sets what `cancel` calls to stop the work in the pool.
  void set_canceller(std::function<void()> fn);

  /// Finishes the state with `errc::cancelled` unless it is finished, and
  /// tells the pool to drop or stop the work; returns whether it did.
  bool cancel();

  /// Whether the state finished by `cancel` (or the pool cancelled it).
  bool cancelled() const;

  /// Runs `fn` in the thread that makes the state ready, right after it did
  /// (right away if ready already). For waiting on many results: `fn` must
  /// be quick and must not throw.
  void on_ready(std::function<void()> fn);

  /// Throws `state_error` if the calling thread, waiting for this state,
  /// would wait forever (see above).
  void check_waitable() const;

  /// Counts delivered items on `rep` and makes its final report when the
  /// state finishes, before any callback and before the state is ready.
  /// Set before the work is submitted; a state finished already (no
  /// chunks) reports at once.
  void set_progress(progress_reporter_ptr rep);

  /// Marks the state as one that only its executor finishes (a search's
  /// result, decided there), never the coordinator.
  void finished_by_executor() noexcept {
    finished_by_executor_ = true;
  }

private:
  void finish(std::unique_lock<std::mutex>& guard);

  void make_ready();

  /// Whether the calling thread runs a callback of this state's executor.
  bool on_executor() const noexcept;

  /// `ready_`, or `finished_` when the caller runs on the executor.
  bool ready_here(bool on_exec) const noexcept;

  void check_waitable(bool on_exec) const;

  /// A wait on the executor returns once finished, before the callbacks:
  /// the final progress report is made there and then.
  void report_here(bool on_exec) const;

  mutable std::mutex mtx_;
  mutable std::mutex decode_mtx_;
  mutable std::condition_variable cv_;
  size_t remaining_;
  bool finished_ = false;
  bool ready_ = false;
  std::atomic<bool> abandoned_{false};
  std::vector<std::string> chunks_;
  std::vector<bool> delivered_;
  caf::error err_;
  std::exception_ptr thrown_;
  std::vector<std::function<void()>> callbacks_;
  std::vector<std::function<void()>> ready_listeners_;
  /// `on_ready` listeners registered on the executor: called at the finish.
  std::vector<std::function<void()>> finish_listeners_;
  std::function<void()> canceller_;
  progress_reporter_ptr progress_;
  executor_ptr exec_;
  std::atomic<bool> finished_by_executor_{false};
};

} // namespace actorpool::detail
