#include "worker/result_outbox.hpp"

namespace actorpool::detail {

result_outbox::result_outbox(sink send, size_t max_frame_size,
                             std::chrono::microseconds flush_after,
                             std::chrono::microseconds hold_limit)
  : send_(std::move(send)), max_frame_size_(max_frame_size),
    flush_after_(flush_after), hold_limit_(hold_limit) {
  // nop
}

// The watcher is woken only when it parked with nothing to watch: while a
// stream of tiny tasks runs, it wakes at the deadlines it set itself.
void result_outbox::started(clock::time_point at) {
  std::lock_guard<std::mutex> guard{mtx_};
  running_ = true;
  started_at_ = at;
  if (parked_ && !pending_.empty())
    cv_.notify_one();
}

void result_outbox::finished(result_msg&& r) {
  std::lock_guard<std::mutex> guard{mtx_};
  running_ = false;
  auto length = frame_length_bound(1, r.payload.size()) - frame_overhead;
  if (pending_length_ + length > max_frame_size_)
    send_locked();
  pending_length_ += length;
  unflushed_us_ += r.exec_us;
  pending_.emplace_back(std::move(r));
  if (unflushed_us_ >= static_cast<uint64_t>(flush_after_.count()))
    send_locked();
}

void result_outbox::flush() {
  std::lock_guard<std::mutex> guard{mtx_};
  send_locked();
}

bool result_outbox::watch() {
  std::unique_lock<std::mutex> guard{mtx_};
  for (;;) {
    if (closed_)
      return false;
    if (pending_.empty() || !running_) {
      parked_ = true;
      cv_.wait(guard);
      parked_ = false;
      continue;
    }
    auto due = started_at_ + hold_limit_;
    if (clock::now() >= due) {
      send_locked();
      return true;
    }
    cv_.wait_until(guard, due); // the running task may change meanwhile
  }
}

void result_outbox::close() {
  std::lock_guard<std::mutex> guard{mtx_};
  closed_ = true;
  cv_.notify_all();
}

void result_outbox::send_locked() {
  if (pending_.empty())
    return;
  send_(pending_);
  pending_.clear();
  pending_length_ = frame_overhead;
  unflushed_us_ = 0;
}

} // namespace actorpool::detail
