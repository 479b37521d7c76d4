// A call with an argument that does not convert to the parameter type.
// expect: actorpool: an argument does not convert to the task's parameter type
#include <actorpool/all.hpp>

int square(int x) {
  return x * x;
}
ACTORPOOL_TASK(square)

int main() {
  actorpool::pool p{2};
  return p.apply(square, "3") == 9 ? 0 : 1;
}
