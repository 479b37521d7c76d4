// A program linked by hand: with the library archive, but without the entry
// object and without -Wl,--wrap=main. Built twice: as it is, so that its
// workers reach main (they must stop there and say how to fix the build),
// and with ACTORPOOL_SERVE_FIRST, whose main starts with serve_if_worker()
// as the README asks of such programs (it must work).
//
// Prints "sum 12" after a map over a pool of two workers, and exits with 0;
// a pool that fails goes to stderr ("pool failed: ..."), with exit code 1.

#include <cstdio>
#include <exception>
#include <vector>

#include <actorpool/entry.hpp>
#include <actorpool/exceptions.hpp>
#include <actorpool/pool.hpp>

namespace {

int twice(int x) {
  return 2 * x;
}

} // namespace

ACTORPOOL_TASK(twice)

int main() {
#ifdef ACTORPOOL_SERVE_FIRST
  if (int rc = actorpool::serve_if_worker(); rc >= 0)
    return rc;
#endif
  try {
    actorpool::pool p{2};
    int sum = 0;
    for (int y : p.map(twice, std::vector<int>{1, 2, 3}))
      sum += y;
    std::printf("sum %d\n", sum);
    return sum == 12 ? 0 : 2;
  } catch (const actorpool::start_error& e) {
    std::fprintf(stderr, "pool failed: start_error: %s\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pool failed: %s\n", e.what());
    return 1;
  }
}
