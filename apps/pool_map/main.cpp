// actorpool-pool-map: what it shows and its options are in `help_text` below
// (printed by --help).

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <numeric>
#include <vector>

#include <actorpool/all.hpp>

#include "common/help.hpp"

namespace {

long f(long x) {
  return x * x;
}

} // namespace

ACTORPOOL_TASK(f)

constexpr const char* help_text = "usage: actorpool-pool-map [--workers N] "
                                  "[--items N]\n"
                                  "\n"
                                  "Python's `Pool.map` over a list:\n"
                                  "\n"
                                  "    def f(x): return x * x\n"
                                  "    with Pool(5) as p:\n"
                                  "        print(p.map(f, [1, 2, 3]))\n"
                                  "\n"
                                  "On a terminal, a progress bar on stderr "
                                  "follows the map.\n";

int main(int argc, char** argv) {
  actorpool_apps::answer_help(argc, argv, help_text);
  long workers = 5;
  long items = 20;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--workers") == 0)
      workers = std::atol(argv[i + 1]);
    else if (std::strcmp(argv[i], "--items") == 0)
      items = std::atol(argv[i + 1]);
  }
  std::vector<long> xs(static_cast<size_t>(items));
  std::iota(xs.begin(), xs.end(), 1);
  actorpool::pool p{workers};
  // Draws nothing unless stderr is a terminal.
  actorpool::progress_bar bar{"map"};
  auto ys = p.map(actorpool::call_options{}.on_progress(bar), f, xs);
  std::printf("map(f, [1..%ld]) on %ld workers = [", items, workers);
  for (size_t i = 0; i < ys.size(); ++i)
    std::printf(i == 0 ? "%ld" : ", %ld", ys[i]);
  std::printf("]\n");
  for (size_t i = 0; i < ys.size(); ++i)
    if (ys[i] != xs[i] * xs[i])
      return 1;
  return 0;
}
