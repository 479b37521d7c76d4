#include <cstdio>
#include <exception>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>

#include "actorpool/exceptions.hpp"
#include "internal/atoms.hpp"
#include "internal/message_types.hpp"
#include "internal/pool_actors.hpp"

namespace actorpool::detail {

namespace {

// A callback that throws must not take the other callbacks down with it
// (in Python it kills the result handler thread and hangs the pool).
void run_guarded(const std::string& owner, const std::function<void()>& fn) {
  try {
    fn();
  } catch (const std::exception& e) {
    fprintf(stderr, "actorpool: a callback of %s threw %s: %s\n", owner.c_str(),
            current_exception_type_name().c_str(), e.what());
  } catch (...) {
    fprintf(stderr, "actorpool: a callback of %s threw %s\n", owner.c_str(),
            current_exception_type_name().c_str());
  }
}

caf::behavior callback_runner(caf::event_based_actor* self, std::string owner) {
  return {
    [owner](run_atom, const std::function<void()>& fn) {
      run_guarded(owner, fn);
    },
    [=](stop_atom) { self->quit(); },
  };
}

class actor_executor : public callback_executor {
public:
  explicit actor_executor(caf::actor runner) : runner_(std::move(runner)) {
    // nop
  }

  ~actor_executor() override {
    caf::anon_send(runner_, stop_atom::value);
  }

  void post(std::function<void()> fn) override {
    caf::anon_send(runner_, run_atom::value, std::move(fn));
  }

private:
  caf::actor runner_;
};

} // namespace

executor_ptr make_callback_executor(caf::actor_system& sys, std::string owner) {
  auto runner = sys.spawn<caf::detached>(callback_runner, std::move(owner));
  return std::make_shared<actor_executor>(std::move(runner));
}

} // namespace actorpool::detail
