#pragma once

#include <vector>

#include "workloads.hpp"

namespace bench {

/// The workloads of the objects processes share, in the order they run:
///
///   lock_roundtrip   uncontended `lock` acquire + release from inside a
///                    worker task, timed there (as many pairs as
///                    apply_latency makes calls); latency_us = mean time per
///                    pair, workers = 1 (the one that loops)
///   queue_put_get    `queue<int>` items put by a task in one worker and got
///                    by a task in another (a fifth of apply_async_50k's
///                    size), timed from both being ready until the consumer
///                    has every item; workers = 2
const std::vector<workload>& ipc_workloads();

} // namespace bench
