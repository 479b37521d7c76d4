#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "actorpool/detail/job.hpp"
#include "actorpool/detail/progress_reporter.hpp"

namespace actorpool::detail {

/// One chunk handed to the consumer of a stream.
struct stream_chunk {
  enum class kind { values, task_error, input_error, end };
  kind what = kind::end;
  /// The chunk's position in the input (values and task errors).
  size_t index = 0;
  std::string payload;
  uint32_t count = 0;
  caf::error err;
  std::exception_ptr input_error;
};

/// Shared state of an `imap` / `imap_unordered`: the coordinator delivers
/// chunks in any order, the consumer takes them in input order (ordered) or
/// arrival order, and returns credit as it goes so that no more than the
/// stream's budget of chunks is ever buffered.
class stream_state : public stream_job {
public:
  explicit stream_state(bool ordered);

  ~stream_state() override;

  // -- stream_job -------------------------------------------------------------

  void deliver(size_t index, uint32_t count, std::string&& payload) override;

  void fail(size_t index, const caf::error& err) override;

  bool abandoned() const noexcept override;

  void end(size_t total) override;

  void input_failed(size_t index, std::exception_ptr ep) override;

  void abort(const caf::error& err) override;

  /// The stream is over: after what has arrived, the consumer sees the end
  /// (chunks a stop left out are not waited for).
  void settled(const stream_counts& counts) override;

  // -- consumer side ----------------------------------------------------------

  /// Sets where consumed-chunk credit goes, and how much credit to gather
  /// before sending it.
  void set_credit_sink(std::function<void(size_t)> fn, size_t batch);

  /// Counts arriving results on `rep`, whose final report comes when the
  /// stream settles, or before the consumer is handed the end or abandons
  /// the stream, whichever is first. Set before the stream opens.
  void set_progress(progress_reporter_ptr rep) {
    progress_ = std::move(rep);
  }

  /// Waits for the next chunk; returns false if `timeout` passed first.
  bool next(stream_chunk& out,
            std::optional<std::chrono::nanoseconds> timeout = std::nullopt);

  /// The consumer is gone: the pool may drop the rest of the stream.
  void abandon();

private:
  bool take(stream_chunk& out);

  bool take_ordered(stream_chunk& out);

  bool take_unordered(stream_chunk& out);

  void flush_credit(std::unique_lock<std::mutex>& guard);

  mutable std::mutex mtx_;
  std::condition_variable cv_;
  bool ordered_;
  std::map<size_t, stream_chunk> by_index_;
  std::deque<stream_chunk> arrived_;
  size_t next_index_ = 0;
  size_t handed_out_ = 0;
  std::optional<size_t> total_;
  std::optional<size_t> error_index_;
  stream_chunk terminal_;
  bool terminal_seen_ = false;
  bool settled_ = false;
  std::atomic<bool> abandoned_{false};
  std::function<void(size_t)> credit_;
  size_t credit_batch_ = 1;
  size_t unsent_credit_ = 0;
  progress_reporter_ptr progress_;
};

} // namespace actorpool::detail
