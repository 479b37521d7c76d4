#pragma once

#include "actorpool/pool_options.hpp"
#include "coordinator/coordinator_core.hpp"

namespace actorpool::detail {

/// Checks `opts` (throwing `bad_argument`) and fills in defaults.
pool_config make_pool_config(const pool_options& opts);

} // namespace actorpool::detail
