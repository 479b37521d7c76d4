#include "actorpool/detail/push_gate.hpp"

#include <algorithm>

#include "actorpool/exceptions.hpp"

namespace actorpool::detail {

push_gate::push_gate(size_t window) : window_(std::max<size_t>(window, 1)) {
  // nop
}

void push_gate::set_sender(sender fn) {
  std::lock_guard<std::mutex> guard{mtx_};
  send_ = std::move(fn);
}

void push_gate::set_progress(progress_reporter_ptr rep) {
  std::lock_guard<std::mutex> guard{mtx_};
  progress_ = std::move(rep);
}

// Sending under the lock keeps the inputs of concurrent producers in the
// order they were admitted, which is the order of their indexes.
bool push_gate::put(
  encoded_chunk&& chunk,
  std::optional<std::chrono::steady_clock::time_point> deadline) {
  std::unique_lock<std::mutex> guard{mtx_};
  auto admitted = [this] {
    return closed_ || stopped_ || in_flight_ < window_;
  };
  ++waiting_;
  bool room = true;
  if (!deadline)
    cv_.wait(guard, admitted);
  else
    room = cv_.wait_until(guard, *deadline, admitted);
  --waiting_;
  if (!room)
    throw timeout_error(errc::timeout, "put() timed out: the window is full");
  if (closed_ || stopped_)
    return false;
  ++in_flight_;
  peak_ = std::max(peak_, in_flight_);
  if (progress_) // counted before its result can arrive
    progress_->add_read(chunk.count);
  send_(std::move(chunk), false);
  return true;
}

void push_gate::close() {
  std::lock_guard<std::mutex> guard{mtx_};
  if (closed_)
    return;
  closed_ = true;
  if (progress_ && !stopped_)
    progress_->end_of_input();
  if (!stopped_)
    send_(encoded_chunk{{}, 0}, true);
  cv_.notify_all();
}

void push_gate::stop() {
  std::lock_guard<std::mutex> guard{mtx_};
  stopped_ = true;
  cv_.notify_all();
}

void push_gate::release(size_t n) {
  std::lock_guard<std::mutex> guard{mtx_};
  in_flight_ -= std::min(in_flight_, n);
  cv_.notify_all();
}

size_t push_gate::in_flight() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return in_flight_;
}

size_t push_gate::waiting() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return waiting_;
}

size_t push_gate::peak_in_flight() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return peak_;
}

} // namespace actorpool::detail
