#include "workloads.hpp"

#include <chrono>
#include <cstdint>
#include <iostream>
#include <optional>
#include <string>
#include <utility>

#include <actorpool/pool.hpp>
#include <actorpool/runtime.hpp>

#include "bench_tasks.hpp"
#include "runs.hpp"

namespace bench {

namespace {

constexpr const char* impl_name = "actorpool";

/// Makes sure the pool serves calls before anything is timed.
void warm_up(actorpool::pool& p, const char* workload) {
  check(p.apply(twice, int64_t{21}) == 42, workload, "warm-up call");
}

/// Synchronous round trips, one at a time (Python: `pool.apply`).
figure run_apply_latency(const run_config& cfg) {
  const char* name = "apply_latency";
  auto n = cfg.size.apply_calls;
  actorpool::pool p{cfg.workers};
  warm_up(p, name);
  auto secs = median_of_runs(cfg, name, [&] {
    int64_t sum = 0;
    auto dt = time_it([&] {
      for (size_t i = 0; i < n; ++i)
        sum += p.apply(twice, static_cast<int64_t>(i));
    });
    check(sum == expected_sum(n), name, "sum");
    return dt;
  });
  auto latency_us = secs * 1e6 / static_cast<double>(n);
  return make_figure(name, impl_name, cfg.workers, n, secs, latency_us);
}

/// One `apply_async` per task, then `get()` on each.
figure run_apply_async(const run_config& cfg) {
  const char* name = "apply_async_50k";
  auto n = cfg.size.apply_async_calls;
  actorpool::pool p{cfg.workers};
  warm_up(p, name);
  auto secs = median_of_runs(cfg, name, [&] {
    int64_t sum = 0;
    auto dt = time_it([&] {
      std::vector<actorpool::async_result<int64_t>> rs;
      rs.reserve(n);
      for (size_t i = 0; i < n; ++i)
        rs.push_back(p.apply_async(twice, static_cast<int64_t>(i)));
      for (auto& r : rs)
        sum += r.get();
    });
    check(sum == expected_sum(n), name, "sum");
    return dt;
  });
  return make_figure(name, impl_name, cfg.workers, n, secs);
}

/// `imap_unordered` with the default chunksize of 1, all results consumed.
figure run_imap_unordered(const run_config& cfg) {
  const char* name = "imap_unordered_200k";
  auto xs = iota_input(cfg.size.imap_items);
  actorpool::pool p{cfg.workers};
  warm_up(p, name);
  auto secs = median_of_runs(cfg, name, [&] {
    int64_t sum = 0;
    size_t count = 0;
    auto dt = time_it([&] {
      for (auto y : p.imap_unordered(twice, xs)) {
        sum += y;
        ++count;
      }
    });
    check(count == xs.size(), name, "count");
    check(sum == expected_sum(xs.size()), name, "sum");
    return dt;
  });
  return make_figure(name, impl_name, cfg.workers, xs.size(), secs);
}

/// `map` with the automatic chunksize.
figure run_map(const run_config& cfg) {
  const char* name = "map_200k";
  auto xs = iota_input(cfg.size.map_items);
  actorpool::pool p{cfg.workers};
  warm_up(p, name);
  auto secs = median_of_runs(cfg, name, [&] {
    std::vector<int64_t> ys;
    auto dt = time_it([&] { ys = p.map(twice, xs); });
    check(in_order(xs, ys), name, "values or order");
    return dt;
  });
  return make_figure(name, impl_name, cfg.workers, xs.size(), secs);
}

/// Large arguments: `apply_async` with a 1 MiB string, then `get()` each.
figure run_payload(const run_config& cfg) {
  const char* name = "payload_1mib";
  auto n = cfg.size.payload_calls;
  const std::string data(cfg.size.payload_bytes, 'x');
  actorpool::pool p{cfg.workers};
  warm_up(p, name);
  auto secs = median_of_runs(cfg, name, [&] {
    size_t right = 0;
    auto dt = time_it([&] {
      std::vector<actorpool::async_result<uint64_t>> rs;
      for (size_t i = 0; i < n; ++i)
        rs.push_back(p.apply_async(payload_size, data));
      for (auto& r : rs)
        right += r.get() == data.size() ? 1 : 0;
    });
    check(right == n, name, "payload sizes");
    return dt;
  });
  return make_figure(name, impl_name, cfg.workers, n, secs);
}

/// Construction of a pool of `n` workers; the constructor returns once all
/// of them are ready. Shutting the pool down is not timed.
figure run_startup(const run_config& cfg, long n, const char* name) {
  // Start the actor system behind every pool before timing: it is a
  // once-per-program cost (Python's counterpart is interpreter startup).
  actorpool::default_system();
  auto secs = median_of_runs(cfg, name, [&] {
    std::optional<actorpool::pool> p;
    auto dt = time_it([&] { p.emplace(n); });
    check(p->stats().pids.size() == static_cast<size_t>(n), name, "workers");
    warm_up(*p, name);
    return dt; // ~pool (close and join) runs here, untimed
  });
  auto tasks = static_cast<size_t>(n);
  return make_figure(name, impl_name, n, tasks, secs, secs * 1e6);
}

figure run_startup_2(const run_config& cfg) {
  return run_startup(cfg, 2, "startup_2");
}

figure run_startup_8(const run_config& cfg) {
  return run_startup(cfg, 8, "startup_8");
}

/// A users' report: `apply_async` of these sleeps (ms) to 4 workers, then
/// `close()` and `join()`. Python's pool takes 4 s (its FIFO schedule: each
/// task goes to the first free worker).
const std::vector<int64_t> mix_sleeps_ms{3000, 3000, 1000, 0, 3000, 3000, 0, 0};

/// The sleeps of `long_short_mix` are divided by this with `--quick`.
constexpr int64_t quick_mix_divisor = 10;

/// One run: a fresh pool (its constructor returns once every worker is
/// ready), timed from the first call until `join()` returns.
double mix_once(const run_config& cfg, const char* name) {
  auto divisor = cfg.size.apply_calls < 2000 ? quick_mix_divisor : 1;
  actorpool::pool p{4};
  std::vector<actorpool::async_result<int64_t>> rs;
  auto dt = time_it([&] {
    for (auto ms : mix_sleeps_ms)
      rs.push_back(p.apply_async(sleep_ms, ms / divisor));
    p.close();
    p.join();
  });
  for (size_t i = 0; i < rs.size(); ++i)
    check(rs[i].get() == mix_sleeps_ms[i] / divisor, name, "sleep results");
  return dt;
}

/// Long and instant tasks mixed: how long until all are done.
figure run_long_short_mix(const run_config& cfg) {
  const char* name = "long_short_mix";
  auto secs = median_of_runs(cfg, name, [&] { return mix_once(cfg, name); });
  return make_figure(name, impl_name, 4, mix_sleeps_ms.size(), secs);
}

} // namespace

const std::vector<workload>& all_workloads() {
  static const std::vector<workload> result{
    {"apply_latency", run_apply_latency},
    {"apply_async_50k", run_apply_async},
    {"imap_unordered_200k", run_imap_unordered},
    {"map_200k", run_map},
    {"payload_1mib", run_payload},
    {"long_short_mix", run_long_short_mix},
    {"startup_2", run_startup_2},
    {"startup_8", run_startup_8},
  };
  return result;
}

} // namespace bench
