#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>

#include "actorpool/detail/job.hpp"
#include "actorpool/detail/progress_reporter.hpp"

namespace actorpool::detail {

/// The producer side of a push stream: admits an input only while fewer
/// than `window` inputs are between `put` and the consumer, so producers
/// wait (never spin) when the pool or the consumer falls behind. The
/// consumer returns credit as it takes results; a stop or a close wakes
/// every waiting producer. The pool closes the gate when it is closed, and
/// stops it when it is terminated or drops the stream. Thread-safe.
class push_gate {
public:
  /// Sends one encoded input, or the end of input (`end`), to the pool.
  using sender = std::function<void(encoded_chunk&& chunk, bool end)>;

  explicit push_gate(size_t window);

  void set_sender(sender fn);

  /// Counts the inputs put, and the end of input, on `rep` (may be null).
  void set_progress(progress_reporter_ptr rep);

  /// Waits for room until `deadline` (none: no limit), then sends `chunk`.
  /// Returns false if the stream was stopped or closed meanwhile; throws
  /// `timeout_error` when the deadline passed first.
  bool put(encoded_chunk&& chunk,
           std::optional<std::chrono::steady_clock::time_point> deadline);

  /// No more input: sends the end once; later puts return false.
  void close();

  /// The stream was stopped: puts return false from now on.
  void stop();

  /// The consumer took `n` results.
  void release(size_t n);

  size_t window() const noexcept {
    return window_;
  }

  /// Inputs put whose results were not taken yet.
  size_t in_flight() const;

  /// The most inputs ever in flight at once.
  size_t peak_in_flight() const;

  /// Producers waiting in `put` for room now.
  size_t waiting() const;

private:
  mutable std::mutex mtx_;
  std::condition_variable cv_;
  size_t window_;
  size_t in_flight_ = 0;
  size_t peak_ = 0;
  size_t waiting_ = 0;
  bool closed_ = false;
  bool stopped_ = false;
  sender send_;
  progress_reporter_ptr progress_;
};

} // namespace actorpool::detail
