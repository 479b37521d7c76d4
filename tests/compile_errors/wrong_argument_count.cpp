// A call with more arguments than the task has parameters.
// expect: actorpool: wrong number of arguments for this task
#include <actorpool/all.hpp>

int square(int x) {
  return x * x;
}
ACTORPOOL_TASK(square)

int main() {
  actorpool::pool p{2};
  return p.apply(square, 3, 4) == 9 ? 0 : 1;
}
