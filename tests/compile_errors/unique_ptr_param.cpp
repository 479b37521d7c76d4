// A task taking a std::unique_ptr: move-only, it cannot be copied to a worker.
// expect: actorpool: a task parameter or result type cannot be copied
#include <actorpool/all.hpp>

#include <memory>

int deref(std::unique_ptr<int> p) {
  return *p;
}
ACTORPOOL_TASK(deref)

int main() {
  actorpool::pool p{2};
  return p.apply(deref, std::make_unique<int>(3)) == 3 ? 0 : 1;
}
