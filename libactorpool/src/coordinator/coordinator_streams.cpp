#include "actorpool/errc.hpp"
#include "coordinator/coordinator_core.hpp"

namespace actorpool::detail {

caf::error coordinator_core::open_stream(uint64_t sid, const std::string& name,
                                         caf::actor feeder, stream_job_ptr job,
                                         size_t budget,
                                         std::chrono::milliseconds timeout) {
  if (auto err = refusal())
    return err;
  if (streams_.count(sid) > 0)
    return make_error(errc::invalid_argument, std::string{"stream id in use"});
  auto& s = streams_[sid];
  s.id = sid;
  s.name = name;
  s.feeder = std::move(feeder);
  s.job = std::move(job);
  s.budget = budget;
  s.timeout = timeout;
  request_more(s);
  return caf::none;
}

// Keeps up to `budget` chunks of the stream submitted but not consumed,
// asking the feeder in batches of at least a quarter of the budget.
void coordinator_core::request_more(stream_rec& s) {
  if (s.exhausted || s.budget == 0)
    return;
  auto in_pipe = s.outstanding + s.requested;
  if (in_pipe >= s.budget)
    return;
  auto want = s.budget - in_pipe;
  if (s.requested > 0 && want < (s.budget + 3) / 4)
    return;
  s.requested += want;
  env_.pull_input(s.feeder, s.id, want);
}

void coordinator_core::on_input(uint64_t sid, std::vector<encoded_chunk> chunks,
                                bool end) {
  auto i = streams_.find(sid);
  if (i == streams_.end())
    return;
  auto& s = i->second;
  if (s.stopping) { // read before the feeder heard of the stop
    for (auto& c : chunks)
      s.counts.never_started += c.count;
    return;
  }
  s.requested = end ? 0 : s.requested - std::min(s.requested, chunks.size());
  s.outstanding += chunks.size();
  for (auto& c : chunks)
    queue_.push_back(
      enqueue(s.name, std::move(c), s.job, s.next_index++, sid, s.timeout));
  if (end) {
    s.exhausted = true;
    s.job->end(s.next_index);
  }
  dispatch();
  auto j = streams_.find(sid);
  if (j == streams_.end())
    return;
  if (j->second.exhausted && j->second.completed == j->second.next_index)
    drop_stream(sid, nullptr);
  else
    request_more(j->second);
}

void coordinator_core::on_input_error(uint64_t sid, std::exception_ptr ep) {
  auto i = streams_.find(sid);
  if (i == streams_.end())
    return;
  auto& s = i->second;
  if (s.stopping)
    return;
  s.exhausted = true;
  s.requested = 0;
  s.job->input_failed(s.next_index, ep);
  if (s.completed == s.next_index)
    drop_stream(sid, nullptr);
}

void coordinator_core::on_credit(uint64_t sid, size_t n) {
  auto i = streams_.find(sid);
  if (i == streams_.end())
    return;
  auto& s = i->second;
  if (s.job->abandoned()) {
    drop_stream(sid, nullptr);
    return;
  }
  s.outstanding -= std::min(s.outstanding, n);
  request_more(s);
}

void coordinator_core::stream_chunk_done(uint64_t sid, uint32_t count,
                                         chunk_end how) {
  auto i = streams_.find(sid);
  if (i == streams_.end())
    return;
  auto& s = i->second;
  ++s.completed;
  switch (how) {
    case chunk_end::done:
      s.counts.completed += count;
      break;
    case chunk_end::cancelled:
      s.counts.cancelled += count;
      break;
    case chunk_end::never_started:
      s.counts.never_started += count;
      break;
  }
  if (s.exhausted && s.completed == s.next_index)
    drop_stream(sid, nullptr);
}

bool coordinator_core::stopped_chunk(const task_rec& t) const {
  if (t.stream == 0)
    return false;
  auto i = streams_.find(t.stream);
  if (i == streams_.end() || !i->second.stopping)
    return false;
  auto& keep = i->second.keep_through;
  return !keep || t.index > *keep;
}

void coordinator_core::stop_stream(uint64_t sid,
                                   std::optional<size_t> keep_through) {
  auto i = streams_.find(sid);
  if (i == streams_.end())
    return;
  auto& s = i->second;
  if (s.stopping && s.keep_through && keep_through)
    keep_through = std::min(*keep_through, *s.keep_through);
  else if (s.stopping)
    keep_through.reset(); // stopped for good already, or now
  s.stopping = true;
  s.keep_through = keep_through;
  if (!s.exhausted) {
    s.exhausted = true;
    s.requested = 0;
    env_.stop_feeder(s.feeder);
  }
  std::vector<uint64_t> running;
  std::deque<uint64_t> kept;
  std::deque<uint64_t> dropped;
  for (auto id : queue_) {
    auto t = tasks_.find(id);
    if (t != tasks_.end())
      (stopped_chunk(t->second) ? dropped : kept).push_back(id);
  }
  queue_.swap(kept);
  for (auto& kvp : tasks_)
    if (kvp.second.worker != 0 && stopped_chunk(kvp.second))
      running.push_back(kvp.first);
  for (auto id : running)
    cancel_task(id);
  auto err = make_error(errc::cancelled, std::string{"stream stopped"});
  for (auto id : dropped)
    if (auto t = tasks_.find(id); t != tasks_.end())
      finish_erase(t, err, {}, chunk_end::never_started);
  if (auto j = streams_.find(sid);
      j != streams_.end() && j->second.completed == j->second.next_index)
    drop_stream(sid, nullptr);
  dispatch();
  maybe_finish();
}

// Forgets a stream: its queued chunks are dropped, chunks in flight finish
// without anybody waiting for them, and the feeder stops. With `err`, the
// consumer learns why.
void coordinator_core::drop_stream(uint64_t sid, const caf::error* err) {
  auto i = streams_.find(sid);
  if (i == streams_.end())
    return;
  auto s = std::move(i->second);
  streams_.erase(i);
  env_.stop_feeder(s.feeder);
  if (err != nullptr)
    s.job->abort(*err);
  for (auto& kvp : tasks_)
    if (kvp.second.stream == sid)
      kvp.second.stream = 0;
  auto is_dropped = [&](uint64_t id) {
    auto t = tasks_.find(id);
    return t != tasks_.end() && t->second.owner == s.job
           && t->second.worker == 0;
  };
  std::deque<uint64_t> kept;
  for (auto id : queue_) {
    if (is_dropped(id)) {
      s.counts.never_started += tasks_[id].count;
      tasks_.erase(id);
    } else {
      kept.push_back(id);
    }
  }
  queue_.swap(kept);
  s.job->settled(s.counts);
  maybe_finish();
}

void coordinator_core::close() {
  if (state_ == pool_state::running)
    state_ = pool_state::closed;
  maybe_finish();
}

// The workers are let go before their chunks are reported as terminated.
void coordinator_core::terminate() {
  if (state_ == pool_state::terminated)
    return;
  state_ = pool_state::terminated;
  auto err = make_error(errc::terminated, std::string{"pool terminated"});
  std::vector<uint64_t> running;
  for (auto& kvp : workers_) {
    auto& w = kvp.second;
    running.insert(running.end(), w.in_flight.begin(), w.in_flight.end());
    w.in_flight.clear();
    w.state = worker_state::exiting;
    link_.disconnect(w.id);
    link_.stop(w.id);
    let_go(w);
  }
  fail_queued(err);
  for (auto id : running)
    if (auto i = tasks_.find(id); i != tasks_.end())
      finish_erase(i, err);
  std::vector<uint64_t> sids;
  for (auto& kvp : streams_)
    sids.push_back(kvp.first);
  for (auto sid : sids)
    drop_stream(sid, &err);
  notify_ready(err);
  maybe_finish();
}

caf::error coordinator_core::join(std::function<void()> done) {
  if (state_ == pool_state::running)
    return make_error(errc::invalid_argument,
                      std::string{"join() needs close() or terminate() first"});
  if (finished())
    done();
  else
    join_waiters_.emplace_back(std::move(done));
  return caf::none;
}

bool coordinator_core::finished() const noexcept {
  return state_ != pool_state::running && workers_.empty();
}

// Once closed and out of work, every worker is asked to exit; once they are
// all gone, joiners are released.
void coordinator_core::maybe_finish() {
  if (state_ == pool_state::running)
    return;
  if (tasks_.empty() && streams_.empty())
    for (auto& kvp : workers_)
      if (kvp.second.state != worker_state::exiting)
        begin_exit(kvp.second);
  if (!workers_.empty())
    return;
  auto waiters = std::move(join_waiters_);
  join_waiters_.clear();
  for (auto& fn : waiters)
    fn();
}

void coordinator_core::when_ready(std::function<void(const caf::error&)> fn) {
  if (broken_)
    fn(broken_);
  else if (initially_ready_)
    fn(caf::none);
  else
    ready_waiters_.emplace_back(std::move(fn));
}

void coordinator_core::notify_ready(const caf::error& err) {
  if (!err)
    initially_ready_ = true;
  auto waiters = std::move(ready_waiters_);
  ready_waiters_.clear();
  for (auto& fn : waiters)
    fn(err);
}

void coordinator_core::shutdown_now() {
  for (auto& kvp : workers_) {
    link_.disconnect(kvp.first);
    link_.kill(kvp.first);
  }
  terminate();
  for (auto& kvp : workers_)
    link_.wait_exit(kvp.first); // killed: ends within milliseconds
  workers_.clear();
  maybe_finish();
}

} // namespace actorpool::detail
