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

namespace detail {

pool_channel::~pool_channel() {
  // nop
}

} // namespace detail

namespace {

enum class facade_state { running, closed, terminated };

/// Chunks of a stream submitted but not yet consumed, per worker.
constexpr size_t stream_budget_per_worker = 512;

/// Chunks of a search read but not yet evaluated, per worker: enough to
/// keep the workers busy, few enough that a stop has little to drop.
constexpr size_t search_budget_per_worker = 64;

/// What the consumer of a stream gets from the pool: where its credit goes
/// (gathered in batches of `credit_batch` by an `imap` or push stream) and
/// what stops the stream.
struct consumer_link {
  std::function<void(size_t)> credit;
  size_t credit_batch;
  detail::stream_stopper stop;
};

void attach(detail::stream_state& st, const consumer_link& link) {
  st.set_credit_sink(link.credit, link.credit_batch);
}

void attach(detail::find_core& st, const consumer_link& link) {
  st.set_stopper(link.stop);
  st.set_credit_sink(link.credit);
}

/// Tells the coordinator to stop stream `sid` (after `keep_through`).
detail::stream_stopper stopper(caf::actor coord, uint64_t sid) {
  return [coord, sid](std::optional<size_t> keep_through) {
    if (keep_through)
      caf::anon_send(coord, detail::stop_atom::value, sid,
                     static_cast<uint64_t>(*keep_through));
    else
      caf::anon_send(coord, detail::stop_atom::value, sid);
  };
}

/// The link of a stream whose input a feeder reads: credit goes to the
/// coordinator, which then has the feeder read more.
consumer_link pulled_link(caf::actor coord, uint64_t sid, size_t budget) {
  auto credit = [coord, sid](size_t n) {
    caf::anon_send(coord, detail::credit_atom::value, sid, n);
  };
  return {std::move(credit), budget / 8, stopper(coord, sid)};
}

/// The link of a push stream: credit makes room in `gate` for the
/// producers, and a stop stops the gate as well.
consumer_link pushed_link(caf::actor coord, uint64_t sid,
                          const std::shared_ptr<detail::push_gate>& gate) {
  std::weak_ptr<detail::push_gate> weak = gate;
  auto credit = [weak](size_t n) {
    if (auto g = weak.lock())
      g->release(n);
  };
  auto stop = [weak, inner = stopper(coord, sid)](std::optional<size_t> keep) {
    if (auto g = weak.lock())
      g->stop();
    inner(keep);
  };
  return {std::move(credit), std::max<size_t>(gate->window() / 4, 1),
          std::move(stop)};
}

/// Sends what a push stream's producers put to stream `sid`.
detail::push_gate::sender push_sender(caf::actor coord, uint64_t sid) {
  return [coord, sid](detail::encoded_chunk&& c, bool end) {
    std::vector<detail::encoded_chunk> chunks;
    if (!end)
      chunks.emplace_back(std::move(c));
    caf::anon_send(coord, detail::input_atom::value, sid, std::move(chunks),
                   end);
  };
}

} // namespace

struct pool::impl final : detail::pool_channel {
  /// Keeps the default system up while the pool exists (see runtime.hpp).
  std::shared_ptr<void> hold;
  caf::actor_system* sys = nullptr;
  caf::actor coordinator;
  detail::executor_ptr callbacks;
  size_t processes = 0;
  size_t max_frame_size = 0;
  std::atomic<facade_state> state{facade_state::running};
  bool joined = false;
  /// The gates of the open push streams and searches.
  std::mutex gates_mtx;
  std::vector<std::weak_ptr<detail::push_gate>> gates;

  ~impl() override {
    if (coordinator)
      caf::anon_send_exit(coordinator, caf::exit_reason::user_shutdown);
  }

  // -- pool_channel -----------------------------------------------------------

  detail::executor_ptr executor() const override {
    return callbacks;
  }

  size_t size() const noexcept override {
    return processes;
  }

  size_t window_of(size_t n) const noexcept override {
    return n > 0 ? n : search_budget_per_worker * processes;
  }

  void submit(const std::string& name,
              std::vector<detail::encoded_chunk> chunks,
              std::shared_ptr<detail::result_state> st,
              const call_options& opts) override;

  std::function<void()> open_stream(const std::string& name,
                                    detail::stream_input in,
                                    std::shared_ptr<detail::stream_state> st,
                                    std::chrono::milliseconds timeout) override;

  void open_search(const std::string& name, detail::stream_input in,
                   std::shared_ptr<detail::find_core> st,
                   const find_options& opts) override;

