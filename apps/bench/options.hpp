#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>

namespace bench {

/// The command line of actorpool-bench.
struct options {
  /// Pool size of every workload except `startup_*`.
  long workers = 2;
  /// Runs per workload; figures are medians over them (default 5, or 1
  /// with `--quick`).
  int repeat = 0;
  /// Small sizes and a single run, for the smoke test.
  bool quick = false;
  /// Also run python_mp_bench.py and print ratios.
  bool compare_python = false;
  /// Print every run's time to stderr.
  bool verbose = false;
  bool help = false;
  /// Name of the only workload to run; empty for all.
  std::string only;
};

/// Problem sizes of the workloads (full or `--quick`).
struct sizes {
  size_t apply_calls;
  size_t apply_async_calls;
  size_t imap_items;
  size_t map_items;
  size_t payload_calls;
  size_t payload_bytes;
};

/// Parses the command line; throws `std::invalid_argument` on bad input.
options parse_options(int argc, char** argv);

/// Writes the `--help` text to `out`.
void print_usage(std::ostream& out);

/// The problem sizes for `opts` (small ones with `--quick`).
sizes make_sizes(const options& opts);

} // namespace bench
