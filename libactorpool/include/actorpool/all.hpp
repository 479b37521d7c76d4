#pragma once

/// @mainpage libactorpool
///
/// Python's `multiprocessing`, rebuilt as CAF actors: worker processes that
/// host actors and receive CAF-serialized messages over socketpairs, with a
/// coordinator actor scheduling tasks over them. Start with `pool`,
/// `ACTORPOOL_TASK` and `async_result`.

#include "actorpool/array.hpp"
#include "actorpool/async_result.hpp"
#include "actorpool/barrier.hpp"
#include "actorpool/call_options.hpp"
#include "actorpool/condition.hpp"
#include "actorpool/config.hpp"
#include "actorpool/connection.hpp"
#include "actorpool/cpu_count.hpp"
#include "actorpool/dict.hpp"
#include "actorpool/entry.hpp"
#include "actorpool/errc.hpp"
#include "actorpool/event.hpp"
#include "actorpool/exceptions.hpp"
#include "actorpool/find_result.hpp"
#include "actorpool/imap_result.hpp"
#include "actorpool/list.hpp"
#include "actorpool/lock.hpp"
#include "actorpool/manager.hpp"
#include "actorpool/namespace_proxy.hpp"
#include "actorpool/pipe.hpp"
#include "actorpool/pool.hpp"
#include "actorpool/pool_actor.hpp"
#include "actorpool/pool_options.hpp"
#include "actorpool/pool_stats.hpp"
#include "actorpool/process.hpp"
#include "actorpool/progress.hpp"
#include "actorpool/queue.hpp"
#include "actorpool/ranges.hpp"
#include "actorpool/rlock.hpp"
#include "actorpool/runtime.hpp"
#include "actorpool/semaphore.hpp"
#include "actorpool/stream_protocol.hpp"
#include "actorpool/task.hpp"
#include "actorpool/task_stream.hpp"
#include "actorpool/this_task.hpp"
#include "actorpool/thread_pool.hpp"
#include "actorpool/value.hpp"
#include "actorpool/version.hpp"
#include "actorpool/wait.hpp"