  // -- streams ----------------------------------------------------------------

  /// Throws `pool_not_running` unless the pool takes new work.
  void require_running() const {
    if (state != facade_state::running)
      throw pool_not_running(errc::pool_not_running, "pool not running");
  }

  /// Opens a stream of `name` over `in` consumed through `st` (a feeder
  /// reads a pulled input `budget` chunks ahead); returns what stops it.
  template <class State>
  detail::stream_stopper open(const std::string& name, detail::stream_input in,
                              std::shared_ptr<State> st, size_t budget,
                              std::chrono::milliseconds timeout) {
    require_running();
    auto sid = detail::next_stream_id();
    auto link = in.gate ? pushed_link(coordinator, sid, in.gate)
                        : pulled_link(coordinator, sid, budget);
    attach(*st, link);
    start(sid, name, std::move(in), std::move(st), budget, timeout);
    return std::move(link.stop);
  }

  /// Sends stream `sid` to the coordinator, its input read by a new feeder
  /// or put through the gate (then the job stops the gate when it ends).
  void start(uint64_t sid, const std::string& name, detail::stream_input in,
             detail::stream_job_ptr job, size_t budget,
             std::chrono::milliseconds timeout) {
    caf::actor feeder;
    if (in.gate) {
      in.gate->set_sender(push_sender(coordinator, sid));
      track(in.gate);
      job = std::make_shared<detail::gated_stream_job>(std::move(job), in.gate);
      budget = 0;
    } else {
      feeder = detail::spawn_feeder(*sys, coordinator, std::move(in.source));
      detail::track_actor(*sys, feeder);
    }
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
    std::vector<std::shared_ptr<detail::push_gate>> live;
    {
      std::lock_guard<std::mutex> guard{gates_mtx};
      for (auto& g : gates)
        if (auto p = g.lock())
          live.emplace_back(std::move(p));
    }
    for (auto& g : live)
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
  : pool(sys, opts, detail::worker_kind::processes) {
  // nop
}

pool::pool(caf::actor_system& sys, const pool_options& opts,
           detail::worker_kind kind)
  : impl_(std::make_unique<impl>()) {
  detail::stop_if_stray_worker();
  auto cfg = detail::make_pool_config(opts);
  bool threads = kind == detail::worker_kind::threads;
  if (!threads && !sys.has_middleman())
    throw bad_argument(errc::invalid_argument,
                       "the actor system must load caf::io::middleman");
  impl_->hold = detail::hold_system(sys);
  impl_->sys = &sys;
  impl_->processes = cfg.processes;
  impl_->max_frame_size = cfg.max_frame_size;
  auto what = "pool of " + std::to_string(cfg.processes)
              + (threads ? " threads" : " workers");
  impl_->callbacks = detail::make_callback_executor(sys, what);
  impl_->coordinator = detail::spawn_coordinator(sys, std::move(cfg), kind);
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

detail::pool_channel& pool::channel() const {
  return *impl_;
}

void pool::impl::submit(const std::string& name,
                        std::vector<detail::encoded_chunk> chunks,
                        std::shared_ptr<detail::result_state> st,
                        const call_options& opts) {
  require_running();
  for (auto& c : chunks)
    if (auto err = detail::check_task_size(name, c.payload.size(),
                                           max_frame_size))
      throw_error(err);
  if (chunks.empty())
    return;
  auto coord = coordinator;
  std::weak_ptr<detail::job> weak = st;
  st->set_canceller([coord, weak] {
    if (auto job = weak.lock())
      caf::anon_send(coord, detail::cancel_atom::value, job);
  });
  caf::anon_send(coord, detail::submit_atom::value, name, std::move(chunks),
                 detail::job_ptr{std::move(st)}, caf::timespan{opts.timeout()});
}

std::function<void()>
pool::impl::open_stream(const std::string& name, detail::stream_input in,
                        std::shared_ptr<detail::stream_state> st,
                        std::chrono::milliseconds timeout) {
  auto budget = stream_budget_per_worker * processes;
  auto stop = open(name, std::move(in), std::move(st), budget, timeout);
  return [stop] {
    stop(std::nullopt);
  };
}

void pool::impl::open_search(const std::string& name, detail::stream_input in,
                             std::shared_ptr<detail::find_core> st,
                             const find_options& opts) {
  open(name, std::move(in), std::move(st), window_of(opts.window()),
       opts.task_timeout());
}

} // namespace actorpool
