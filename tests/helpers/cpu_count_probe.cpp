// Prints "cpu_count <n> pool <m> worker <k>": the CPU count of this program,
// the size of a pool made with the default size, and the CPU count its
// worker sees. The process tests start it with a restricted affinity mask.
//
// Usage: actorpool-cpu-probe

#include <cstdio>

#include <actorpool/cpu_count.hpp>
#include <actorpool/pool.hpp>

namespace {

size_t worker_cpu_count() {
  return actorpool::cpu_count();
}

} // namespace

ACTORPOOL_TASK(worker_cpu_count)

int main() {
  auto n = actorpool::cpu_count();
  actorpool::pool p;
  auto k = p.apply(worker_cpu_count);
  std::printf("cpu_count %zu pool %zu worker %zu\n", n, p.size(), k);
  return 0;
}
