// A program that owns a pool and waits to be killed: prints
// "ready <pid> <pid> ..." (its own pid first, then its workers') and then
// blocks reading stdin. The parent-death and signal tests start it.
//
// Usage: actorpool-pool-parent <workers>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include <actorpool/pool.hpp>

namespace {

int twice(int x) {
  return 2 * x;
}

} // namespace

ACTORPOOL_TASK(twice)

int main(int argc, char** argv) {
  long n = argc > 1 ? std::atol(argv[1]) : 2;
  actorpool::pool p{n};
  if (p.apply(twice, 21) != 42)
    return 1;
  std::printf("ready %d", static_cast<int>(getpid()));
  for (auto pid : p.stats().pids)
    std::printf(" %d", static_cast<int>(pid));
  std::printf("\n");
  std::fflush(stdout);
  char c;
  while (read(0, &c, 1) > 0)
    ; // until stdin closes or a signal ends the program
  return 0;
}
