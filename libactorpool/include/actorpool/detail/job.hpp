#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <string>

#include <caf/error.hpp>

namespace actorpool::detail {

/// The encoded arguments of one chunk: `count` argument tuples back to back.
struct encoded_chunk {
  std::string payload;
  uint32_t count = 1;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, encoded_chunk& x) {
  return f(x.payload, x.count);
}

/// Completion sink of one submission (`apply_async`, `map_async`, `imap`...).
/// The coordinator calls it from its own thread, exactly once per chunk:
/// either `deliver` with the chunk's encoded results or `fail`.
/// Implementations must not block and must not run user code inline.
class job : public std::enable_shared_from_this<job> {
public:
  virtual ~job();

  /// Chunk `index` of `count` items succeeded; `payload` holds its encoded
  /// results.
  virtual void deliver(size_t index, uint32_t count, std::string&& payload) = 0;

  /// Chunk `index` failed with `err`.
  virtual void fail(size_t index, const caf::error& err) = 0;

  /// Returns true once nobody wants further results (e.g. a cancelled
  /// result); the coordinator then drops this job's queued chunks.
  virtual bool abandoned() const noexcept;
};

using job_ptr = std::shared_ptr<job>;

/// How the items of a stream ended, counted by the coordinator and reported
/// once the stream is over (`stream_job::settled`).
struct stream_counts {
  /// Items that ran to the end and were reported (values or task errors).
  uint64_t completed = 0;
  /// Items that had started in a worker when the stream was stopped: they
  /// were cancelled (cooperatively, or with their worker).
  uint64_t cancelled = 0;
  /// Items read from the input but never started.
  uint64_t never_started = 0;
};

/// A job fed lazily from an input range (`imap`, `imap_unordered`): chunk
/// indexes grow as the input is read, and the end is only known later.
class stream_job : public job {
public:
  /// The input ended after `total` chunks.
  virtual void end(size_t total) = 0;

  /// Reading the input threw before chunk `index` was complete; the stream
  /// ends with that exception after the chunks before it.
  virtual void input_failed(size_t index, std::exception_ptr ep) = 0;

  /// The pool dropped the stream (`terminate`, a broken pool): it ends with
  /// `err` after the chunks already delivered.
  virtual void abort(const caf::error& err) = 0;

  /// The stream is over and the coordinator forgets it: every chunk was
  /// delivered, failed, cancelled or dropped, as `counts` says. Called last.
  virtual void settled(const stream_counts& counts);
};

using stream_job_ptr = std::shared_ptr<stream_job>;

/// Runs user callbacks away from the coordinator's thread, in order.
class callback_executor {
public:
  virtual ~callback_executor();

  virtual void post(std::function<void()> fn) = 0;

  /// Whether the calling thread is running one of this executor's callbacks
  /// (default: never). A wait there cannot wait for other callbacks of the
  /// executor: they run after the current one.
  virtual bool runs_here() const noexcept;
};

using executor_ptr = std::shared_ptr<callback_executor>;

} // namespace actorpool::detail
