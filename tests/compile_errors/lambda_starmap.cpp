// A lambda passed straight to starmap.
// expect: actorpool: not a task: a lambda, function object or std::function
#include <actorpool/all.hpp>

#include <tuple>
#include <vector>

int main() {
  actorpool::pool p{2};
  std::vector<std::tuple<int, int>> pairs{{1, 2}, {3, 4}};
  auto add = [](int a, int b) {
    return a + b;
  };
  std::vector<int> sums = p.starmap(add, pairs);
  return sums.size() == 2 ? 0 : 1;
}
