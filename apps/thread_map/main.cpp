// actorpool-thread-map: what it shows and its options are in `help_text`
// below (printed by --help).

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include <actorpool/all.hpp>

#include "common/help.hpp"

namespace {

int square(int x) {
  return x * x;
}

} // namespace

ACTORPOOL_TASK(square)

constexpr const char* help_text
  = "usage: actorpool-thread-map [--threads N]\n"
    "\n"
    "Python's `multiprocessing.dummy.Pool` (threads instead of processes):\n"
    "\n"
    "    from multiprocessing.dummy import Pool\n"
    "    with Pool(8) as px:\n"
    "        print(px.map(lambda x: 4 * x, [0, 1, 2, 3]))\n"
    "\n"
    "The function is a C++ lambda with a capture, unregistered. The same\n"
    "pool then runs a registered task through a `pool&`, as a process pool\n"
    "would.\n";

namespace {

void print_line(const char* what, const std::vector<int>& ys) {
  std::printf("%s:", what);
  for (int y : ys)
    std::printf(" %d", y);
  std::printf("\n");
}

/// Code written once for either kind of pool (registered tasks only).
std::vector<int> squares(actorpool::pool& any, const std::vector<int>& xs) {
  return any.map(square, xs);
}

} // namespace

int main(int argc, char** argv) {
  actorpool_apps::answer_help(argc, argv, help_text);
  long threads = 8;
  for (int i = 1; i + 1 < argc; i += 2)
    if (std::strcmp(argv[i], "--threads") == 0)
      threads = std::atol(argv[i + 1]);
  actorpool::thread_pool px{threads};
  const std::vector<int> xs{0, 1, 2, 3};
  int k = 4;
  auto ys = px.map([k](int x) { return k * x; }, xs);
  std::printf("%ld threads\n", threads);
  print_line("map(lambda x: 4 * x, [0, 1, 2, 3])", ys);
  auto zs = squares(px, xs);
  print_line("map(square, [0, 1, 2, 3]) through a pool&", zs);
  for (size_t i = 0; i < xs.size(); ++i)
    if (ys[i] != 4 * xs[i] || zs[i] != xs[i] * xs[i])
      return 1;
  return 0;
}
