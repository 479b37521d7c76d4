#pragma once

// A pool run on the fake clock, for scheduling tests: `coordinator_core`
// with workers that behave as task_runner and result_outbox do. A worker
// runs the chunks it is sent in order, each for the time its payload names;
// results of short chunks wait (until 200 us of task time accumulated, the
// batch ends, or the running chunk has run 1 ms), and a revoke drops chunks
// that have not started. Messages travel instantly; timers fire on time.

#include <algorithm>
#include <chrono>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "coordinator_harness.hpp"
#include "worker/result_outbox.hpp"

namespace actorpool::test {

using us = std::chrono::microseconds;

/// How long Python's pool takes for tasks of `durations` submitted in this
/// order to `workers` processes: each task goes to the first worker that is
/// free (greedy list scheduling in FIFO order).
inline us fifo_makespan(const std::vector<us>& durations, size_t workers) {
  std::vector<us> free_at(workers, us{0});
  for (auto d : durations)
    *std::min_element(free_at.begin(), free_at.end()) += d;
  return *std::max_element(free_at.begin(), free_at.end());
}

class simulation {
public:
  using time_point = std::chrono::steady_clock::time_point;

  /// A pool of `cfg.processes` workers, all ready at time 0.
  explicit simulation(pool_config cfg) : h(std::move(cfg)) {
    h.start_ready();
    start_ = h.env.clock;
  }

  /// Submits one call per duration, in order, as `apply_async` does.
  void submit_each(const std::vector<us>& durations) {
    for (auto d : durations) {
      auto job = std::make_shared<fake_job>();
      std::vector<encoded_chunk> chunk;
      chunk.push_back(encoded_chunk{std::to_string(d.count()), 1});
      EXPECT_FALSE(h.core.submit("t", std::move(chunk), job));
      jobs_.push_back(job);
    }
  }

  /// Runs until every call has its result; returns the time that took.
  us run() {
    for (;;) {
      settle();
      if (done())
        return elapsed();
      auto next = next_event();
      if (!next) {
        ADD_FAILURE() << "the simulated pool is stuck at " << elapsed().count()
                      << " us";
        return elapsed();
      }
      h.env.clock = *next;
    }
  }

  /// Runs until `t` after the start, including what happens at `t`.
  void run_until(us t) {
    auto target = start_ + t;
    for (;;) {
      settle();
      auto next = next_event();
      if (!next || *next > target)
        break;
      h.env.clock = *next;
    }
    if (h.env.clock < target) {
      h.env.clock = target;
      settle();
    }
  }

  us elapsed() const {
    return std::chrono::duration_cast<us>(h.env.clock - start_);
  }

  bool done() const {
    return std::all_of(jobs_.begin(), jobs_.end(), [](const job_ptr& j) {
      return !j->delivered.empty() || !j->failed.empty();
    });
  }

  /// Chunks a worker dropped on a revoke.
  size_t dropped = 0;

  /// Which worker started chunk `id` (the last one, if several did).
  std::map<uint64_t, uint64_t> ran_on;

  /// Every start of a chunk: chunk id, worker, time since the start.
  struct run_rec {
    uint64_t id;
    uint64_t wid;
    us at;
  };
  std::vector<run_rec> runs;

  /// The runs as text, for failure messages.
  std::string schedule() const {
    std::string result;
    for (auto& r : runs)
      result += std::to_string(r.id) + "@" + std::to_string(r.wid) + ":"
                + std::to_string(r.at.count() / 1000) + "ms ";
    return result;
  }

  harness h;

private:
  struct entry {
    uint64_t id;
    us duration;
    /// The last of its tasks frame: the worker flushes after it.
    bool last;
  };

  struct worker {
    std::deque<entry> todo;
    std::optional<entry> running;
    time_point started;
    time_point ends;
    std::vector<result_msg> held;
    us held_time{0};
  };

  static constexpr us flush_after = detail::result_outbox::default_flush_after;
  static constexpr us hold_limit = detail::result_outbox::default_hold_limit;

  /// Lets everything happen that happens at the current time.
  void settle() {
    for (size_t rounds = 0;; ++rounds) {
      if (rounds > 1000000) {
        ADD_FAILURE() << "the simulation does not settle";
        return;
      }
      bool any = deliver();
      any = fire_timers() || any;
      for (auto& kvp : workers_)
        any = step(kvp.first, kvp.second) || any;
      if (!any)
        return;
    }
  }

