#include "workloads_stop.hpp"

#include <signal.h>

#include <chrono>
#include <cstdint>
#include <thread>

#include <actorpool/pool.hpp>
#include <actorpool/ranges.hpp>

#include "runs.hpp"

namespace bench {

namespace {

constexpr const char* impl_name = "actorpool";

/// The input that matches, set in every worker by the pool's initializer.
int64_t target = 0;

void set_target(int64_t t) {
  target = t;
}

bool sleep_then_check(int64_t p) {
  std::this_thread::sleep_for(std::chrono::milliseconds{1});
  return p == target;
}

} // namespace

} // namespace bench

ACTORPOOL_TASK_AS("bench::set_target", bench::set_target)
ACTORPOOL_TASK_AS("bench::sleep_then_check", bench::sleep_then_check)

namespace bench {

namespace {

struct search_run {
  double seconds = 0;
  double stop_us = 0;
};

/// One search in a fresh pool (so every run starts alike); only the search
/// is timed.
search_run search_once(const run_config& cfg, const char* name, int64_t inputs,
                       int64_t match) {
  actorpool::pool p{actorpool::pool_options{}
                      .processes(cfg.workers)
                      .initializer(set_target, match)};
  check(!p.apply(sleep_then_check, int64_t{-1}), name, "warm-up call");
  auto start = std::chrono::steady_clock::now();
  auto r = p.find_first(sleep_then_check, actorpool::irange(int64_t{0}, inputs),
                        [](bool hit) { return hit; });
  std::chrono::duration<double> dt = std::chrono::steady_clock::now() - start;
  check(r.found() && r.index() == static_cast<size_t>(match), name,
        "the match");
  search_run result;
  result.seconds = dt.count();
  result.stop_us = std::chrono::duration<double, std::micro>(r.stop_latency())
                     .count();
  return result;
}

/// Inputs and target of both workloads (`--quick`: small ones).
struct search_size {
  int64_t inputs;
  int64_t match;
};

search_size early_size(const run_config& cfg) {
  if (cfg.size.apply_calls < 2000) // --quick
    return {2000, 300};
  return {50000, 10000};
}

figure run_early_termination(const run_config& cfg) {
  const char* name = "early_termination";
  auto sz = early_size(cfg);
  auto secs = median_of_runs(cfg, name, [&] {
    return search_once(cfg, name, sz.inputs, sz.match).seconds;
  });
  return make_figure(name, impl_name, cfg.workers,
                     static_cast<size_t>(sz.match + 1), secs);
}

figure run_stop_latency(const run_config& cfg) {
  const char* name = "stop_latency";
  auto sz = early_size(cfg);
  sz.inputs /= 10;
  sz.match /= 10;
  std::vector<double> stops;
  auto secs = median_of_runs(cfg, name, [&] {
    auto r = search_once(cfg, name, sz.inputs, sz.match);
    stops.push_back(r.stop_us);
    return r.seconds;
  });
  return make_figure(name, impl_name, cfg.workers,
                     static_cast<size_t>(sz.match + 1), secs,
                     median(std::move(stops)));
}

/// Waits, untimed, until every worker of `p` and `spares` spares are ready.
void await_full_strength(actorpool::pool& p, size_t spares, const char* name) {
  auto start = std::chrono::steady_clock::now();
  for (;;) {
    auto st = p.stats();
    if (st.ready_pids.size() == p.size() && st.spare_pids.size() == spares)
      return;
    check(std::chrono::steady_clock::now() - start < std::chrono::seconds{10},
          name, "every worker and spare ready within 10 s");
  }
}

/// Seconds from SIGKILL of an idle worker until the pool is back to full
/// strength (a replacement that said hello holds the place).
double replace_once(actorpool::pool& p, size_t spares, const char* name) {
  await_full_strength(p, spares, name);
  auto before = p.stats();
  auto start = std::chrono::steady_clock::now();
  kill(before.pids.front(), SIGKILL);
  for (;;) {
    auto st = p.stats();
    if (st.workers_died > before.workers_died
        && st.ready_pids.size() == before.ready_pids.size())
      break;
    check(std::chrono::steady_clock::now() - start < std::chrono::seconds{10},
          name, "a replacement within 10 s");
  }
  std::chrono::duration<double> dt = std::chrono::steady_clock::now() - start;
  return dt.count();
}

figure replace_workload(const run_config& cfg, const char* name,
                        size_t spares) {
  actorpool::pool p{actorpool::pool_options{}
                      .processes(cfg.workers)
                      .spare_workers(static_cast<long>(spares))};
  check(p.apply(sleep_then_check, int64_t{-1}) == false, name, "warm-up");
  auto secs = median_of_runs(cfg, name,
                             [&] { return replace_once(p, spares, name); });
  check(p.apply(sleep_then_check, int64_t{-1}) == false, name,
        "a call after the kills");
  return make_figure(name, impl_name, cfg.workers, 1, secs, secs * 1e6);
}

figure run_worker_replace(const run_config& cfg) {
  return replace_workload(cfg, "worker_replace", 0);
}

figure run_worker_replace_spare(const run_config& cfg) {
  return replace_workload(cfg, "worker_replace_spare", 1);
}

} // namespace

const std::vector<workload>& stop_workloads() {
  static const std::vector<workload> xs{
    {"early_termination", run_early_termination},
    {"stop_latency", run_stop_latency},
    {"worker_replace", run_worker_replace},
    {"worker_replace_spare", run_worker_replace_spare},
  };
  return xs;
}

} // namespace bench
