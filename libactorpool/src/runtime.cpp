#include "actorpool/runtime.hpp"

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/io/middleman.hpp>
#include <caf/send.hpp>

#include "actorpool/cpu_count.hpp"

namespace actorpool {

namespace {

class runtime;

std::atomic<runtime*> started_runtime{nullptr};

class runtime {
public:
  runtime() {
    cfg_.load<caf::io::middleman>();
    cfg_.set("scheduler.max-threads", std::max<size_t>(2, cpu_count()));
    cfg_.set("scheduler.policy", caf::atom("sharing"));
    sys_ = std::make_unique<caf::actor_system>(cfg_);
    started_runtime = this;
  }

  ~runtime() {
    started_runtime = nullptr;
    std::vector<caf::actor_addr> tracked;
    {
      std::lock_guard<std::mutex> guard{mtx_};
      tracked.swap(tracked_);
    }
    for (auto& addr : tracked)
      if (auto hdl = caf::actor_cast<caf::actor>(addr))
        caf::anon_send_exit(hdl, caf::exit_reason::kill);
    // This runs among the exit handlers, after the calling thread's
    // thread-local objects are gone; CAF 0.17's ~actor_system still uses
    // them (it crashes with a corrupted heap), so a fresh thread does it.
    std::thread([this] { sys_.reset(); }).join();
  }

  caf::actor_system& system() {
    return *sys_;
  }

  void track(const caf::actor& x) {
    std::lock_guard<std::mutex> guard{mtx_};
    // Forget actors that are gone, so the list stays short.
    tracked_.erase(std::remove_if(tracked_.begin(), tracked_.end(),
                                  [](const caf::actor_addr& a) {
                                    return !caf::actor_cast<caf::actor>(a);
                                  }),
                   tracked_.end());
    tracked_.push_back(x.address());
  }

private:
  caf::actor_system_config cfg_;
  std::unique_ptr<caf::actor_system> sys_;
  std::mutex mtx_;
  std::vector<caf::actor_addr> tracked_;
};

runtime& the_runtime() {
  static runtime instance;
  return instance;
}

} // namespace

caf::actor_system& default_system() {
  return the_runtime().system();
}

namespace detail {

void track_actor(caf::actor_system& sys, const caf::actor& x) {
  auto rt = started_runtime.load();
  if (rt != nullptr && &rt->system() == &sys)
    rt->track(x);
}

} // namespace detail

} // namespace actorpool
