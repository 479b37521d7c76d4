// A lambda passed straight to apply: it has no name a worker could find.
// expect: actorpool: not a task: a lambda, function object or std::function
#include <actorpool/all.hpp>

int main() {
  actorpool::pool p{2};
  int r = p.apply([](int x) { return x * x; }, 7);
  return r == 49 ? 0 : 1;
}
