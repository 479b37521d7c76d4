// A lambda passed straight to stream.
// expect: actorpool: not a task: a lambda, function object or std::function
#include <actorpool/all.hpp>

int main() {
  actorpool::pool p{2};
  auto s = p.stream([](int x) { return 2 * x; });
  s.put(1);
  s.close();
  int sum = 0;
  for (int y : s)
    sum += y;
  return sum == 2 ? 0 : 1;
}
