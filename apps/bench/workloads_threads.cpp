#include "workloads_threads.hpp"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <future>

#include <actorpool/thread_pool.hpp>

#include "bench_tasks.hpp"
#include "runs.hpp"
#include "std_future_pool.hpp"

namespace bench {

namespace {

constexpr const char* ours = "actorpool";
constexpr const char* baseline = "std_future";

constexpr const char* apply_async_name = "thread_apply_async_50k";
constexpr const char* imap_unordered_name = "thread_imap_unordered_200k";
constexpr const char* map_name = "thread_map_200k";

/// The median time of `--repeat` runs of `body(sum)`, which adds up the
/// results of `n` tasks; checks every run's sum.
template <class Body>
double
summing_runs(const run_config& cfg, const char* name, size_t n, Body&& body) {
  return median_of_runs(cfg, name, [&] {
    int64_t sum = 0;
    auto dt = time_it([&] { body(sum); });
    check(sum == expected_sum(n), name, "sum");
    return dt;
  });
}

// -- actorpool::thread_pool ---------------------------------------------------

/// A pool of `--workers` threads that has served one call.
actorpool::thread_pool warm_thread_pool(const run_config& cfg,
                                        const char* name) {
  actorpool::thread_pool tp{cfg.workers};
  check(tp.apply(twice, int64_t{21}) == 42, name, "warm-up call");
  return tp;
}

/// One `apply_async` per task, then `get()` on each.
figure run_apply_async(const run_config& cfg) {
  auto n = cfg.size.apply_async_calls;
  auto tp = warm_thread_pool(cfg, apply_async_name);
  auto secs = summing_runs(cfg, apply_async_name, n, [&](int64_t& sum) {
    std::vector<actorpool::async_result<int64_t>> rs;
    rs.reserve(n);
    for (size_t i = 0; i < n; ++i)
      rs.push_back(tp.apply_async(twice, static_cast<int64_t>(i)));
    for (auto& r : rs)
      sum += r.get();
  });
  return make_figure(apply_async_name, ours, cfg.workers, n, secs);
}

/// `imap_unordered` with the default chunksize of 1.
figure run_imap_unordered(const run_config& cfg) {
  auto xs = iota_input(cfg.size.imap_items);
  auto tp = warm_thread_pool(cfg, imap_unordered_name);
  auto secs = summing_runs(cfg, imap_unordered_name, xs.size(),
                           [&](int64_t& sum) {
                             for (auto y : tp.imap_unordered(twice, xs))
                               sum += y;
                           });
  return make_figure(imap_unordered_name, ours, cfg.workers, xs.size(), secs);
}

/// `map` with the automatic chunksize (about four chunks per thread).
figure run_map(const run_config& cfg) {
  auto xs = iota_input(cfg.size.map_items);
  auto tp = warm_thread_pool(cfg, map_name);
  auto secs = median_of_runs(cfg, map_name, [&] {
    std::vector<int64_t> ys;
    auto dt = time_it([&] { ys = tp.map(twice, xs); });
    check(in_order(xs, ys), map_name, "values or order");
    return dt;
  });
  return make_figure(map_name, ours, cfg.workers, xs.size(), secs);
}

// -- the hand-written baseline ------------------------------------------------
//
// What a typical hand-written pool does for each shape:
// - apply_async: one packaged_task per item, then `get()` on each future;
// - imap_unordered: the same, one packaged_task per item; a future cannot
//   be waited on "whichever is done first", so the results are taken in
//   submission order (the same work as apply_async, at imap's size);
// - map: one packaged_task per chunk, a chunk being ceil(n / (4 * threads))
//   items as thread_pool's (and Python's) default chunksize, each returning
//   a vector of its results; the vectors are joined in order.

/// One packaged_task per item `0..n-1`, then `get()` on each, in order.
void sum_per_item(std_future_pool& p, size_t n, int64_t& sum) {
  std::vector<std::future<int64_t>> fs;
  fs.reserve(n);
  for (size_t i = 0; i < n; ++i)
    fs.push_back(p.submit([x = static_cast<int64_t>(i)] { return twice(x); }));
  for (auto& f : fs)
    sum += f.get();
}

/// A pool of `--workers` threads that has served one task.
figure run_per_item(const run_config& cfg, const char* name, size_t n) {
  std_future_pool p{cfg.workers};
  check(p.submit([] { return twice(21); }).get() == 42, name, "warm-up");
  auto secs = summing_runs(cfg, name, n,
                           [&](int64_t& sum) { sum_per_item(p, n, sum); });
  return make_figure(name, baseline, cfg.workers, n, secs);
}

figure run_apply_async_baseline(const run_config& cfg) {
  return run_per_item(cfg, apply_async_name, cfg.size.apply_async_calls);
}

figure run_imap_unordered_baseline(const run_config& cfg) {
  return run_per_item(cfg, imap_unordered_name, cfg.size.imap_items);
}

/// `twice` over `xs` in chunks of ceil(n / (4 * threads)) items, one
/// packaged_task per chunk; the results in order.
std::vector<int64_t> chunked_map(std_future_pool& p,
                                 const std::vector<int64_t>& xs) {
  auto per = p.size() * 4;
  auto chunk = std::max<size_t>((xs.size() + per - 1) / per, 1);
  std::vector<std::future<std::vector<int64_t>>> fs;
  for (size_t lo = 0; lo < xs.size(); lo += chunk) {
    auto hi = std::min(lo + chunk, xs.size());
    fs.push_back(p.submit([&xs, lo, hi] {
      std::vector<int64_t> ys;
      ys.reserve(hi - lo);
      for (auto i = lo; i < hi; ++i)
        ys.push_back(twice(xs[i]));
      return ys;
    }));
  }
  std::vector<int64_t> result;
  result.reserve(xs.size());
  for (auto& f : fs) {
    auto ys = f.get();
    result.insert(result.end(), ys.begin(), ys.end());
  }
  return result;
}

figure run_map_baseline(const run_config& cfg) {
  auto xs = iota_input(cfg.size.map_items);
  std_future_pool p{cfg.workers};
  check(p.submit([] { return twice(21); }).get() == 42, map_name, "warm-up");
  auto secs = median_of_runs(cfg, map_name, [&] {
    std::vector<int64_t> ys;
    auto dt = time_it([&] { ys = chunked_map(p, xs); });
    check(in_order(xs, ys), map_name, "values or order");
    return dt;
  });
  return make_figure(map_name, baseline, cfg.workers, xs.size(), secs);
}

/// The figure of `workload` by `impl` in `xs`, or null.
const figure* find(const std::vector<figure>& xs, const std::string& workload,
                   const char* impl) {
  for (auto& x : xs)
    if (x.workload == workload && x.impl == impl)
      return &x;
  return nullptr;
}

} // namespace

const std::vector<workload>& thread_workloads() {
  static const std::vector<workload> result{
    {apply_async_name, run_apply_async},
    {apply_async_name, run_apply_async_baseline},
    {imap_unordered_name, run_imap_unordered},
    {imap_unordered_name, run_imap_unordered_baseline},
    {map_name, run_map},
    {map_name, run_map_baseline},
  };
  return result;
}

std::vector<std::string>
std_future_ratio_lines(const std::vector<figure>& figures) {
  std::vector<std::string> lines;
  for (auto& x : figures) {
    auto base = x.impl == ours ? find(figures, x.workload, baseline) : nullptr;
    if (base == nullptr || base->tasks_per_s <= 0)
      continue;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", x.tasks_per_s / base->tasks_per_s);
    lines.push_back("workload=" + x.workload
                    + " ratio_actorpool_over_std_future=" + buf);
  }
  return lines;
}

} // namespace bench
