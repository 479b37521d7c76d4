#pragma once

#include <cstddef>

namespace actorpool {

/// Number of CPUs this process may run on (the affinity mask of the calling
/// thread, which a process inherits from the thread that started it), at
/// least 1. This is Python's `os.process_cpu_count()` (3.13), not
/// `multiprocessing.cpu_count()`, which counts every CPU of the machine: a
/// process pinned with `taskset` or a cgroup cpuset sees only its own CPUs
/// (as do the workers it starts), and its default `pool` has that many
/// workers.
size_t cpu_count();

} // namespace actorpool
