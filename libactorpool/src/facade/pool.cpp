#include "actorpool/pool.hpp"

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include "actorpool/cpu_count.hpp"
#include "actorpool/runtime.hpp"
#include "base/atoms.hpp"
#include "coordinator/coordinator.hpp"
#include "coordinator/coordinator_actor.hpp"
#include "coordinator/gated_stream_job.hpp"
#include "coordinator/message_types.hpp"
#include "coordinator/pool_config.hpp"
#include "facade/callback_executor.hpp"
#include "streams/feeder.hpp"
#include "worker/stray_worker.hpp"

namespace actorpool {

namespace {

enum class facade_state { running, closed, terminated };

/// Chunks of a stream submitted but not yet consumed, per worker.
constexpr size_t stream_budget_per_worker = 512;

/// Chunks of a search read but not yet evaluated, per worker: enough to
/// keep the workers busy, few enough that a stop has little to drop.
constexpr size_t search_budget_per_worker = 64;

} // namespace

struct pool::impl {
  /// Keeps the default system up while the pool exists (see runtime.hpp).
  std::shared_ptr<void> hold;
  caf::actor_system* sys = nullptr;
  caf::actor coordinator;
  detail::executor_ptr executor;
  size_t processes = 0;
  size_t max_frame_size = 0;
  std::atomic<facade_state> state{facade_state::running};
  bool joined = false;
  /// The gates of the open push streams and searches.
  std::mutex gates_mtx;
  std::vector<std::weak_ptr<detail::push_gate>> gates;

  ~impl() {
    if (coordinator)
      caf::anon_send_exit(coordinator, caf::exit_reason::user_shutdown);
  }

  static uint64_t new_stream_id();

  /// Tells the coordinator to stop stream `sid` (after `keep_through`).
  static detail::stream_stopper stopper(caf::actor coord, uint64_t sid) {
    return [coord, sid](std::optional<size_t> keep_through) {
      if (keep_through)
        caf::anon_send(coord, detail::stop_atom::value, sid,
                       static_cast<uint64_t>(*keep_through));
      else
        caf::anon_send(coord, detail::stop_atom::value, sid);
    };
  }

  /// Sends what a push stream's producers put to stream `sid`.
  static detail::push_gate::sender push_sender(caf::actor coord, uint64_t sid) {
    return [coord, sid](detail::encoded_chunk&& c, bool end) {
      std::vector<detail::encoded_chunk> chunks;
      if (!end)
        chunks.emplace_back(std::move(c));
      caf::anon_send(coord, detail::input_atom::value, sid, std::move(chunks),
                     end);
    };
  }

  /// Opens stream `sid` at the coordinator, its input read by a new feeder.
  void start_stream(uint64_t sid, const std::string& name,
                    detail::chunk_source src, detail::stream_job_ptr job,
                    size_t budget, std::chrono::milliseconds timeout) {
    auto feeder = detail::spawn_feeder(*sys, coordinator, std::move(src));
    detail::track_actor(*sys, feeder);
    caf::anon_send(coordinator, detail::stream_atom::value, sid, name, feeder,
                   std::move(job), budget, caf::timespan{timeout});
  }

  /// Remembers `gate` for `close()` and `terminate()`, which end its input.
  void track(const std::shared_ptr<detail::push_gate>& gate) {
    std::lock_guard<std::mutex> guard{gates_mtx};
    gates.erase(std::remove_if(gates.begin(), gates.end(),
                               [](auto& g) { return g.expired(); }),
                gates.end());
    gates.emplace_back(gate);
  }

  /// Calls `fn` on every open gate, outside the lock.
  template <class F>
  void for_each_gate(F fn) {
    std::vector<std::shared_ptr<detail::push_gate>> open;
    {
      std::lock_guard<std::mutex> guard{gates_mtx};
      for (auto& g : gates)
        if (auto p = g.lock())
          open.emplace_back(std::move(p));
    }
    for (auto& g : open)
      fn(*g);
  }

