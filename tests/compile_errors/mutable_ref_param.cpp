// A task taking a reference to non-const: the worker changes its own copy,
// and the change never comes back.
// expect: actorpool: a task cannot take a reference to non-const (T&)
#include <actorpool/all.hpp>

#include <vector>

void append_one(std::vector<int>& xs) {
  xs.push_back(1);
}
ACTORPOOL_TASK(append_one)

int main() {
  actorpool::pool p{2};
  std::vector<int> xs;
  p.apply(append_one, xs);
  return xs.size() == 1 ? 0 : 1;
}
