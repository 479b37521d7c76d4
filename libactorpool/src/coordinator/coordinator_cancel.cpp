#include <algorithm>

#include "actorpool/errc.hpp"
#include "coordinator/coordinator_core.hpp"

namespace actorpool::detail {

namespace {

caf::error cancelled_error(const char* what) {
  return make_error(errc::cancelled, std::string{what});
}

/// Milliseconds left until `end`, rounded up (a timer never fires early).
std::chrono::milliseconds until(std::chrono::steady_clock::time_point now,
                                std::chrono::steady_clock::time_point end) {
  auto left = std::chrono::ceil<std::chrono::milliseconds>(end - now);
  return std::max(left, std::chrono::milliseconds{1});
}

} // namespace

void coordinator_core::cancel(const job_ptr& job) {
  for (auto& kvp : streams_) {
    if (kvp.second.job == job) {
      stop_stream(kvp.first, std::nullopt);
      return;
    }
  }
  std::vector<uint64_t> ids;
  for (auto& kvp : tasks_)
    if (kvp.second.owner == job)
      ids.push_back(kvp.first);
  for (auto id : ids)
    cancel_task(id);
  dispatch();
  maybe_finish();
}

// A queued chunk ends at once (dispatch skips its stale queue entry); one in
// a worker is asked to stop and gets the grace period.
void coordinator_core::cancel_task(uint64_t id) {
  auto i = tasks_.find(id);
  if (i == tasks_.end() || i->second.cancelling)
    return;
  auto& t = i->second;
  if (t.worker == 0) {
    finish_erase(i, cancelled_error("cancelled before it started"), {},
                 chunk_end::never_started);
    return;
  }
  t.cancelling = true;
  t.cancelled_at = env_.now();
  link_.send_cancel(t.worker, id);
  env_.schedule(cfg_.cancel_grace, timer_kind::cancel_grace, t.worker);
}

void coordinator_core::complete_cancelled(worker_rec&, task_map::iterator i,
                                          const result_msg& r) {
  auto how = r.status == result_msg::not_started ? chunk_end::never_started
                                                 : chunk_end::cancelled;
  finish_erase(i, cancelled_error("cancelled"), {}, how);
}

void coordinator_core::on_deadline(worker_rec& w) {
  if (w.in_flight.empty())
    return;
  auto id = w.in_flight.front();
  auto i = tasks_.find(id);
  if (i == tasks_.end() || i->second.cancelling
      || i->second.timeout.count() == 0)
    return;
  auto& t = i->second;
  auto now = env_.now();
  auto end = t.started_at + t.timeout;
  if (now < end) { // an older timer, or one of a previous chunk
    env_.schedule(until(now, end), timer_kind::deadline, w.id);
    return;
  }
  ++counters_.timed_out;
  auto ms = std::to_string(t.timeout.count());
  kill_worker(w, id,
              make_error(errc::timeout,
                         "task ran longer than its timeout of " + ms + " ms"),
              "a task ran past its timeout of " + ms + " ms");
}

// A cancelled chunk that has not started is dropped by the worker at once;
// one still there after the grace period is running: the worker dies. (It
// need not be the first in the queue as the coordinator sees it: results of
// earlier chunks may still be in the worker.)
void coordinator_core::on_cancel_grace(worker_rec& w) {
  auto now = env_.now();
  std::optional<std::chrono::steady_clock::time_point> next;
  for (auto id : w.in_flight) {
    auto i = tasks_.find(id);
    if (i == tasks_.end() || !i->second.cancelling)
      continue;
    auto end = i->second.cancelled_at + cfg_.cancel_grace;
    if (now >= end) {
      kill_worker(w, id, cancelled_error("cancelled"),
                  "a cancelled task ran past the grace period");
      return;
    }
    next = next ? std::min(*next, end) : end;
  }
  if (next)
    env_.schedule(until(now, *next), timer_kind::cancel_grace, w.id);
}

void coordinator_core::kill_worker(worker_rec& w, uint64_t guilty,
                                   const caf::error& err,
                                   const std::string& why) {
  auto ids = std::move(w.in_flight);
  w.in_flight.clear();
  w.in_flight_bytes = 0;
  w.isolated = false;
  w.state = worker_state::exiting;
  w.down_reason = why;
  release_slot(w); // for its replacement
  ++counters_.workers_killed;
  link_.disconnect(w.id);
  link_.kill(w.id);
  let_go(w); // before the chunks below are reported
  // The others go back to the front of the queue, oldest first, at no cost
  // to their retry budget; cancelled ones end.
  for (auto k = ids.size(); k-- > 0;) {
    auto i = tasks_.find(ids[k]);
    if (i == tasks_.end() || ids[k] == guilty)
      continue;
    if (i->second.cancelling) {
      finish_erase(i, cancelled_error("cancelled"), {},
                   chunk_end::never_started);
      continue;
    }
    i->second.worker = 0;
    queue_.push_front(ids[k]);
  }
  if (auto i = tasks_.find(guilty); i != tasks_.end()) {
    if (i->second.cancelling)
      finish_erase(i, cancelled_error("cancelled"), {}, chunk_end::cancelled);
    else
      finish_erase(i, err);
  }
  fill_pool();
  dispatch();
  maybe_finish();
}

} // namespace actorpool::detail