  template <class Result, class... Ts>
  Result ask(Ts&&... xs) const {
    caf::scoped_actor self{*sys};
    Result result{};
    caf::error err;
    self->request(coordinator, caf::infinite, std::forward<Ts>(xs)...)
      .receive([&](Result& x) { result = std::move(x); },
               [&](caf::error& e) { err = std::move(e); });
    if (err)
      throw_error(err);
    return result;
  }
};

pool::pool() : pool(pool_options{}) {
  // nop
}

pool::pool(long processes) : pool(pool_options{}.processes(processes)) {
  // nop
}

pool::pool(const pool_options& opts) : pool(default_system(), opts) {
  // nop
}

pool::pool(caf::actor_system& sys, const pool_options& opts)
  : impl_(std::make_unique<impl>()) {
  detail::stop_if_stray_worker();
  auto cfg = detail::make_pool_config(opts);
  if (!sys.has_middleman())
    throw bad_argument(errc::invalid_argument,
                       "the actor system must load caf::io::middleman");
  impl_->hold = detail::hold_system(sys);
  impl_->sys = &sys;
  impl_->processes = cfg.processes;
  impl_->max_frame_size = cfg.max_frame_size;
  impl_->executor = detail::make_callback_executor(sys, "pool of "
                                                          + std::to_string(
                                                            cfg.processes)
                                                          + " workers");
  impl_->coordinator = detail::spawn_coordinator(sys, std::move(cfg));
  detail::track_actor(sys, impl_->coordinator);
  try {
    impl_->ask<bool>(detail::ready_atom::value);
  } catch (...) {
    impl_->joined = true; // the coordinator is killed with impl_
    impl_.reset();
    throw;
  }
}

pool::pool(pool&&) noexcept = default;

pool::~pool() {
  if (!impl_ || impl_->joined)
    return;
  try {
    if (impl_->state == facade_state::running)
      close();
    join();
  } catch (...) {
    // A destructor must not throw; the coordinator is stopped with impl_.
  }
}

// A push stream's input ends with the pool's: its producers' puts would be
// new work. Ending it here, before the coordinator hears of the close or the
// terminate, makes every put that returns afterwards refuse its input.
void pool::close() {
  auto expected = facade_state::running;
  if (impl_->state.compare_exchange_strong(expected, facade_state::closed)) {
    impl_->for_each_gate([](detail::push_gate& g) { g.close(); });
    caf::anon_send(impl_->coordinator, close_atom::value);
  }
}

void pool::terminate() {
  impl_->state = facade_state::terminated;
  impl_->for_each_gate([](detail::push_gate& g) { g.stop(); });
  caf::anon_send(impl_->coordinator, terminate_atom::value);
}

void pool::join() {
  if (impl_->state == facade_state::running)
    throw bad_argument(errc::invalid_argument,
                       "join() needs close() or terminate() first");
  impl_->ask<pool_stats>(join_atom::value);
  impl_->joined = true;
}

size_t pool::size() const noexcept {
  return impl_->processes;
}

pool_stats pool::stats() const {
  return impl_->ask<pool_stats>(stats_atom::value);
}

pool_actor pool::actor() const {
  return caf::actor_cast<pool_actor>(impl_->coordinator);
}

caf::actor_system& pool::system() const noexcept {
  return *impl_->sys;
}

detail::executor_ptr pool::executor() const {
  return impl_->executor;
}

void pool::submit(const std::string& name,
                  std::vector<detail::encoded_chunk> chunks,
                  std::shared_ptr<detail::result_state> st,
                  const call_options& opts) {
  if (impl_->state != facade_state::running)
    throw pool_not_running(errc::pool_not_running, "pool not running");
  for (auto& c : chunks)
    if (auto err = detail::check_task_size(name, c.payload.size(),
                                           impl_->max_frame_size))
      throw_error(err);
  if (chunks.empty())
    return;
  auto coord = impl_->coordinator;
  std::weak_ptr<detail::job> weak = st;
  st->set_canceller([coord, weak] {
    if (auto job = weak.lock())
      caf::anon_send(coord, detail::cancel_atom::value, job);
  });
  caf::anon_send(coord, detail::submit_atom::value, name, std::move(chunks),
                 detail::job_ptr{std::move(st)}, caf::timespan{opts.timeout()});
}

uint64_t pool::impl::new_stream_id() {
  return detail::next_stream_id();
}

void pool::open_stream(const std::string& name, detail::chunk_source src,
                       std::shared_ptr<detail::stream_state> st) {
  if (impl_->state != facade_state::running)
    throw pool_not_running(errc::pool_not_running, "pool not running");
  auto sid = impl::new_stream_id();
  auto budget = stream_budget_per_worker * impl_->processes;
  auto coord = impl_->coordinator;
  st->set_credit_sink(
    [coord, sid](size_t n) {
      caf::anon_send(coord, detail::credit_atom::value, sid, n);
    },
    budget / 8);
  impl_->start_stream(sid, name, std::move(src), std::move(st), budget, {});
}

void pool::open_search(const std::string& name, detail::chunk_source src,
                       std::shared_ptr<detail::find_core> st,
                       const find_options& opts) {
  if (impl_->state != facade_state::running)
    throw pool_not_running(errc::pool_not_running, "pool not running");
  auto sid = impl::new_stream_id();
  auto budget = opts.window() > 0 ? opts.window()
                                  : search_budget_per_worker * impl_->processes;
  auto coord = impl_->coordinator;
  st->set_stopper(impl::stopper(coord, sid));
  st->set_credit_sink([coord, sid](size_t n) {
    caf::anon_send(coord, detail::credit_atom::value, sid, n);
  });
  impl_->start_stream(sid, name, std::move(src), std::move(st), budget,
                      opts.task_timeout());
}

size_t pool::window_of(size_t n) const noexcept {
  return n > 0 ? n : search_budget_per_worker * impl_->processes;
}

std::function<void()> pool::open_push(const std::string& name,
                                      std::shared_ptr<detail::stream_state> st,
                                      std::shared_ptr<detail::push_gate> gate,
                                      std::chrono::milliseconds timeout) {
  if (impl_->state != facade_state::running)
    throw pool_not_running(errc::pool_not_running, "pool not running");
  auto sid = impl::new_stream_id();
  auto coord = impl_->coordinator;
  gate->set_sender(impl::push_sender(coord, sid));
  std::weak_ptr<detail::push_gate> weak = gate;
  st->set_credit_sink(
    [weak](size_t n) {
      if (auto g = weak.lock())
        g->release(n);
    },
    std::max<size_t>(gate->window() / 4, 1));
  impl_->track(gate);
  auto job = std::make_shared<detail::gated_stream_job>(std::move(st), weak);
  caf::anon_send(coord, detail::stream_atom::value, sid, name, caf::actor{},
                 detail::stream_job_ptr{std::move(job)}, size_t{0},
                 caf::timespan{timeout});
  return [stop = impl::stopper(coord, sid)] {
    stop(std::nullopt);
  };
}

void pool::open_push_search(const std::string& name,
                            std::shared_ptr<detail::find_core> st,
                            std::shared_ptr<detail::push_gate> gate,
                            const find_options& opts) {
  if (impl_->state != facade_state::running)
    throw pool_not_running(errc::pool_not_running, "pool not running");
  auto sid = impl::new_stream_id();
  auto coord = impl_->coordinator;
  gate->set_sender(impl::push_sender(coord, sid));
  std::weak_ptr<detail::push_gate> weak = gate;
  st->set_credit_sink([weak](size_t n) {
    if (auto g = weak.lock())
      g->release(n);
  });
  st->set_stopper(
    [weak, stop = impl::stopper(coord, sid)](std::optional<size_t> keep) {
      if (auto g = weak.lock())
        g->stop();
      stop(keep);
    });
  impl_->track(gate);
  auto job = std::make_shared<detail::gated_stream_job>(std::move(st), weak);
  caf::anon_send(coord, detail::stream_atom::value, sid, name, caf::actor{},
                 detail::stream_job_ptr{std::move(job)}, size_t{0},
                 caf::timespan{opts.task_timeout()});
}

} // namespace actorpool
