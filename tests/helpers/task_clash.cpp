// A program with two different functions registered under one name, by
// ACTORPOOL_TASK_AS and by make_task, and a task made inside main (which its
// workers do not have). It calls each with a pool of two workers and prints
// "<which>: <error>" on stdout for each call that fails; the clashes are
// reported on stderr as the program starts. Exits with 1 if a call succeeds.

#include <cstdio>

#include <actorpool/pool.hpp>

namespace {

int first(int x) {
  return x;
}

int second(int x) {
  return -x;
}

} // namespace

ACTORPOOL_TASK_AS("clash.fn", first)
ACTORPOOL_TASK_AS("clash.fn", second)

const auto lambda_a = actorpool::make_task("clash.lambda",
                                           [](int x) { return x; });
const auto lambda_b = actorpool::make_task("clash.lambda",
                                           [](int x) { return -x; });

template <class F>
bool fails(actorpool::pool& p, const char* which, const F& f) {
  try {
    p.apply(f, 1);
    return false;
  } catch (const actorpool::unknown_task_error& e) {
    std::printf("%s: %s\n", which, e.what());
    return true;
  }
}

int main() {
  actorpool::pool p{2};
  const auto local = actorpool::make_task("clash.local",
                                          [](int x) { return x + 1; });
  bool ok = fails(p, "function", second) && fails(p, "lambda", lambda_a)
            && fails(p, "local", local);
  std::fflush(stdout);
  return ok ? 0 : 1;
}
