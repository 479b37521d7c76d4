#include <algorithm>
#include <optional>

#include "coordinator/coordinator_core.hpp"

namespace actorpool::detail {

namespace {

/// Milliseconds left until `end`, rounded up (a timer never fires early).
std::chrono::milliseconds until(std::chrono::steady_clock::time_point now,
                                std::chrono::steady_clock::time_point end) {
  auto left = std::chrono::ceil<std::chrono::milliseconds>(end - now);
  return std::max(left, std::chrono::milliseconds{1});
}

} // namespace

bool coordinator_core::runs_long(const worker_rec& w, time_point now) const {
  return !w.in_flight.empty() && now - w.front_since >= revoke_after;
}

size_t coordinator_core::idle_workers() const {
  return static_cast<size_t>(
    std::count_if(workers_.begin(), workers_.end(), [](auto& kvp) {
      auto& w = kvp.second;
      return w.state == worker_state::ready && !w.isolated && !w.spare
             && w.in_flight.empty();
    }));
}

// Python's pool hands a task only to a worker that is free, the oldest task
// first; chunks sent ahead can wait behind a long chunk while another worker
// is idle or starts newer work. So when a worker had nothing to do (it is
// idle, or was and just got newer work from the queue), the chunks queued
// behind a chunk that runs long are taken back (one frame per worker);
// those that had not started come back to the front of the queue and go to
// the next free workers, oldest first. While an idle worker waits and the
// chunks in front are too young to tell, a timer looks again once the first
// of them is old enough.
void coordinator_core::rebalance(bool fed_idle) {
  if (state_ == pool_state::terminated)
    return;
  bool idle = queue_.empty() && idle_workers() > 0;
  if (!idle && !fed_idle)
    return;
  auto now = env_.now();
  std::optional<time_point> next;
  for (auto& kvp : workers_) {
    auto& w = kvp.second;
    if (w.in_flight.size() < 2
        || (w.state != worker_state::ready
            && w.state != worker_state::retiring))
      continue;
    if (runs_long(w, now)) {
      revoke_queued(w);
      continue;
    }
    auto at = w.front_since + revoke_after;
    next = next ? std::min(*next, at) : at;
  }
  if (idle && next && !rebalance_pending_) {
    rebalance_pending_ = true;
    env_.schedule(until(now, *next), timer_kind::rebalance, 0);
  }
}

// Every chunk but the first may not have started; the worker drops those
// that have not and ignores the others. Chunks being cancelled are left to
// their cancel.
void coordinator_core::revoke_queued(worker_rec& w) {
  std::vector<uint64_t> ids;
  for (size_t k = 1; k < w.in_flight.size(); ++k) {
    auto i = tasks_.find(w.in_flight[k]);
    if (i == tasks_.end() || i->second.cancelling || i->second.revoking)
      continue;
    i->second.revoking = true;
    ids.push_back(i->first);
  }
  if (!ids.empty())
    link_.send_revoke(w.id, std::move(ids));
}

void coordinator_core::on_rebalance_timer() {
  rebalance_pending_ = false;
  rebalance(false);
}

// The chunk goes ahead of newer work, behind older work that is queued (as
// the chunks of one revoke arrive oldest first, they keep their order). In a
// broken pool it fails as queued chunks do.
void coordinator_core::take_back(worker_rec& w, task_map::iterator i) {
  auto id = i->first;
  auto& t = i->second;
  t.worker = 0;
  t.revoking = false;
  if (w.assigned > 0)
    --w.assigned;
  ++counters_.revoked;
  if (broken_) {
    finish_erase(i, broken_);
    return;
  }
  auto pos = std::find_if(queue_.begin(), queue_.end(),
                          [id](uint64_t other) { return other > id; });
  queue_.insert(pos, id);
}

} // namespace actorpool::detail
