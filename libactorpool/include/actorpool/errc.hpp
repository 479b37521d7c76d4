#pragma once

#include <cstdint>
#include <string>

#include <caf/atom.hpp>
#include <caf/error.hpp>
#include <caf/make_message.hpp>

namespace actorpool {

/// The project's error codes. Actor-level code carries them as `caf::error`
/// with the category atom `"actorpool"`; the blocking facade turns them into
/// the exceptions of `actorpool/exceptions.hpp`.
enum class errc : uint8_t {
  /// A task threw an exception. Context: type name, message, worker pid.
  task_failed = 1,
  /// No task is registered under the requested name (or function).
  unknown_task,
  /// Arguments or a result could not be serialized.
  encoding_failed,
  /// Arguments or a result could not be deserialized.
  decoding_failed,
  /// The pool no longer accepts work (after `close` or `terminate`).
  pool_not_running,
  /// The task was dropped because the pool was terminated.
  terminated,
  /// The worker running the task died and the retry budget is spent.
  worker_died,
  /// A worker process could not be started or did not say hello in time.
  worker_start_failed,
  /// The pool's initializer failed in a worker.
  initializer_failed,
  /// A wait ran out of time (`get(timeout)`, a per-task timeout, ...).
  timeout,
  /// The task was cancelled.
  cancelled,
  /// A peer broke the wire protocol (bad frame, wrong version, ...).
  protocol_error,
  /// An argument was out of range or otherwise invalid.
  invalid_argument,
  /// An operating system call failed. Context: call name, errno text.
  system_error,
  /// The input of `map`/`imap` raised an exception while being read.
  input_failed,
  /// A non-blocking or timed `get` found the queue empty (Python:
  /// `queue.Empty`).
  empty,
  /// A non-blocking or timed `put` found the queue full (`queue.Full`).
  full,
  /// A primitive was used in a state that forbids it: releasing a lock that
  /// is not held or not owned, over-releasing a bounded semaphore, waiting on
  /// a condition without holding its lock.
  invalid_state,
  /// A barrier was broken (reset, aborted or timed out) (Python:
  /// `threading.BrokenBarrierError`).
  broken_barrier,
  /// The other end of a pipe or queue is closed or gone (Python: `EOFError`,
  /// `OSError` on a closed handle).
  end_of_file,
};

/// The category atom of every `errc` value inside a `caf::error`.
constexpr caf::atom_value errc_category = caf::atom("actorpool");

/// Returns the enumerator's name, e.g. `"task_failed"`.
const char* to_string(errc x) noexcept;

/// Number of enumerators, for exhaustive tests.
constexpr uint8_t errc_count = static_cast<uint8_t>(errc::end_of_file);

/// Converts an `errc` into a `caf::error` without context.
caf::error make_error(errc x);

/// Converts an `errc` into a `caf::error` with a context message.
template <class T, class... Ts>
caf::error make_error(errc x, T&& y, Ts&&... ys) {
  return caf::error{static_cast<uint8_t>(x), errc_category,
                    caf::make_message(std::forward<T>(y),
                                      std::forward<Ts>(ys)...)};
}

/// Returns whether `err` belongs to the `actorpool` category.
bool is_actorpool_error(const caf::error& err) noexcept;

/// Renders any `caf::error` as readable text, e.g.
/// `"actorpool::timeout: get() timed out after 50 ms"`.
std::string render(const caf::error& err);

} // namespace actorpool
