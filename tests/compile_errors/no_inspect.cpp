// A task taking a struct that has no inspect overload: CAF cannot serialize
// it.
// expect: actorpool: CAF cannot serialize a task parameter or result type
#include <actorpool/all.hpp>

struct point {
  int x = 0;
  int y = 0;
};

int norm1(point p) {
  return p.x + p.y;
}
ACTORPOOL_TASK(norm1)

int main() {
  actorpool::pool p{2};
  return p.apply(norm1, point{1, 2}) == 3 ? 0 : 1;
}
