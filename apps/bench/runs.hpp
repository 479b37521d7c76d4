#pragma once

#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "report.hpp"
#include "workloads.hpp"

namespace bench {

/// The median over `cfg.repeat` calls of `run()`, which returns the seconds
/// of one run; with `--verbose`, every run's time goes to stderr.
template <class F>
double median_of_runs(const run_config& cfg, const char* name, F&& run) {
  std::vector<double> xs;
  for (int i = 0; i < cfg.repeat; ++i) {
    xs.push_back(run());
    if (cfg.verbose)
      std::cerr << "# " << name << " run " << i + 1 << ": " << xs.back()
                << " s\n";
  }
  return median(std::move(xs));
}

/// Throws `verification_error` unless `ok`.
inline void check(bool ok, const char* workload, const std::string& what) {
  if (!ok)
    throw verification_error(std::string{workload} + ": wrong result (" + what
                             + ")");
}

} // namespace bench
