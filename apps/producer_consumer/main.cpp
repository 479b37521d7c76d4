// actorpool-producer-consumer: what it shows and its options are in `help_text`
// below (printed by --help).

#include <sys/resource.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <actorpool/all.hpp>

#include "common/help.hpp"

namespace {

int64_t stop_at = 10'000'000;

void set_stop_at(int64_t k) {
  stop_at = k;
}

/// The tiny task: is this the input we are waiting for?
bool is_stop(int64_t x) {
  return x == stop_at;
}

double peak_rss_mib() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) / 1024.0; // ru_maxrss is in KiB
}

} // namespace

ACTORPOOL_TASK(set_stop_at)
ACTORPOOL_TASK(is_stop)

constexpr const char* help_text
  = "usage: actorpool-producer-consumer [--workers N] [--inputs N]\n"
    "                                  [--stop-at K] [--chunksize N]\n"
    "\n"
    "Producer/consumer with backpressure, stopped by the first good result.\n"
    "\n"
    "    def producer(pool, q):                 # thread 1\n"
    "        for i in range(50_000_000):\n"
    "            q.put(pool.apply_async(f, (i,)))   # a future per input\n"
    "    def consumer(pool, q):                 # thread 2\n"
    "        while True:\n"
    "            if q.get().get():\n"
    "                pool.terminate()\n"
    "                return\n"
    "\n"
    "In Python the producer runs ahead of the workers, and the queue of "
    "futures\n"
    "grows with the input. Here `find_first` is both threads: the pool reads\n"
    "the input range lazily, keeps at most a window of inputs between reading\n"
    "and checking, and stops on the first result that matches. Memory does "
    "not\n"
    "grow with the length of the stream; run with a 10x longer input to see.\n"
    "\n"
    "Prints `match=<input> elapsed_s=<t> started=<n> stop_ms=<t>\n"
    "peak_rss_mib=<m>`.\n";

int main(int argc, char** argv) {
  actorpool_apps::answer_help(argc, argv, help_text);
  long workers = 2;
  int64_t inputs = 50'000'000;
  size_t chunksize = 256;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--workers") == 0)
      workers = std::atol(argv[i + 1]);
    else if (std::strcmp(argv[i], "--inputs") == 0)
      inputs = std::atoll(argv[i + 1]);
    else if (std::strcmp(argv[i], "--stop-at") == 0)
      stop_at = std::atoll(argv[i + 1]);
    else if (std::strcmp(argv[i], "--chunksize") == 0)
      chunksize = static_cast<size_t>(std::atol(argv[i + 1]));
  }
  actorpool::pool p{
    actorpool::pool_options{}.processes(workers).initializer(set_stop_at,
                                                             stop_at)};
  actorpool::progress_bar bar{"streaming"};
  auto opts = actorpool::find_options{}.chunksize(chunksize).on_progress(bar);
  auto t0 = std::chrono::steady_clock::now();
  auto r = p.find_first(
    is_stop, actorpool::irange(int64_t{0}, inputs),
    [](bool yes) { return yes; }, opts);
  std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - t0;
  if (!r.found()) {
    std::printf("match=none elapsed_s=%.3f started=%llu peak_rss_mib=%.1f\n",
                elapsed.count(), static_cast<unsigned long long>(r.started()),
                peak_rss_mib());
    return stop_at < inputs ? 1 : 0;
  }
  std::printf("match=%zu elapsed_s=%.3f started=%llu stop_ms=%.3f "
              "peak_rss_mib=%.1f\n",
              r.index(), elapsed.count(),
              static_cast<unsigned long long>(r.started()),
              std::chrono::duration<double, std::milli>(r.stop_latency())
                .count(),
              peak_rss_mib());
  return static_cast<int64_t>(r.index()) == stop_at ? 0 : 1;
}
