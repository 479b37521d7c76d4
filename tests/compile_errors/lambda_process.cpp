// A lambda as the target of a process (Python: Process(target=...)).
// expect: actorpool: not a task: a lambda, function object or std::function
#include <actorpool/all.hpp>

#include <cstdio>

int main() {
  actorpool::process worker{[](int n) { std::printf("%d\n", n); }, 3};
  worker.start();
  worker.join();
  return worker.exitcode().value_or(1);
}
