#include <algorithm>
#include <cstdio>

#include "actorpool/detail/codec.hpp"
#include "actorpool/errc.hpp"
#include "coordinator/coordinator_core.hpp"

namespace actorpool::detail {

namespace {

/// Consecutive start failures after which a running pool gives up: after
/// 10 + 40 + 160 + 640 ms of retrying.
constexpr unsigned max_start_failures = 5;

std::chrono::milliseconds respawn_delay(unsigned failures) {
  return std::chrono::milliseconds{10u << (2 * (failures - 1))};
}

/// Why the pool dropped a worker, for error messages; empty when the worker
/// simply went away.
std::string dropped_because(const std::string& reason) {
  if (reason.empty() || reason == "connection closed"
      || reason == "disconnected by the pool")
    return {};
  return " after it was dropped (" + reason + ")";
}

/// Whether a worker was dropped for what it sent.
bool broke_protocol(const std::string& reason) {
  return reason.rfind("protocol violation", 0) == 0
         || reason.rfind("bad hello", 0) == 0;
}

/// A failure to start a worker, whatever the environment reported: the
/// pool's callers see `start_error`.
caf::error as_start_failure(const caf::error& err) {
  if (is_actorpool_error(err)
      && static_cast<errc>(err.code()) == errc::worker_start_failed)
    return err;
  auto& ctx = err.context();
  auto what = is_actorpool_error(err) && ctx.match_elements<std::string>()
                ? ctx.get_as<std::string>(0)
                : render(err);
  return make_error(errc::worker_start_failed,
                    "cannot start a worker: " + what);
}

} // namespace

coordinator_env::~coordinator_env() {
  // nop
}

std::chrono::steady_clock::time_point coordinator_env::now() const {
  return std::chrono::steady_clock::now();
}

void coordinator_env::warn(const std::string& what) {
  std::fprintf(stderr, "actorpool: %s\n", what.c_str());
}

void coordinator_core::start() {
  for (size_t i = 0; i < cfg_.processes && !broken_; ++i)
    start_worker();
  for (size_t i = 0; i < cfg_.spare_workers && !broken_; ++i)
    start_worker(true);
}

// A spare holds no place until it is promoted; a worker's place is fixed
// when it starts (its output prefix), so a spare starts with a place past
// the pool's own.
bool coordinator_core::start_worker(bool spare) {
  auto wid = next_worker_++;
  auto place = spare ? static_cast<uint32_t>(cfg_.processes + spare_count())
                     : next_slot();
  auto number = link_.start(wid, place);
  if (!number) {
    start_failed(as_start_failure(number.error()));
    return false;
  }
  ++counters_.workers_started;
  auto& w = workers_[wid];
  w.id = wid;
  w.number = *number;
  w.spare = spare;
  if (!spare) {
    w.slot = take_slot();
    w.holds_slot = true;
  }
  env_.schedule(cfg_.start_timeout, timer_kind::start_timeout, wid);
  return true;
}

void coordinator_core::fill_pool() {
  if (needs_replacement()) {
    if (auto s = best_spare())
      promote(*s);
    else if (!start_worker())
      return; // retried after a delay, spares with it
  }
  if (needs_spare())
    start_worker(true);
}

coordinator_core::worker_rec* coordinator_core::best_spare() {
  worker_rec* best = nullptr;
  for (auto& kvp : workers_) {
    auto& w = kvp.second;
    if (w.spare && w.state != worker_state::exiting
        && (best == nullptr || w.state > best->state))
      best = &w;
  }
  return best;
}

void coordinator_core::promote(worker_rec& w) {
  w.spare = false;
  w.slot = take_slot();
  w.holds_slot = true;
}

size_t coordinator_core::spare_count() const {
  return static_cast<size_t>(
    std::count_if(workers_.begin(), workers_.end(), [](auto& kvp) {
      return kvp.second.spare && kvp.second.state != worker_state::exiting;
    }));
}

bool coordinator_core::needs_spare() const {
  return !broken_ && state_ == pool_state::running
         && spare_count() < cfg_.spare_workers;
}

uint32_t coordinator_core::next_slot() const {
  if (free_slots_.empty())
    return static_cast<uint32_t>(slot_starts_.size());
  return *std::min_element(free_slots_.begin(), free_slots_.end());
}

uint32_t coordinator_core::take_slot() {
  auto slot = next_slot();
  if (slot == slot_starts_.size())
    slot_starts_.push_back(0);
  else
    free_slots_.erase(std::find(free_slots_.begin(), free_slots_.end(), slot));
  ++slot_starts_[slot];
  return slot;
}

void coordinator_core::release_slot(worker_rec& w) {
  if (!w.holds_slot)
    return;
  w.holds_slot = false;
  free_slots_.push_back(w.slot);
}

coordinator_core::worker_rec* coordinator_core::find_worker(uint64_t wid) {
  auto i = workers_.find(wid);
  return i == workers_.end() ? nullptr : &i->second;
}

void coordinator_core::on_hello(uint64_t wid, const hello_msg& msg) {
  auto w = find_worker(wid);
  if (w == nullptr || w->state != worker_state::starting)
    return;
  if (auto bad = link_.check_hello(wid, msg); !bad.empty()) {
    w->down_reason = std::move(bad);
    link_.disconnect(wid);
    link_.kill(wid);
    return;
  }
  if (cfg_.initializer) {
    w->state = worker_state::initializing;
    link_.send_init(wid, *cfg_.initializer);
    return;
  }
  become_ready(*w);
}

void coordinator_core::become_ready(worker_rec& w) {
  w.state = worker_state::ready;
  consecutive_start_failures_ = 0;
  if (!initially_ready_) {
    size_t ready = 0;
    for (auto& kvp : workers_)
      if (kvp.second.state == worker_state::ready && !kvp.second.spare)
        ++ready;
    if (ready >= cfg_.processes)
      notify_ready(caf::none);
  }
  if (state_ != pool_state::running && tasks_.empty()) {
    begin_exit(w);
    return;
  }
  dispatch();
}

void coordinator_core::on_init_result(worker_rec& w, const result_msg& r) {
  if (w.state != worker_state::initializing)
    return;
  if (r.status == result_msg::ok) {
    become_ready(w);
    return;
  }
  failure_msg f;
  try {
    decoder src{r.payload};
    src.read(f);
  } catch (const codec_failure&) {
    f.message = "undecodable failure report";
  }
  auto what = f.type_name.empty() ? f.message : f.type_name + ": " + f.message;
  break_pool(make_error(errc::initializer_failed,
                        "initializer failed in worker "
                          + std::to_string(w.number) + ": " + what));
}

void coordinator_core::retire(worker_rec& w) {
  w.state = worker_state::retiring;
  release_slot(w);
  fill_pool();
}

void coordinator_core::check_memory(worker_rec& w) {
  constexpr auto interval = std::chrono::milliseconds{10};
  if (cfg_.max_worker_memory == 0 || w.state != worker_state::ready)
    return;
  auto now = env_.now();
  if (now - w.memory_checked < interval)
    return;
  w.memory_checked = now;
  auto rss = link_.resident_bytes(w.id);
  if (!rss || *rss <= cfg_.max_worker_memory)
    return;
  ++counters_.workers_recycled;
  retire(w);
}

void coordinator_core::begin_exit(worker_rec& w) {
  if (w.state == worker_state::exiting)
    return;
  w.state = worker_state::exiting;
  link_.send_shutdown(w.id);
}

void coordinator_core::let_go(worker_rec& w) {
  if (w.let_go)
    return;
  w.let_go = true;
  link_.client_gone(w.id);
}

// The connection is gone, so nothing more of the worker reaches a service:
// they hear of it now, before the link learns how it ended (a process is not
// reaped yet, so its pid cannot be reused), and before on_exit reports the
// chunks it held.
void coordinator_core::on_down(uint64_t wid, const std::string& reason) {
  auto w = find_worker(wid);
  if (w == nullptr)
    return;
  let_go(*w);
  if (w->down_reason.empty())
    w->down_reason = reason;
  if (broke_protocol(w->down_reason))
    env_.warn("dropped worker " + std::to_string(w->number) + ": "
              + w->down_reason);
  link_.watch_exit(wid); // may call on_exit at once
}

void coordinator_core::on_timer(timer_kind kind, uint64_t wid) {
  if (kind == timer_kind::respawn) {
    fill_pool();
    dispatch();
    return;
  }
  if (kind == timer_kind::rebalance) {
    on_rebalance_timer();
    return;
  }
  auto w = find_worker(wid);
  if (w == nullptr)
    return;
  switch (kind) {
    case timer_kind::start_timeout:
      if (w->state == worker_state::starting) {
        w->down_reason = "no hello within the start timeout";
        link_.disconnect(wid);
        link_.kill(wid);
      }
      break;
    case timer_kind::deadline:
      on_deadline(*w);
      break;
    case timer_kind::cancel_grace:
      on_cancel_grace(*w);
      break;
    default:
      break;
  }
}

void coordinator_core::on_exit(uint64_t wid, const worker_exit& how) {
  auto i = workers_.find(wid);
  if (i == workers_.end())
    return;
  auto& w = i->second;
  bool expected = w.state == worker_state::exiting
                  || state_ == pool_state::terminated;
  bool before_ready = w.state == worker_state::starting
                      || w.state == worker_state::initializing;
  auto reason = w.down_reason;
  if (!expected)
    ++counters_.workers_died;
  let_go(w);
  requeue_or_fail(w, how);
  release_slot(w);
  workers_.erase(i);
  if (broken_)
    fail_queued(broken_);
  if (before_ready && !expected && !broken_) {
    start_failed(
      make_error(errc::worker_start_failed,
                 how.description + " before it was ready (" + reason + ")"));
  } else if (!expected) {
    fill_pool();
  }
  dispatch();
  maybe_finish();
}

// Which chunk killed the worker is only certain when it was the only one
// there: the worker may have finished the first ones and died before their
// results went out. So a lone chunk uses up one of its retries; chunks that
// died together use up nothing, but become suspects: each runs alone from
// now on, and the next crash names the culprit. A poison task thus fails
// after its budget, and the work around it never pays for it. Chunks that
// were being cancelled end here.
void coordinator_core::requeue_or_fail(worker_rec& w, const worker_exit& how) {
  auto ids = std::move(w.in_flight);
  w.in_flight.clear();
  w.isolated = false;
  bool alone = ids.size() == 1;
  for (auto k = ids.size(); k-- > 0;) {
    auto i = tasks_.find(ids[k]);
    if (i == tasks_.end())
      continue;
    auto& t = i->second;
    t.worker = 0;
    if (t.cancelling) {
      finish_erase(i, make_error(errc::cancelled, std::string{"cancelled"}), {},
                   k == 0 ? chunk_end::cancelled : chunk_end::never_started);
    } else if (!alone || ++t.attempts <= cfg_.max_retries) {
      t.suspect = t.suspect || !alone;
      queue_.push_front(ids[k]); // oldest first, ahead of newer work
    } else {
      finish_erase(i,
                   make_error(errc::worker_died,
                              how.description + dropped_because(w.down_reason)
                                + " while running this task ("
                                + std::to_string(t.attempts) + " attempts)"));
    }
  }
}

// Before the pool was ever ready a start failure is final (the constructor
// reports it); later, replacements are retried with growing delays.
void coordinator_core::start_failed(const caf::error& err) {
  if (!initially_ready_
      || ++consecutive_start_failures_ >= max_start_failures) {
    break_pool(err);
    return;
  }
  env_.schedule(respawn_delay(consecutive_start_failures_), timer_kind::respawn,
                0);
}

void coordinator_core::break_pool(const caf::error& err) {
  if (!broken_)
    broken_ = err;
  fail_queued(broken_);
  std::vector<uint64_t> sids;
  for (auto& kvp : streams_)
    sids.push_back(kvp.first);
  for (auto sid : sids)
    drop_stream(sid, &broken_);
  notify_ready(broken_);
  // Chunks already running finish normally; the workers exit after them.
  if (state_ == pool_state::running)
    state_ = pool_state::closed;
  maybe_finish();
}

size_t coordinator_core::active_workers() const {
  return static_cast<size_t>(
    std::count_if(workers_.begin(), workers_.end(), [](auto& kvp) {
      auto st = kvp.second.state;
      return !kvp.second.spare
             && (st == worker_state::starting
                 || st == worker_state::initializing
                 || st == worker_state::ready);
    }));
}

bool coordinator_core::needs_replacement() const {
  if (broken_ || state_ == pool_state::terminated)
    return false;
  if (state_ == pool_state::closed && tasks_.empty())
    return false;
  return active_workers() < cfg_.processes;
}

} // namespace actorpool::detail
