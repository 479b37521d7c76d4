// A lambda passed straight to find_first.
// expect: actorpool: not a task: a lambda, function object or std::function
#include <actorpool/all.hpp>

#include <vector>

int main() {
  actorpool::pool p{2};
  std::vector<int> xs{1, 2, 3};
  auto r = p.find_first([](int x) { return x % 2 == 0; }, xs,
                        [](bool even) { return even; });
  return r.found() ? 0 : 1;
}
