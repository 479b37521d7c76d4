// A program that owns a pool and waits to be killed: prints
// "ready <pid> <pid> ..." (its own pid first, then its workers') and then
// blocks reading stdin. The parent-death and signal tests start it.
//
// Usage: actorpool-pool-parent <workers>

#include <poll.h>
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
  // Until stdin closes or a signal ends the program. It waits in poll(2),
  // not read(2): ThreadSanitizer runs a signal handler only once the thread
  // leaves its system call, and the kernel restarts a read (SA_RESTART)
  // without leaving it; a poll lets it run at once.
  pollfd in{0, POLLIN, 0};
  char c;
  while (poll(&in, 1, -1) >= 0)
    if ((in.revents & (POLLIN | POLLHUP)) != 0 && read(0, &c, 1) <= 0)
      break;
  return 0;
}
