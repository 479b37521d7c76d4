#include "bench_tasks.hpp"

#include <chrono>
#include <thread>

#include <actorpool/task.hpp>

namespace bench {

int64_t twice(int64_t x) {
  return 2 * x;
}

uint64_t payload_size(const std::string& data) {
  return data.size();
}

int64_t sleep_ms(int64_t ms) {
  std::this_thread::sleep_for(std::chrono::milliseconds{ms});
  return ms;
}

} // namespace bench

ACTORPOOL_TASK(bench::twice)
ACTORPOOL_TASK(bench::payload_size)
ACTORPOOL_TASK(bench::sleep_ms)
