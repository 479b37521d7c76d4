#pragma once

#include <vector>

#include "workloads.hpp"

namespace bench {

/// The early-termination workloads, in the order they run. Tasks sleep 1 ms
/// (a plain, non-cooperative sleep, like Python's `time.sleep`) and return
/// whether their input is the target:
///
///   early_termination  `find_first` over 50,000 inputs, target 10,000;
///                      seconds = time until the match is reported, tasks =
///                      target + 1 (the inputs a sequential search needs)
///   stop_latency       the same with 5,000 inputs and target 1,000;
///                      latency_us = time from the match reaching the pool
///                      until every running task has stopped (Python:
///                      `terminate()` and `join()`)
///   worker_replace     an idle worker is SIGKILLed; latency_us = time from
///                      the kill until a replacement is ready (Python: until
///                      the pool has started a new process in its place)
///   worker_replace_spare the same on a pool with `spare_workers(1)`: the
///                      spare takes the place (each kill waits, untimed,
///                      until a new spare is ready); held against Python's
///                      worker_replace
const std::vector<workload>& stop_workloads();

} // namespace bench
