// actorpool-bench: how fast actorpool moves small and large tasks, and how
// it compares with Python's multiprocessing.Pool.
//
// Usage: actorpool-bench [--workers N] [--repeat N] [--quick]
//                        [--only WORKLOAD] [--compare-python] [--verbose]
//                        [--help]
//
// Every figure is one line,
//
//   workload=<name> impl=actorpool workers=<n> tasks=<n> seconds=<s>
//     tasks_per_s=<r> [latency_us=<x>]
//
// (on one line), where `seconds` is the median wall time over `--repeat`
// runs (default 5; `--quick` runs once with small sizes, for the smoke
// test). Each workload uses one pool of `--workers` processes (default 2),
// calls it once before timing, and checks its results: a wrong result ends
// the program with exit status 1.
//
//   apply_latency        2,000 synchronous `apply` round trips of a tiny
//                        task; latency_us = mean time per call
//   apply_async_50k      50,000 `apply_async`, then `get()` on each
//   imap_unordered_200k  `imap_unordered` over 200,000 tiny tasks
//                        (chunksize 1, as Python's default)
//   map_200k             `map` over 200,000 tiny tasks (automatic chunksize)
//   payload_1mib         200 `apply_async` with a 1 MiB string argument
//                        that the task returns the size of
//   long_short_mix       a fresh pool of 4 workers, `apply_async` of
//                        sleeps of 3000, 3000, 1000, 0, 3000, 3000, 0, 0 ms
//                        (`--quick`: a tenth), then `close()` and `join()`;
//                        timed from the first call (Python: 4 s)
//   startup_2, startup_8 constructing a pool of 2 / 8 workers (which returns
//                        once all are ready); latency_us = construction time,
//                        tasks = the worker count; shutdown is not timed
//   lock_roundtrip, queue_put_get  see workloads_ipc.hpp
//   early_termination, stop_latency  see workloads_stop.hpp
//   thread_apply_async_50k, thread_imap_unordered_200k, thread_map_200k
//                        the three above on a `thread_pool` of `--workers`
//                        threads, each followed by the same workload on a
//                        hand-written pool of std::thread, packaged_task
//                        and std::future (impl=std_future) and one line
//                        `workload=<name> ratio_actorpool_over_std_future=<x>`
//                        (see workloads_threads.hpp)
//
// `--compare-python` then runs python_mp_bench.py (the same workloads with
// multiprocessing.Pool and the "fork" start method, Python's default on
// Linux up to 3.13) and relays its `impl=python-mp` lines, followed by one
//
//   workload=<name> ratio_actorpool_over_python=<x>
//
// per workload (worker_replace_spare is held against Python's
// worker_replace). The ratio is actorpool's throughput over Python's, and for
// the latency figures (apply_latency, startup_*) Python's time over
// actorpool's: either way, >1 means actorpool is better. Python's Pool()
// returns before its workers run, so its startup figure includes one
// trivial `apply`. The `thread_*` workloads are held against
// multiprocessing.dummy.Pool (threads; impl=python-dummy). Without python3
// the comparison is skipped (exit 0).

#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "options.hpp"
#include "python_runner.hpp"
#include "report.hpp"
#include "workloads.hpp"
#include "workloads_ipc.hpp"
#include "workloads_raw.hpp"
#include "workloads_stop.hpp"
#include "workloads_threads.hpp"

namespace {

using namespace bench;

/// The workloads `opts` selects (`--only`: every entry of that name);
/// throws `std::invalid_argument` for an unknown `--only` name.
std::vector<workload> selected_workloads(const options& opts) {
  auto every = all_workloads();
  every.insert(every.end(), ipc_workloads().begin(), ipc_workloads().end());
  every.insert(every.end(), stop_workloads().begin(), stop_workloads().end());
  every.insert(every.end(), raw_workloads().begin(), raw_workloads().end());
  auto& threads = thread_workloads();
  every.insert(every.end(), threads.begin(), threads.end());
  if (opts.only.empty())
    return every;
  std::vector<workload> chosen;
  for (auto& w : every)
    if (opts.only == w.name)
      chosen.push_back(w);
  if (!chosen.empty())
    return chosen;
  throw std::invalid_argument("unknown workload '" + opts.only + "'");
}

/// Runs the Python side and prints a ratio line per workload both ran.
void compare_with_python(const options& opts, const std::vector<figure>& ours) {
  auto py = run_python_bench(opts);
  if (!py.available) {
    std::cout << "# python3 not found: skipping --compare-python" << std::endl;
    return;
  }
  for (auto& x : ours)
    for (auto& y : py.figures)
      if (x.impl == "actorpool" && python_workload(x.workload) == y.workload)
        std::cout << format_ratio(x.workload, ratio(x, y)) << std::endl;
}

/// Runs the selected workloads and prints their figures.
int run(const options& opts) {
  auto todo = selected_workloads(opts);
  run_config cfg{opts.workers, opts.repeat, make_sizes(opts), opts.verbose};
  std::vector<figure> ours;
  for (auto& w : todo) {
    ours.push_back(w.run(cfg));
    std::cout << format_figure(ours.back()) << std::endl;
  }
  for (auto& line : raw_ratio_lines(ours))
    std::cout << line << std::endl;
  for (auto& line : std_future_ratio_lines(ours))
    std::cout << line << std::endl;
  if (opts.compare_python)
    compare_with_python(opts, ours);
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  options opts;
  try {
    opts = parse_options(argc, argv);
    if (!opts.only.empty())
      selected_workloads(opts); // reject unknown names before any work
  } catch (const std::invalid_argument& e) {
    std::cerr << "actorpool-bench: " << e.what() << "\n\n";
    print_usage(std::cerr);
    return 2;
  }
  if (opts.help) {
    print_usage(std::cout);
    return 0;
  }
  try {
    return run(opts);
  } catch (const std::exception& e) {
    std::cerr << "actorpool-bench: " << e.what() << std::endl;
    return 1;
  }
}
