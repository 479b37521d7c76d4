#pragma once

// The call-overhead workloads on threads of this process: `thread_*` runs
// the shapes of `apply_async_50k`, `imap_unordered_200k` and `map_200k`
// (the same tiny task and sizes) on an `actorpool::thread_pool` of
// `--workers` threads (impl `actorpool`), and then on a hand-written
// `std_future_pool` of as many threads (impl `std_future`), the baseline
// most C++ code uses. `--compare-python` holds them against Python's
// `multiprocessing.dummy.Pool` (impl `python-dummy`).

#include <string>
#include <vector>

#include "report.hpp"
#include "workloads.hpp"

namespace bench {

/// `thread_apply_async_50k`, `thread_imap_unordered_200k`,
/// `thread_map_200k`, each listed twice: impl `actorpool`, then impl
/// `std_future` (see workloads_threads.cpp for what the baseline does).
const std::vector<workload>& thread_workloads();

/// A line `workload=W ratio_actorpool_over_std_future=R` for every workload
/// with both figures in `figures` (R: actorpool's throughput over the
/// baseline's; >1: actorpool wins).
std::vector<std::string>
std_future_ratio_lines(const std::vector<figure>& figures);

} // namespace bench
