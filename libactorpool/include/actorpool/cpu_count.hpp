#pragma once

#include <cstddef>

namespace actorpool {

/// Number of CPUs this process may run on (its affinity mask), at least 1.
/// Unlike Python's `os.cpu_count()`, a process pinned with `taskset` or a
/// cgroup cpuset sees only its own CPUs.
size_t cpu_count();

} // namespace actorpool
