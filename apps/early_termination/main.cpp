// actorpool-early-termination: what it shows and its options are in `help_text`
// below (printed by --help).

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

#include <actorpool/all.hpp>

#include "common/help.hpp"

namespace {

/// The task: sleep 1 ms, then say whether `p` is the target (set in every
/// worker by the pool's initializer).
long target = 10000;
bool cooperative = false;

void configure(long t, bool coop) {
  target = t;
  cooperative = coop;
}

void sleep_1ms() {
  if (cooperative)
    actorpool::this_task::sleep_for(std::chrono::milliseconds{1});
  else
    std::this_thread::sleep_for(std::chrono::milliseconds{1});
}

bool is_target(long p) {
  sleep_1ms();
  return p == target;
}

/// Mean duration of `n` of the tasks' 1 ms sleeps in a worker, in seconds.
double mean_sleep(int n) {
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i)
    sleep_1ms();
  std::chrono::duration<double> dt = std::chrono::steady_clock::now() - t0;
  return dt.count() / n;
}

long square(long x) {
  return x * x;
}

} // namespace

ACTORPOOL_TASK(configure)
ACTORPOOL_TASK(is_target)
ACTORPOOL_TASK(mean_sleep)
ACTORPOOL_TASK(square)

constexpr const char* help_text
  = "usage: actorpool-early-termination [--workers N] [--tasks N]\n"
    "                                  [--target N] [--cooperative]\n"
    "\n"
    "Early termination: stop the whole pool the moment one task says yes.\n"
    "\n"
    "    def f(p):\n"
    "        time.sleep(0.001)\n"
    "        return p == 10000\n"
    "\n"
    "    with Pool(2) as pool:\n"
    "        results = [pool.apply_async(f, (p,)) for p in range(50000)]\n"
    "        for r in results:\n"
    "            if r.get():\n"
    "                pool.terminate()   # and the pool is gone\n"
    "                break\n"
    "\n"
    "Here the pool's coordinator does it: `find_first` reads the inputs as\n"
    "workers free up, and when a result matches it drops the queued inputs,\n"
    "cancels the running ones and reports the match. The pool stays usable: a\n"
    "`map` runs right after. The tasks sleep like Python's `time.sleep`, so a\n"
    "running one finishes its millisecond; with `--cooperative` they sleep\n"
    "with `this_task::sleep_for`, which returns as soon as they are "
    "cancelled.\n"
    "\n"
    "Prints `match=<input> elapsed_s=<t> ideal_s=<t> started=<n>\n"
    "beyond_match=<n> stop_ms=<t>`: ideal_s is (target + 1) tasks of the\n"
    "tasks' 1 ms sleep, as measured in a worker, spread over the workers; "
    "started\n"
    "counts inputs that ran (the match included), beyond_match those of them "
    "after\n"
    "the match; stop_ms is the time from the match reaching the pool until "
    "the\n"
    "last running task was stopped.\n";

int main(int argc, char** argv) {
  actorpool_apps::answer_help(argc, argv, help_text);
  long workers = 2;
  long tasks = 50000;
  bool coop = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--cooperative") == 0)
      coop = true;
    else if (i + 1 < argc && std::strcmp(argv[i], "--workers") == 0)
      workers = std::atol(argv[++i]);
    else if (i + 1 < argc && std::strcmp(argv[i], "--tasks") == 0)
      tasks = std::atol(argv[++i]);
    else if (i + 1 < argc && std::strcmp(argv[i], "--target") == 0)
      target = std::atol(argv[++i]);
  }
  actorpool::pool p{
    actorpool::pool_options{}.processes(workers).initializer(configure, target,
                                                             coop)};
  double sleep_s = p.apply(mean_sleep, 200);
  actorpool::progress_bar bar{"searching"};
  auto opts = actorpool::find_options{}.on_progress(bar);
  auto t0 = std::chrono::steady_clock::now();
  auto r = p.find_first(
    is_target, actorpool::irange(0L, tasks), [](bool yes) { return yes; },
    opts);
  std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - t0;
  // The pool is still there: a map right after the stop.
  auto squares = p.map(square, std::vector<long>{1, 2, 3});
  if (!r.found() || squares != std::vector<long>{1, 4, 9}) {
    std::printf("no match (or the pool did not answer afterwards)\n");
    return 1;
  }
  auto ideal = static_cast<double>(target + 1) * sleep_s
               / static_cast<double>(workers);
  auto match = static_cast<long>(r.index());
  auto beyond = static_cast<long>(r.started()) - (match + 1);
  std::printf("match=%ld elapsed_s=%.3f ideal_s=%.3f started=%llu "
              "beyond_match=%ld stop_ms=%.3f\n",
              match, elapsed.count(), ideal,
              static_cast<unsigned long long>(r.started()),
              beyond > 0 ? beyond : 0L,
              std::chrono::duration<double, std::milli>(r.stop_latency())
                .count());
  return match == target ? 0 : 1;
}
