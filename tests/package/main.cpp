// Uses libactorpool through find_package(actorpool): registers a task,
// maps it over worker processes and checks the results.

#include <cstdio>
#include <numeric>
#include <vector>

#include <actorpool/all.hpp>

namespace {

int triple(int x) {
  return 3 * x;
}

} // namespace

ACTORPOOL_TASK(triple)

int main() {
  std::vector<int> xs(100);
  std::iota(xs.begin(), xs.end(), 0);
  actorpool::pool workers{2};
  auto ys = workers.map(triple, xs);
  for (size_t i = 0; i < xs.size(); ++i)
    if (ys[i] != 3 * xs[i]) {
      std::fprintf(stderr, "wrong result at %zu: %d\n", i, ys[i]);
      return 1;
    }
  std::printf("package consumer: %zu results from %zu workers\n", ys.size(),
              workers.size());
  return 0;
}
