#include "bench_tasks.hpp"

#include <actorpool/task.hpp>

namespace bench {

int64_t twice(int64_t x) {
  return 2 * x;
}

uint64_t payload_size(const std::string& data) {
  return data.size();
}

} // namespace bench

ACTORPOOL_TASK(bench::twice)
ACTORPOOL_TASK(bench::payload_size)
