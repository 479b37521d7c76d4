#include "coordinator/actor_env.hpp"

#include <caf/event_based_actor.hpp>

#include "base/atoms.hpp"

namespace actorpool::detail {

actor_env::actor_env(caf::event_based_actor* self) : self_(self) {
  // nop
}

void actor_env::schedule(std::chrono::milliseconds delay, timer_kind kind,
                         uint64_t wid) {
  self_->delayed_send(self_, delay, timer_atom::value,
                      static_cast<uint8_t>(kind), wid);
}

void actor_env::pull_input(const caf::actor& feeder, uint64_t sid, size_t n) {
  self_->send(feeder, pull_atom::value, sid, n);
}

void actor_env::stop_feeder(const caf::actor& feeder) {
  if (feeder)
    self_->send_exit(feeder, caf::exit_reason::user_shutdown);
}

} // namespace actorpool::detail
