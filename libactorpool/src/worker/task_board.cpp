#include "worker/task_board.hpp"

#include <algorithm>

namespace actorpool::detail {

void task_board::queued(const std::vector<task_msg>& batch) {
  std::lock_guard<std::mutex> guard{mtx_};
  for (auto& t : batch)
    pending_.insert(t.id);
}

bool task_board::start(uint64_t id) {
  std::lock_guard<std::mutex> guard{mtx_};
  if (auto i = dropped_.find(id); i != dropped_.end()) {
    dropped_.erase(i);
    return false;
  }
  if (auto i = pending_.find(id); i != pending_.end())
    pending_.erase(i);
  running_ = id;
  flag_ = false;
  return true;
}

void task_board::finish() {
  std::lock_guard<std::mutex> guard{mtx_};
  running_ = 0;
  flag_ = false;
}

bool task_board::drop_pending(uint64_t id) {
  auto i = pending_.find(id);
  if (i == pending_.end())
    return false;
  pending_.erase(i);
  dropped_.insert(id);
  return true;
}

task_board::cancel_outcome task_board::cancel(uint64_t id) {
  std::lock_guard<std::mutex> guard{mtx_};
  if (drop_pending(id))
    return cancel_outcome::dropped;
  if (id != 0 && id == running_) {
    flag_ = true;
    cv_.notify_all();
    return cancel_outcome::running;
  }
  return cancel_outcome::unknown;
}

bool task_board::revoke(uint64_t id) {
  std::lock_guard<std::mutex> guard{mtx_};
  return drop_pending(id);
}

bool task_board::sleep_until(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock<std::mutex> guard{mtx_};
  return !cv_.wait_until(guard, deadline, [this] { return flag_.load(); });
}

} // namespace actorpool::detail
