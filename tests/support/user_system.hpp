#pragma once

// An actor system of the test's own (as an application embedding the pool
// would have), for the tests of the pool's actor interface.

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/io/middleman.hpp>

#include "support/leak_check.hpp"

namespace actorpool::test {

/// A configuration with the middleman, as pools require.
struct user_config : caf::actor_system_config {
  user_config() {
    load<caf::io::middleman>();
    set("scheduler.max-threads", 2);
  }
};

/// A process test with an actor system of its own.
class user_system_test : public process_test {
protected:
  user_config cfg;
  caf::actor_system sys{cfg};
};

} // namespace actorpool::test
