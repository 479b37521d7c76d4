// A lambda passed straight to apply_async.
// expect: actorpool: not a task: a lambda, function object or std::function
#include <actorpool/all.hpp>

int main() {
  actorpool::pool p{2};
  auto cube = [](int x) {
    return x * x * x;
  };
  auto r = p.apply_async(cube, 3);
  int v = r.get();
  return v == 27 ? 0 : 1;
}
