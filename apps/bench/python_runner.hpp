#pragma once

#include <string>
#include <vector>

#include "options.hpp"
#include "report.hpp"

namespace bench {

/// What the Python side produced.
struct python_result {
  /// False if `python3` could not be started (not installed).
  bool available = false;
  /// The `impl=python-mp` and `impl=python-dummy` figures, in the order
  /// printed.
  std::vector<figure> figures;
};

/// The Python workload a workload of ours is held against: the one of the
/// same name, but Python's worker_replace for worker_replace_spare (Python's
/// pool has no spare workers).
std::string python_workload(const std::string& name);

/// Runs python_mp_bench.py with `python3` and the same workers, repeat,
/// quick, only and verbose settings, relaying its output lines to stdout as
/// they come. Throws `std::runtime_error` if the script fails.
python_result run_python_bench(const options& opts);

} // namespace bench
