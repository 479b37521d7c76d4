#pragma once

#include <string>

#include <caf/fwd.hpp>

#include "actorpool/detail/job.hpp"

namespace actorpool::detail {

/// Returns an executor whose callbacks run one after another on a detached
/// actor of `sys`. Destroying the executor lets the actor finish the
/// callbacks posted so far, then stop. `owner` names the pool in reports of
/// callbacks that throw.
executor_ptr make_callback_executor(caf::actor_system& sys, std::string owner);

} // namespace actorpool::detail
