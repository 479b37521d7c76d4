// A function object passed straight to map.
// expect: actorpool: not a task: a lambda, function object or std::function
#include <actorpool/all.hpp>

#include <vector>

struct squarer {
  int operator()(int x) const {
    return x * x;
  }
};

int main() {
  actorpool::pool p{2};
  std::vector<int> xs{1, 2, 3};
  std::vector<int> ys = p.map(squarer{}, xs);
  return ys.size() == 3 ? 0 : 1;
}
