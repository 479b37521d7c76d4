#include "actorpool/cpu_count.hpp"

#include <sched.h>
#include <unistd.h>

namespace actorpool {

size_t cpu_count() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0) {
    auto n = CPU_COUNT(&set);
    if (n > 0)
      return static_cast<size_t>(n);
  }
  auto n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? static_cast<size_t>(n) : 1;
}

} // namespace actorpool
