// actorpool-io-threads: what it shows and its options are in `help_text`
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

using clock_type = std::chrono::steady_clock;

/// Stands for a slow network call: the caller blocks `ms` milliseconds
/// waiting for a reply and uses no CPU meanwhile. Returns `ms`.
long slow_call(long ms) {
  std::this_thread::sleep_for(std::chrono::milliseconds{ms});
  return ms;
}

} // namespace

ACTORPOOL_TASK(slow_call)

constexpr const char* help_text
  = "usage: actorpool-io-threads [--tasks N] [--delay-ms MS] [--threads K]\n"
    "\n"
    "I/O-bound work, where threads beat processes: N tasks (default 64)\n"
    "each wait MS milliseconds (default 100) for a reply, a sleep standing\n"
    "for a slow network call. The same registered task is mapped over a\n"
    "`thread_pool{K}` (default 32 threads) and over a `pool{cpu_count()}`\n"
    "(processes, one per CPU); waiting takes no CPU, so K threads wait K at\n"
    "a time while the processes wait cpu_count() at a time. Prints both wall\n"
    "times (the map alone, the pools already started) and their ratio.\n";

namespace {

struct options {
  long tasks = 64;
  long delay_ms = 100;
  long threads = 32;
};

options parse(int argc, char** argv) {
  options opts;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--tasks") == 0)
      opts.tasks = std::atol(argv[i + 1]);
    else if (std::strcmp(argv[i], "--delay-ms") == 0)
      opts.delay_ms = std::atol(argv[i + 1]);
    else if (std::strcmp(argv[i], "--threads") == 0)
      opts.threads = std::atol(argv[i + 1]);
  }
  return opts;
}

/// Seconds `any` takes to map `slow_call` over `delays`, or a negative
/// number if a result is wrong.
double time_map(actorpool::pool& any, const std::vector<long>& delays) {
  auto t0 = clock_type::now();
  auto ys = any.map(slow_call, delays);
  auto elapsed = std::chrono::duration<double>(clock_type::now() - t0);
  return ys == delays ? elapsed.count() : -1;
}

} // namespace

int main(int argc, char** argv) {
  actorpool_apps::answer_help(argc, argv, help_text);
  auto opts = parse(argc, argv);
  if (opts.tasks < 1 || opts.delay_ms < 0 || opts.threads < 1) {
    std::fprintf(stderr, "actorpool-io-threads: --tasks and --threads must "
                         "be at least 1, --delay-ms at least 0\n");
    return 2;
  }
  std::vector<long> delays(static_cast<size_t>(opts.tasks), opts.delay_ms);
  auto cpus = static_cast<long>(actorpool::cpu_count());
  actorpool::thread_pool tp{opts.threads};
  actorpool::pool p{cpus};
  std::printf("%ld calls waiting %ld ms each; %ld threads vs %ld processes\n",
              opts.tasks, opts.delay_ms, opts.threads, cpus);
  auto threads_s = time_map(tp, delays);
  auto processes_s = time_map(p, delays);
  if (threads_s < 0 || processes_s < 0) {
    std::fprintf(stderr, "wrong results\n");
    return 1;
  }
  auto ratio = processes_s / threads_s;
  std::printf("threads: %.2f s, processes: %.2f s, ", threads_s, processes_s);
  if (ratio >= 1)
    std::printf("threads %.1fx faster\n", ratio);
  else
    std::printf("processes %.1fx faster\n", 1 / ratio);
  return 0;
}
