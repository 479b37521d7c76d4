#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace bench {

/// One result line: `workload=... impl=... workers=... tasks=... seconds=...
/// tasks_per_s=...` plus ` latency_us=...` for latency figures.
struct figure {
  std::string workload;
  std::string impl;
  long workers = 0;
  size_t tasks = 0;
  /// Median wall time of one run.
  double seconds = 0;
  double tasks_per_s = 0;
  std::optional<double> latency_us;
};

/// Builds a figure, deriving `tasks_per_s` from `tasks` and `seconds`.
figure make_figure(std::string workload, std::string impl, long workers,
                   size_t tasks, double seconds,
                   std::optional<double> latency_us = std::nullopt);

/// The figure as one output line (no newline).
std::string format_figure(const figure& x);

/// Parses a line made by `format_figure` (or by python_mp_bench.py);
/// `nullopt` if the line is not a figure.
std::optional<figure> parse_figure(const std::string& line);

/// How much better `ours` is than `theirs`: their latency over ours for
/// latency figures, our throughput over theirs otherwise (>1: ours wins).
double ratio(const figure& ours, const figure& theirs);

/// The line `workload=<name> ratio_actorpool_over_python=<x>`.
std::string format_ratio(const std::string& workload, double x);

/// The median of `xs` (mean of the middle two for an even count).
double median(std::vector<double> xs);

} // namespace bench
