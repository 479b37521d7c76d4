// find_first of a task that returns nothing: there is no result to test.
// expect: actorpool: this needs a task that returns a value
#include <actorpool/all.hpp>

#include <cstdio>
#include <vector>

void print(int x) {
  std::printf("%d\n", x);
}
ACTORPOOL_TASK(print)

int main() {
  actorpool::pool p{2};
  std::vector<int> xs{1, 2, 3};
  auto r = p.find_first(print, xs, [](int x) { return x > 1; });
  return r.found() ? 0 : 1;
}
