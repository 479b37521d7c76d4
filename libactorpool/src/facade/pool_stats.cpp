#include "actorpool/pool_stats.hpp"

#include <cstdio>

#include "actorpool/progress.hpp"

namespace actorpool {

namespace {

std::string num(uint64_t x) {
  return progress_bar::short_number(static_cast<double>(x));
}

/// Seconds with one decimal, or milliseconds below one second.
std::string busy(uint64_t us) {
  char buf[32];
  if (us >= 1'000'000)
    std::snprintf(buf, sizeof(buf), "%.1fs", static_cast<double>(us) / 1e6);
  else
    std::snprintf(buf, sizeof(buf), "%.1fms", static_cast<double>(us) / 1e3);
  return buf;
}

std::string row(const worker_stats& w) {
  char buf[128];
  std::snprintf(buf, sizeof(buf), "  %5u %8d %8s %8s %9s %8s\n", w.slot,
                static_cast<int>(w.pid), num(w.restarts).c_str(),
                num(w.chunks).c_str(), busy(w.busy_us).c_str(),
                w.resident_bytes ? (num(w.resident_bytes) + "B").c_str() : "?");
  return buf;
}

} // namespace

std::string to_string(const pool_stats& x) {
  std::string text = "pool: " + std::to_string(x.pids.size()) + " workers ("
                     + std::to_string(x.ready_pids.size()) + " ready)";
  if (!x.spare_pids.empty())
    text += ", " + std::to_string(x.spare_pids.size()) + " spare";
  text += ", window " + std::to_string(x.window) + "\n";
  text += "  chunks: " + num(x.submitted) + " submitted, " + num(x.completed)
          + " completed, " + num(x.failed) + " failed, " + num(x.queued)
          + " queued, " + num(x.in_flight) + " in flight, " + num(x.cancelled)
          + " cancelled, " + num(x.timed_out) + " timed out, " + num(x.revoked)
          + " revoked\n";
  text += "  workers: " + num(x.workers_started) + " started, "
          + num(x.workers_died) + " died, " + num(x.workers_killed)
          + " killed, " + num(x.workers_recycled) + " recycled";
  if (x.stuck_threads > 0)
    text += ", " + num(x.stuck_threads) + " stuck";
  text += "\n";
  text += "  place      pid restarts   chunks      busy      rss\n";
  for (auto& w : x.workers)
    text += row(w);
  return text;
}

} // namespace actorpool
