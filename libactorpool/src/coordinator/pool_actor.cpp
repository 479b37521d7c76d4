#include "actorpool/pool_actor.hpp"

#include <caf/actor_system.hpp>

#include "actorpool/runtime.hpp"
#include "coordinator/coordinator.hpp"
#include "coordinator/pool_config.hpp"

namespace actorpool {

pool_actor spawn_pool(caf::actor_system& sys, const pool_options& opts) {
  auto cfg = detail::make_pool_config(opts);
  if (!sys.has_middleman())
    throw bad_argument(errc::invalid_argument,
                       "the actor system must load caf::io::middleman");
  auto coord = detail::spawn_coordinator(sys, std::move(cfg));
  detail::track_actor(sys, coord);
  return caf::actor_cast<pool_actor>(coord);
}

pool_actor spawn_thread_pool(caf::actor_system& sys, const pool_options& opts) {
  auto cfg = detail::make_pool_config(opts);
  auto coord = detail::spawn_coordinator(sys, std::move(cfg),
                                         detail::worker_kind::threads);
  detail::track_actor(sys, coord);
  return caf::actor_cast<pool_actor>(coord);
}

} // namespace actorpool
