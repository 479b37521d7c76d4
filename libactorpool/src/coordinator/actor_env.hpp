#pragma once

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "coordinator/coordinator_env.hpp"

namespace actorpool::detail {

/// The coordinator's environment inside its actor: timers are delayed
/// messages to the coordinator itself, feeders are actors. (Its workers are
/// a `process_link`.)
class actor_env : public coordinator_env {
public:
  explicit actor_env(caf::event_based_actor* self);

  void schedule(std::chrono::milliseconds delay, timer_kind kind,
                uint64_t wid) override;

  void pull_input(const caf::actor& feeder, uint64_t sid, size_t n) override;

  void stop_feeder(const caf::actor& feeder) override;

private:
  caf::event_based_actor* self_;
};

} // namespace actorpool::detail
