#include <algorithm>
#include <cmath>

#include "actorpool/detail/codec.hpp"
#include "actorpool/errc.hpp"
#include "coordinator/coordinator_core.hpp"

namespace actorpool::detail {

namespace {

/// Round-trip time a window has to cover: the time between sending a chunk
/// and seeing its result, minus the work itself (measured: ~0.2 ms over the
/// socketpair; a 1 ms allowance leaves room for a loaded machine).
constexpr double covered_rtt_us = 1000.0;

/// Chunks at least this long go one at a time: a queued chunk would wait
/// behind the running one while another worker may be idle, and prefetching
/// would hide at most a few percent of round trip.
constexpr double long_chunk_us = 5000.0;

caf::error failure_to_error(const std::string& payload) {
  failure_msg f;
  try {
    decoder src{payload};
    src.read(f);
  } catch (const codec_failure&) {
    return make_error(errc::protocol_error,
                      std::string{"undecodable failure report from worker"});
  }
  auto code = static_cast<errc>(f.code);
  if (code == errc::task_failed)
    return make_error(code, f.type_name, f.message, f.pid);
  return make_error(code, f.message);
}

} // namespace

coordinator_core::coordinator_core(pool_config cfg, coordinator_env& env,
                                   worker_link& link)
  : cfg_(std::move(cfg)), env_(env), link_(link) {
  link_.attach(this);
}

caf::error coordinator_core::refusal() const {
  if (broken_)
    return broken_;
  if (state_ != pool_state::running)
    return make_error(errc::pool_not_running,
                      std::string{"pool is closed or terminated"});
  return caf::none;
}

caf::error coordinator_core::submit(const std::string& name,
                                    std::vector<encoded_chunk> chunks,
                                    job_ptr job,
                                    std::chrono::milliseconds timeout) {
  if (auto err = refusal())
    return err;
  for (size_t i = 0; i < chunks.size(); ++i)
    queue_.push_back(enqueue(name, std::move(chunks[i]), job, i, 0, timeout));
  dispatch();
  return caf::none;
}

uint64_t coordinator_core::enqueue(const std::string& name,
                                   encoded_chunk&& chunk, const job_ptr& owner,
                                   size_t index, uint64_t stream,
                                   std::chrono::milliseconds timeout) {
  auto id = next_task_++;
  auto& t = tasks_[id];
  t.name = name;
  t.count = chunk.count;
  t.payload = std::move(chunk.payload);
  t.owner = owner;
  t.index = index;
  t.stream = stream;
  t.timeout = timeout.count() > 0 ? timeout : cfg_.task_timeout;
  ++counters_.submitted;
  return id;
}

size_t coordinator_core::window() const {
  if (cfg_.window > 0)
    return cfg_.window;
  if (avg_exec_us_ >= long_chunk_us)
    return 1;
  auto est = std::max(avg_exec_us_, 0.5);
  auto w = static_cast<size_t>(std::ceil(covered_rtt_us / est)) + 1;
  return std::clamp<size_t>(w, 2, cfg_.max_window);
}

// Nothing is sent ahead to a worker whose chunk runs long: it would wait
// there while another worker may become free first.
bool coordinator_core::has_room(const worker_rec& w, time_point now) const {
  if (w.state != worker_state::ready || w.isolated || w.spare)
    return false;
  if (w.in_flight.empty())
    return true;
  return w.in_flight.size() < window()
         && w.in_flight_bytes < cfg_.max_inflight_bytes && !runs_long(w, now);
}

// The ready worker with the fewest chunks in flight, so that a few long tasks
// spread over all workers before any worker gets a second one; for a chunk
// that must run `alone`, an idle worker.
coordinator_core::worker_rec* coordinator_core::pick_worker(bool alone,
                                                            time_point now) {
  worker_rec* best = nullptr;
  for (auto& kvp : workers_) {
    auto& w = kvp.second;
    if (!has_room(w, now) || (alone && !w.in_flight.empty()))
      continue;
    if (!best || w.in_flight.size() < best->in_flight.size())
      best = &w;
  }
  return best;
}

void coordinator_core::dispatch() {
  std::map<uint64_t, pending_batch> batches;
  auto now = env_.now();
  bool fed_idle = false;
  while (!queue_.empty()) {
    auto id = queue_.front();
    auto i = tasks_.find(id);
    if (i == tasks_.end()) {
      queue_.pop_front();
      continue;
    }
    if (i->second.owner->abandoned()) {
      queue_.pop_front();
      finish_erase(i, make_error(errc::cancelled,
                                 std::string{"result abandoned"}));
      continue;
    }
    if (auto err = check_task_size(i->second.name, i->second.payload.size(),
                                   cfg_.max_frame_size)) {
      queue_.pop_front();
      finish_erase(i, err);
      continue;
    }
    auto w = pick_worker(i->second.suspect, now);
    if (w == nullptr)
      break; // a suspect at the head waits for an idle worker
    queue_.pop_front();
    fed_idle = fed_idle || w->in_flight.empty();
    assign(*w, id, i->second, batches[w->id]);
  }
  for (auto& kvp : batches)
    send_batch(kvp.first, kvp.second);
  rebalance(fed_idle);
}

void coordinator_core::send_batch(uint64_t wid, pending_batch& batch) {
  if (!batch.tasks.empty())
    link_.send_tasks(wid, std::move(batch.tasks));
  batch = pending_batch{};
}

// A batch ends before a chunk that would take it past `max_batch_bytes` of
// payload (a soft limit) or past the frame size limit (a hard one: the
// chunk fits in a frame of its own, see `dispatch`).
void coordinator_core::assign(worker_rec& w, uint64_t id, task_rec& t,
                              pending_batch& batch) {
  t.worker = w.id;
  t.revoking = false;
  w.isolated = t.suspect;
  w.in_flight.push_back(id);
  if (w.in_flight.size() == 1)
    front_changed(w);
  w.in_flight_bytes += t.payload.size();
  ++w.assigned;
  auto length = frame_length_bound(1, t.name.size() + t.payload.size())
                - frame_overhead;
  if (batch.payload_bytes + t.payload.size() > cfg_.max_batch_bytes
      || batch.frame_length + length > cfg_.max_frame_size)
    send_batch(w.id, batch);
  uint8_t flags = t.timeout.count() > 0 ? task_msg::flush_first : 0;
  batch.tasks.push_back(task_msg{id, t.name, t.count, t.payload, flags});
  batch.payload_bytes += t.payload.size();
  batch.frame_length += length;
  if (cfg_.max_tasks_per_child > 0 && w.assigned >= cfg_.max_tasks_per_child)
    retire(w);
}

void coordinator_core::on_results(uint64_t wid,
                                  std::vector<result_msg>& results) {
  auto w = find_worker(wid);
  if (w == nullptr)
    return;
  for (auto& r : results) {
    if (r.id == 0)
      on_init_result(*w, r);
    else
      complete(*w, r);
  }
  check_memory(*w);
  if (w->state == worker_state::retiring && w->in_flight.empty())
    begin_exit(*w);
  dispatch();
  maybe_finish();
}

void coordinator_core::complete(worker_rec& w, result_msg& r) {
  auto i = tasks_.find(r.id);
  if (i == tasks_.end() || i->second.worker != w.id)
    return; // already failed or resubmitted elsewhere
  auto& t = i->second;
  remove_in_flight(w, r.id);
  if (w.in_flight.empty())
    w.isolated = false;
  w.in_flight_bytes -= std::min(w.in_flight_bytes, t.payload.size());
  if (r.status == result_msg::not_started && t.revoking && !t.cancelling) {
    take_back(w, i);
    return;
  }
  if (t.cancelling || r.status == result_msg::not_started) {
    complete_cancelled(w, i, r);
    return;
  }
  record_exec(r.exec_us);
  ++w.chunks_done;
  w.busy_us += r.exec_us;
  if (r.status == result_msg::ok)
    finish_erase(i, caf::none, std::move(r.payload));
  else
    finish_erase(i, failure_to_error(r.payload));
}

void coordinator_core::remove_in_flight(worker_rec& w, uint64_t id) {
  auto i = std::find(w.in_flight.begin(), w.in_flight.end(), id);
  if (i == w.in_flight.end())
    return;
  bool was_front = i == w.in_flight.begin();
  w.in_flight.erase(i);
  if (was_front)
    front_changed(w);
}

// The first chunk in a worker's queue is the one it runs: its clock starts
// now (a little later than the real start, never earlier).
void coordinator_core::front_changed(worker_rec& w) {
  if (w.in_flight.empty())
    return;
  w.front_since = env_.now();
  auto i = tasks_.find(w.in_flight.front());
  if (i == tasks_.end())
    return;
  auto& t = i->second;
  t.started_at = w.front_since;
  if (t.timeout.count() > 0 && !t.cancelling)
    env_.schedule(t.timeout, timer_kind::deadline, w.id);
}

// Finishing a chunk may end its stream, which edits tasks_ and queue_: the
// record leaves the table before its owner hears about it.
void coordinator_core::finish_erase(task_map::iterator i, const caf::error& err,
                                    std::string&& payload, chunk_end how) {
  auto t = std::move(i->second);
  tasks_.erase(i);
  finish_task(t, err, std::move(payload), how);
}

// A chunk of a stopped stream that is cancelled or dropped goes unreported:
// nobody waits for it; its stream only counts it.
void coordinator_core::finish_task(task_rec& t, const caf::error& err,
                                   std::string&& payload, chunk_end how) {
  if (how != chunk_end::done)
    ++counters_.cancelled;
  if (how != chunk_end::done && stopped_chunk(t)) {
    // counted by the stream below
  } else if (err) {
    if (how == chunk_end::done)
      ++counters_.failed;
    t.owner->fail(t.index, err);
  } else {
    ++counters_.completed;
    t.owner->deliver(t.index, t.count, std::move(payload));
  }
  if (t.stream != 0)
    stream_chunk_done(t.stream, t.count, how);
}

void coordinator_core::fail_queued(const caf::error& err) {
  // Finishing a chunk may end its stream, which edits queue_ and tasks_:
  // work on a detached copy and look every id up again.
  std::deque<uint64_t> ids;
  ids.swap(queue_);
  for (auto id : ids) {
    auto i = tasks_.find(id);
    if (i != tasks_.end())
      finish_erase(i, err);
  }
}

void coordinator_core::record_exec(uint32_t exec_us) {
  avg_exec_us_ = 0.9 * avg_exec_us_ + 0.1 * static_cast<double>(exec_us);
}

worker_stats coordinator_core::stats_of(const worker_rec& w) const {
  worker_stats x;
  x.pid = w.number;
  x.slot = w.slot;
  x.restarts = slot_starts_.at(w.slot) - 1;
  x.chunks = w.chunks_done;
  x.busy_us = w.busy_us;
  x.resident_bytes = link_.resident_bytes(w.id).value_or(0);
  return x;
}

pool_stats coordinator_core::stats() const {
  auto result = counters_;
  for (auto& kvp : workers_) {
    auto& w = kvp.second;
    if (w.spare) {
      if (w.state == worker_state::ready)
        result.spare_pids.push_back(w.number);
      continue;
    }
    if (w.state != worker_state::exiting)
      result.pids.push_back(w.number);
    if (w.state == worker_state::ready)
      result.ready_pids.push_back(w.number);
    if (w.state != worker_state::exiting)
      result.workers.push_back(stats_of(w));
  }
  std::sort(result.workers.begin(), result.workers.end(),
            [](const worker_stats& a, const worker_stats& b) {
              return a.slot != b.slot ? a.slot < b.slot : a.pid < b.pid;
            });
  result.queued = queue_.size();
  result.in_flight = tasks_.size() - queue_.size();
  result.window = window();
  return result;
}

} // namespace actorpool::detail
