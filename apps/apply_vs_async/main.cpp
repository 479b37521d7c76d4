// actorpool-apply-vs-async: what it shows and its options are in `help_text`
// below (printed by --help).

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include <actorpool/all.hpp>

#include "common/help.hpp"

namespace {

double work(int x, double seconds) {
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  return x * seconds;
}

struct options {
  int tasks = 3;
  double seconds = 1.0;
};

options parse(int argc, char** argv) {
  options opts;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--tasks") == 0)
      opts.tasks = std::atoi(argv[i + 1]);
    else if (std::strcmp(argv[i], "--seconds") == 0)
      opts.seconds = std::atof(argv[i + 1]);
  }
  return opts;
}

template <class F>
double timed(F&& fn) {
  auto t0 = std::chrono::steady_clock::now();
  fn();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
    .count();
}

} // namespace

ACTORPOOL_TASK(work)

constexpr const char* help_text
  = "usage: actorpool-apply-vs-async [--tasks N] [--seconds S]\n"
    "\n"
    "Python's classic pool demonstration:\n"
    "\n"
    "    with Pool(3) as p:\n"
    "        for x in xs: p.apply(work, (x,))                  # one after "
    "another\n"
    "        rs = [p.apply_async(work, (x,)) for x in xs]      # overlapping\n"
    "        [r.get() for r in rs]\n"
    "\n"
    "With three tasks of one second each, `apply` takes about three seconds "
    "and\n"
    "`apply_async` about one, because `apply` waits for each result before\n"
    "submitting the next task.\n";

int main(int argc, char** argv) {
  actorpool_apps::answer_help(argc, argv, help_text);
  auto opts = parse(argc, argv);
  actorpool::pool p{opts.tasks};
  auto serial = timed([&] {
    for (int x = 0; x < opts.tasks; ++x)
      p.apply(work, x, opts.seconds);
  });
  auto overlapped = timed([&] {
    std::vector<actorpool::async_result<double>> rs;
    for (int x = 0; x < opts.tasks; ++x)
      rs.push_back(p.apply_async(work, x, opts.seconds));
    for (auto& r : rs)
      r.get();
  });
  std::
    printf("apply       (one after another): %d tasks of %.2f s took %.2f s\n",
           opts.tasks, opts.seconds, serial);
  std::
    printf("apply_async (overlapping):       %d tasks of %.2f s took %.2f s\n",
           opts.tasks, opts.seconds, overlapped);
  bool as_expected = serial > 0.9 * opts.tasks * opts.seconds
                     && overlapped < 0.5 * serial;
  std::printf("%s\n", as_expected ? "as expected: apply_async overlaps"
                                  : "unexpected timing");
  return as_expected ? 0 : 1;
}
