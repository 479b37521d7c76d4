#pragma once

#include <stdexcept>
#include <vector>

#include "options.hpp"
#include "report.hpp"

namespace bench {

/// What every workload needs to know.
struct run_config {
  /// Pool size (ignored by `startup_*`, whose size is in their name).
  long workers;
  /// Runs to take the median over.
  int repeat;
  sizes size;
  /// Print every run's time to stderr.
  bool verbose;
};

/// A named benchmark; `run` returns the actorpool figure of all runs.
struct workload {
  const char* name;
  figure (*run)(const run_config& cfg);
};

/// Thrown when a workload gets wrong results back from the pool.
class verification_error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// Every workload, in the order they run.
const std::vector<workload>& all_workloads();

} // namespace bench
