#include "actorpool/runtime.hpp"

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/exit_reason.hpp>
#include <caf/io/middleman.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/system_messages.hpp>

#include "actorpool/cpu_count.hpp"

namespace actorpool {

namespace {

class runtime;

std::atomic<runtime*> started_runtime{nullptr};

/// Living tokens of `hold_system`. A plain atomic: tokens may be released
/// after the runtime object is gone.
std::atomic<long> system_holders{0};

/// The system and the configuration it refers to, destroyed together.
struct system_box {
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
};

/// A system left running at exit (see `default_system`); reachable from
/// here, so that leak checkers see it as kept on purpose.
system_box* left_running = nullptr;

/// Stops `actors` with `reason` and waits until every one has terminated.
void stop_and_wait(caf::actor_system& sys,
                   const std::vector<caf::actor_addr>& actors,
                   caf::exit_reason reason) {
  caf::scoped_actor self{sys};
  size_t running = 0;
  for (auto& addr : actors)
    if (auto hdl = caf::actor_cast<caf::actor>(addr)) {
      self->monitor(hdl); // a down message even if it is gone meanwhile
      self->send_exit(hdl, reason);
      ++running;
    }
  for (size_t i = 0; i < running; ++i)
    self->receive([](const caf::down_msg&) {});
}

class runtime {
public:
  runtime() : box_(std::make_unique<system_box>()) {
    auto& cfg = box_->cfg;
    cfg.load<caf::io::middleman>();
    cfg.set("scheduler.max-threads", std::max<size_t>(2, cpu_count()));
    cfg.set("scheduler.policy", caf::atom("sharing"));
    box_->sys = std::make_unique<caf::actor_system>(cfg);
    started_runtime = this;
  }

  ~runtime() {
    started_runtime = nullptr;
    std::vector<caf::actor_addr> first;
    std::vector<caf::actor_addr> last;
    {
      std::lock_guard<std::mutex> guard{mtx_};
      first.swap(first_);
      last.swap(last_);
    }
    // This runs among the exit handlers, after the calling thread's
    // thread-local objects are gone; CAF 0.17's ~actor_system still uses
    // them (it crashes with a corrupted heap), so a fresh thread does it.
    std::thread([&] {
      // Shared objects first: their waiting calls fail, so that a process
      // blocked in one ends and can be joined.
      stop_and_wait(*box_->sys, first, caf::exit_reason::user_shutdown);
      stop_and_wait(*box_->sys, last, caf::exit_reason::kill);
      if (system_holders.load() == 0)
        box_.reset();
      else
        left_running = box_.release();
    }).join();
  }

  caf::actor_system& system() {
    return *box_->sys;
  }

  void track(const caf::actor& x, detail::stop_order order) {
    std::lock_guard<std::mutex> guard{mtx_};
    auto& xs = order == detail::stop_order::first ? first_ : last_;
    // Forget actors that are gone, so the list stays short.
    xs.erase(std::remove_if(xs.begin(), xs.end(),
                            [](const caf::actor_addr& a) {
                              return !caf::actor_cast<caf::actor>(a);
                            }),
             xs.end());
    xs.push_back(x.address());
  }

private:
  std::unique_ptr<system_box> box_;
  std::mutex mtx_;
  std::vector<caf::actor_addr> first_;
  std::vector<caf::actor_addr> last_;
};

runtime& the_runtime() {
  static runtime instance;
  return instance;
}

/// Whether `sys` is the default system and it is still running.
bool is_default(caf::actor_system& sys) {
  auto rt = started_runtime.load();
  return rt != nullptr && &rt->system() == &sys;
}

} // namespace

caf::actor_system& default_system() {
  return the_runtime().system();
}

namespace detail {

void track_actor(caf::actor_system& sys, const caf::actor& x,
                 stop_order order) {
  auto rt = started_runtime.load();
  if (rt != nullptr && &rt->system() == &sys)
    rt->track(x, order);
}

std::shared_ptr<void> hold_system(caf::actor_system& sys) {
  if (!is_default(sys))
    return nullptr;
  ++system_holders;
  return std::shared_ptr<void>(nullptr, [](void*) { --system_holders; });
}

} // namespace detail

} // namespace actorpool
