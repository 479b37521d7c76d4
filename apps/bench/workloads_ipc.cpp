#include "workloads_ipc.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <actorpool/barrier.hpp>
#include <actorpool/lock.hpp>
#include <actorpool/pool.hpp>
#include <actorpool/queue.hpp>
#include <actorpool/task.hpp>

#include "runs.hpp"

namespace bench {

namespace {

constexpr const char* impl_name = "actorpool";

/// How long a party waits for the others before the run counts as failed.
constexpr auto ready_timeout = std::chrono::seconds{30};

using clock_type = std::chrono::steady_clock;

double seconds_since(clock_type::time_point start) {
  return std::chrono::duration<double>(clock_type::now() - start).count();
}

} // namespace

// -- tasks (registered below; they run in the workers) ------------------------

/// `n` uncontended acquire + release pairs; returns their time in seconds.
double lock_round_trips(actorpool::lock l, int64_t n) {
  auto start = clock_type::now();
  for (int64_t i = 0; i < n; ++i) {
    l.acquire();
    l.release();
  }
  return seconds_since(start);
}

/// Puts 0, 1, ..., n - 1 once every party is ready; returns `n`.
int64_t queue_producer(actorpool::queue<int64_t> q, actorpool::barrier ready,
                       int64_t n) {
  ready.wait(ready_timeout);
  for (int64_t i = 0; i < n; ++i)
    q.put(i);
  return n;
}

/// Gets `n` items once every party is ready; returns their sum.
int64_t queue_consumer(actorpool::queue<int64_t> q, actorpool::barrier ready,
                       int64_t n) {
  ready.wait(ready_timeout);
  int64_t sum = 0;
  for (int64_t i = 0; i < n; ++i)
    sum += q.get();
  return sum;
}

namespace {

// -- workloads ----------------------------------------------------------------

figure run_lock_roundtrip(const run_config& cfg) {
  const char* name = "lock_roundtrip";
  auto n = static_cast<int64_t>(cfg.size.apply_calls);
  actorpool::lock l;
  actorpool::pool p{1};
  check(p.apply(lock_round_trips, l, int64_t{1}) >= 0, name, "warm-up");
  auto secs = median_of_runs(cfg, name,
                             [&] { return p.apply(lock_round_trips, l, n); });
  check(l.acquire(false), name, "the lock is free afterwards");
  auto tasks = static_cast<size_t>(n);
  return make_figure(name, impl_name, 1, tasks, secs, secs * 1e6 / n);
}

/// One run: both tasks start, wait until all three parties are ready, and
/// the clock runs until the consumer returns.
double queue_run(actorpool::pool& p, int64_t n, const char* name) {
  actorpool::queue<int64_t> q;
  actorpool::barrier ready{3};
  auto produced = p.apply_async(queue_producer, q, ready, n);
  auto consumed = p.apply_async(queue_consumer, q, ready, n);
  ready.wait(ready_timeout);
  auto start = clock_type::now();
  auto sum = consumed.get();
  auto secs = seconds_since(start);
  check(produced.get() == n, name, "items put");
  check(sum == n * (n - 1) / 2, name, "sum of the items got");
  return secs;
}

figure run_queue_put_get(const run_config& cfg) {
  const char* name = "queue_put_get";
  auto n = static_cast<int64_t>(cfg.size.apply_async_calls / 5);
  // One task per worker at a time: producer and consumer run side by side.
  actorpool::pool p{actorpool::pool_options{}.processes(2).window(1)};
  queue_run(p, 10, name); // warm-up
  auto secs = median_of_runs(cfg, name, [&] { return queue_run(p, n, name); });
  return make_figure(name, impl_name, 2, static_cast<size_t>(n), secs);
}

} // namespace

const std::vector<workload>& ipc_workloads() {
  static const std::vector<workload> result{
    {"lock_roundtrip", run_lock_roundtrip},
    {"queue_put_get", run_queue_put_get},
  };
  return result;
}

} // namespace bench

ACTORPOOL_TASK(bench::lock_round_trips)
ACTORPOOL_TASK(bench::queue_producer)
ACTORPOOL_TASK(bench::queue_consumer)
