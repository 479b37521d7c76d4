#pragma once

/// @mainpage libactorpool
///
/// Python's `multiprocessing`, rebuilt as CAF actors: worker processes that
/// host actors and receive CAF-serialized messages over socketpairs, with a
/// coordinator actor scheduling tasks over them. Start with `pool`,
/// `ACTORPOOL_TASK` and `async_result`.

#include "actorpool/async_result.hpp"
#include "actorpool/cpu_count.hpp"
#include "actorpool/entry.hpp"
#include "actorpool/errc.hpp"
#include "actorpool/exceptions.hpp"
#include "actorpool/imap_result.hpp"
#include "actorpool/pool.hpp"
#include "actorpool/pool_actor.hpp"
#include "actorpool/pool_options.hpp"
#include "actorpool/pool_stats.hpp"
#include "actorpool/process.hpp"
#include "actorpool/runtime.hpp"
#include "actorpool/task.hpp"
#include "actorpool/version.hpp"
