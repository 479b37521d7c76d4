#include "report.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <sstream>
#include <stdexcept>

namespace bench {

namespace {

/// `printf`-style formatting of one number.
std::string fmt(const char* spec, double x) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), spec, x);
  return buf;
}

/// Splits `k1=v1 k2=v2 ...` into a map; empty if any token lacks a `=`.
std::map<std::string, std::string> split_pairs(const std::string& line) {
  std::map<std::string, std::string> result;
  std::istringstream in{line};
  std::string token;
  while (in >> token) {
    auto eq = token.find('=');
    if (eq == std::string::npos)
      return {};
    result[token.substr(0, eq)] = token.substr(eq + 1);
  }
  return result;
}

} // namespace

figure make_figure(std::string workload, std::string impl, long workers,
                   size_t tasks, double seconds,
                   std::optional<double> latency_us) {
  figure x{std::move(workload), std::move(impl), workers, tasks, seconds, 0.0,
           latency_us};
  if (seconds > 0)
    x.tasks_per_s = static_cast<double>(tasks) / seconds;
  return x;
}

std::string format_figure(const figure& x) {
  std::string line = "workload=" + x.workload + " impl=" + x.impl
                     + " workers=" + std::to_string(x.workers)
                     + " tasks=" + std::to_string(x.tasks)
                     + " seconds=" + fmt("%.6f", x.seconds)
                     + " tasks_per_s=" + fmt("%.1f", x.tasks_per_s);
  if (x.latency_us)
    line += " latency_us=" + fmt("%.2f", *x.latency_us);
  return line;
}

std::optional<figure> parse_figure(const std::string& line) {
  auto kv = split_pairs(line);
  for (auto key : {"workload", "impl", "workers", "tasks", "seconds"})
    if (kv.count(key) == 0)
      return std::nullopt;
  try {
    std::optional<double> latency;
    if (kv.count("latency_us") != 0)
      latency = std::stod(kv["latency_us"]);
    auto x = make_figure(kv["workload"], kv["impl"], std::stol(kv["workers"]),
                         std::stoul(kv["tasks"]), std::stod(kv["seconds"]),
                         latency);
    if (kv.count("tasks_per_s") != 0) // as printed: from unrounded seconds
      x.tasks_per_s = std::stod(kv["tasks_per_s"]);
    return x;
  } catch (const std::logic_error&) {
    return std::nullopt; // stoi & co. throw invalid_argument, out_of_range
  }
}

double ratio(const figure& ours, const figure& theirs) {
  if (ours.latency_us && theirs.latency_us && *ours.latency_us > 0)
    return *theirs.latency_us / *ours.latency_us;
  if (theirs.tasks_per_s > 0)
    return ours.tasks_per_s / theirs.tasks_per_s;
  return 0.0;
}

std::string format_ratio(const std::string& workload, double x) {
  return "workload=" + workload
         + " ratio_actorpool_over_python=" + fmt("%.3f", x);
}

double median(std::vector<double> xs) {
  if (xs.empty())
    return 0.0;
  std::sort(xs.begin(), xs.end());
  auto n = xs.size();
  return n % 2 == 1 ? xs[n / 2] : (xs[n / 2 - 1] + xs[n / 2]) / 2;
}

} // namespace bench