  /// Hands new tasks frames and revokes to the workers; true if there were
  /// any.
  bool deliver() {
    auto before = batches_seen_ + revokes_seen_;
    while (batches_seen_ < h.env.batches.size()) {
      auto& [wid, batch] = h.env.batches[batches_seen_++];
      for (size_t k = 0; k < batch.size(); ++k)
        workers_[wid].todo.push_back(entry{batch[k].id,
                                           us{std::stoll(batch[k].payload)},
                                           k + 1 == batch.size()});
    }
    while (revokes_seen_ < h.env.revokes.size()) {
      auto [wid, ids] = h.env.revokes[revokes_seen_++];
      revoke(wid, ids);
    }
    for (; timers_seen_ < h.env.timers.size(); ++timers_seen_)
      timers_.emplace(h.env.timers[timers_seen_].at,
                      h.env.timers[timers_seen_]);
    return batches_seen_ + revokes_seen_ != before;
  }

  void revoke(uint64_t wid, const std::vector<uint64_t>& ids) {
    auto& w = workers_[wid];
    std::vector<result_msg> rs;
    for (auto id : ids) {
      auto i = std::find_if(w.todo.begin(), w.todo.end(),
                            [id](const entry& e) { return e.id == id; });
      if (i == w.todo.end())
        continue; // running or done: it reports as usual
      if (i->last) { // the runner still flushes at the end of the frame
        if (i != w.todo.begin())
          std::prev(i)->last = true;
        else if (w.running)
          w.running->last = true;
        else
          flush(wid, w);
      }
      w.todo.erase(i);
      ++dropped;
      rs.push_back(result_msg{id, result_msg::not_started, 0, {}});
    }
    if (!rs.empty())
      h.core.on_results(wid, rs);
  }

  bool fire_timers() {
    bool any = false;
    while (!timers_.empty() && timers_.begin()->first <= h.env.clock) {
      auto t = timers_.begin()->second;
      timers_.erase(timers_.begin());
      h.core.on_timer(t.kind, t.wid);
      any = true;
    }
    return any;
  }

  /// One thing a worker does now, if any.
  bool step(uint64_t wid, worker& w) {
    auto now = h.env.clock;
    if (w.running && w.ends <= now) {
      finish(wid, w);
      return true;
    }
    if (w.running && !w.held.empty() && now >= w.started + hold_limit) {
      flush(wid, w);
      return true;
    }
    if (!w.running && !w.todo.empty()) {
      w.running = w.todo.front();
      w.todo.pop_front();
      w.started = now;
      w.ends = now + w.running->duration;
      ran_on[w.running->id] = wid;
      runs.push_back(run_rec{w.running->id, wid, elapsed()});
      return true;
    }
    return false;
  }

  void finish(uint64_t wid, worker& w) {
    auto e = *w.running;
    w.running.reset();
    auto exec = static_cast<uint32_t>(e.duration.count());
    w.held.push_back(result_msg{e.id, result_msg::ok, exec, "r"});
    w.held_time += e.duration;
    if (w.held_time >= flush_after || e.last)
      flush(wid, w);
  }

  void flush(uint64_t wid, worker& w) {
    if (w.held.empty())
      return;
    auto rs = std::move(w.held);
    w.held.clear();
    w.held_time = us{0};
    h.core.on_results(wid, rs);
  }

  std::optional<time_point> next_event() const {
    std::optional<time_point> t;
    auto consider = [&t](time_point x) {
      t = t ? std::min(*t, x) : x;
    };
    for (auto& kvp : workers_) {
      auto& w = kvp.second;
      if (w.running)
        consider(w.ends);
      if (w.running && !w.held.empty())
        consider(w.started + hold_limit);
    }
    if (!timers_.empty())
      consider(timers_.begin()->first);
    return t;
  }

  time_point start_;
  std::vector<job_ptr> jobs_;
  std::map<uint64_t, worker> workers_;
  std::multimap<time_point, timer_rec> timers_;
  size_t batches_seen_ = 0;
  size_t revokes_seen_ = 0;
  size_t timers_seen_ = 0;
};

} // namespace actorpool::test
