#include <cstdio>
#include <exception>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>

#include "actorpool/detail/result_state.hpp"
#include "actorpool/runtime.hpp"
#include "base/atoms.hpp"
#include "coordinator/message_types.hpp"
#include "facade/callback_executor.hpp"

namespace actorpool::detail {

namespace {

/// The runner whose callback the current thread is running, if any.
thread_local caf::actor_id running_callbacks_of = caf::invalid_actor_id;

struct runner_state {
  /// Shows up as the actor's name, e.g. "callbacks of pool of 4 workers".
  std::string name;
};

caf::behavior callback_runner(caf::stateful_actor<runner_state>* self,
                              std::string owner) {
  self->state.name = "callbacks of " + std::move(owner);
  return {
    [=](run_atom, const std::function<void()>& fn) {
      running_callbacks_of = self->id();
      run_callback(fn);
      running_callbacks_of = caf::invalid_actor_id;
    },
    [=](stop_atom) { self->quit(); },
  };
}

class actor_executor : public callback_executor {
public:
  actor_executor(caf::actor_system& sys, caf::actor runner)
    : hold_(hold_system(sys)), runner_(std::move(runner)) {
    // nop
  }

  ~actor_executor() override {
    caf::anon_send(runner_, stop_atom::value);
  }

  void post(std::function<void()> fn) override {
    caf::anon_send(runner_, run_atom::value, std::move(fn));
  }

  bool runs_here() const noexcept override {
    return running_callbacks_of == runner_.id();
  }

private:
  /// Keeps the default system up while results may still post callbacks.
  std::shared_ptr<void> hold_;
  caf::actor runner_;
};

} // namespace

executor_ptr make_callback_executor(caf::actor_system& sys, std::string owner) {
  auto runner = sys.spawn<caf::detached>(callback_runner, std::move(owner));
  track_actor(sys, runner); // a leaked pool's runner must not block exit
  return std::make_shared<actor_executor>(sys, std::move(runner));
}

} // namespace actorpool::detail
