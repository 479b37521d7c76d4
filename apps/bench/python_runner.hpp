#pragma once

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

/// Runs python_mp_bench.py with `python3` and the same workers, repeat,
/// quick, only and verbose settings, relaying its output lines to stdout as
/// they come. Throws `std::runtime_error` if the script fails.
python_result run_python_bench(const options& opts);

} // namespace bench
