// A std::function passed straight to imap.
// expect: actorpool: not a task: a lambda, function object or std::function
#include <actorpool/all.hpp>

#include <functional>
#include <vector>

int main() {
  actorpool::pool p{2};
  std::function<int(int)> f = [](int x) {
    return x + 1;
  };
  std::vector<int> xs{1, 2, 3};
  int sum = 0;
  for (int y : p.imap(f, xs))
    sum += y;
  return sum;
}
