// actorpool-many-async: what it shows and its options are in `help_text` below
// (printed by --help).

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include <actorpool/all.hpp>

#include "common/help.hpp"

namespace {

long long f(long long x) {
  return 3 * x + 1;
}

} // namespace

ACTORPOOL_TASK(f)

constexpr const char* help_text
  = "usage: actorpool-many-async [--workers N] [--tasks N]\n"
    "\n"
    "Many small asynchronous calls, then one `get()` each:\n"
    "\n"
    "    with Pool() as p:\n"
    "        rs = [p.apply_async(f, (i,)) for i in range(50000)]\n"
    "        total = sum(r.get() for r in rs)\n"
    "\n"
    "Every call is its own task; the coordinator batches them per worker and\n"
    "keeps a window of tasks in flight so that the socket round trip is "
    "hidden.\n";

int main(int argc, char** argv) {
  actorpool_apps::answer_help(argc, argv, help_text);
  long workers = static_cast<long>(actorpool::cpu_count());
  long tasks = 50000;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--workers") == 0)
      workers = std::atol(argv[i + 1]);
    else if (std::strcmp(argv[i], "--tasks") == 0)
      tasks = std::atol(argv[i + 1]);
  }
  actorpool::pool p{workers};
  auto t0 = std::chrono::steady_clock::now();
  std::vector<actorpool::async_result<long long>> rs;
  rs.reserve(static_cast<size_t>(tasks));
  for (long long i = 0; i < tasks; ++i)
    rs.push_back(p.apply_async(f, i));
  long long total = 0;
  for (auto& r : rs)
    total += r.get();
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now()
                                           - t0)
               .count();
  long long n = tasks;
  long long expected = 3 * (n * (n - 1) / 2) + n;
  std::printf("%ld apply_async calls on %ld workers: sum %lld in %.3f s "
              "(%.0f calls/s)\n",
              tasks, workers, total, s, static_cast<double>(tasks) / s);
  return total == expected ? 0 : 1;
}
