#include "options.hpp"

#include <ostream>
#include <stdexcept>
#include <string_view>

namespace bench {

namespace {

/// Parses a positive integer option value.
long parse_positive(std::string_view flag, const std::string& text) {
  size_t used = 0;
  long n = 0;
  try {
    n = std::stol(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || n < 1)
    throw std::invalid_argument(
      std::string{flag} + " needs a positive integer, got '" + text + "'");
  return n;
}

/// Returns the value after flag `argv[i]` and advances `i` past it.
std::string take_value(int argc, char** argv, int& i) {
  if (i + 1 >= argc)
    throw std::invalid_argument(std::string{argv[i]} + " needs a value");
  return argv[++i];
}

} // namespace

options parse_options(int argc, char** argv) {
  options opts;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h")
      opts.help = true;
    else if (arg == "--quick")
      opts.quick = true;
    else if (arg == "--verbose")
      opts.verbose = true;
    else if (arg == "--compare-python")
      opts.compare_python = true;
    else if (arg == "--workers")
      opts.workers = parse_positive(arg, take_value(argc, argv, i));
    else if (arg == "--repeat")
      opts.repeat = static_cast<int>(
        parse_positive(arg, take_value(argc, argv, i)));
    else if (arg == "--only")
      opts.only = take_value(argc, argv, i);
    else
      throw std::invalid_argument("unknown argument '" + std::string{arg}
                                  + "'");
  }
  if (opts.repeat == 0)
    opts.repeat = opts.quick ? 1 : 5;
  return opts;
}

void print_usage(std::ostream& out) {
  out << "usage: actorpool-bench [--workers N] [--repeat N] [--quick]\n"
         "                       [--only WORKLOAD] [--compare-python]\n"
         "                       [--verbose] [--help]\n"
         "\n"
         "  --workers N       pool size (default 2; startup_* use 2 and 8,\n"
         "                    long_short_mix 4)\n"
         "  --repeat N        runs per workload, medians reported\n"
         "                    (default 5; 1 with --quick)\n"
         "  --quick           small sizes and one run (smoke test)\n"
         "  --only WORKLOAD   run one workload: apply_latency,\n"
         "                    apply_async_50k, imap_unordered_200k, "
         "map_200k,\n"
         "                    payload_1mib, long_short_mix, startup_2,\n"
         "                    startup_8, lock_roundtrip, queue_put_get,\n"
         "                    early_termination, stop_latency,\n"
         "                    worker_replace, worker_replace_spare,\n"
         "                    raw_roundtrip, raw_1mib,\n"
         "                    thread_apply_async_50k,\n"
         "                    thread_imap_unordered_200k, thread_map_200k\n"
         "                    (raw_*: this machine's limits, two processes\n"
         "                    on a socketpair; every latency and payload\n"
         "                    figure is also printed as a ratio to them;\n"
         "                    thread_*: on a thread_pool of --workers\n"
         "                    threads, then on a hand-written pool of\n"
         "                    std::thread and std::future, with the ratio\n"
         "                    actorpool/std_future, >1: actorpool wins)\n"
         "  --compare-python  also run Python's multiprocessing.Pool (for\n"
         "                    thread_*: multiprocessing.dummy.Pool) and\n"
         "                    print actorpool/python ratios (>1: actorpool "
         "wins)\n"
         "  --verbose         print every run's time to stderr\n"
         "  --help            show this text\n";
}

sizes make_sizes(const options& opts) {
  if (opts.quick)
    return sizes{200, 2'000, 5'000, 5'000, 10, size_t{1} << 20};
  return sizes{2'000, 50'000, 200'000, 200'000, 200, size_t{1} << 20};
}

} // namespace bench
