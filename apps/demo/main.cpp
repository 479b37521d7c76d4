// actorpool-demo: what it shows and its options are in `help_text` below
// (printed by --help).

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <numeric>
#include <stdexcept>
#include <thread>
#include <vector>

#include <caf/scoped_actor.hpp>

#include <actorpool/all.hpp>

#include "common/help.hpp"

namespace {

using clock_type = std::chrono::steady_clock;

long square(long x) {
  return x * x;
}

long nap(long ms) {
  std::this_thread::sleep_for(std::chrono::milliseconds{ms});
  return ms;
}

/// Naps 1 ms (waking early when cancelled); says whether `x` is 2024.
bool is_2024(long x) {
  actorpool::this_task::sleep_for(std::chrono::milliseconds{1});
  return x == 2024;
}

/// Runs far past any sensible time limit.
long stuck(long) {
  std::this_thread::sleep_for(std::chrono::seconds{30});
  return 0;
}

/// A little work, then the input.
long busy(long x) {
  std::this_thread::sleep_for(std::chrono::microseconds{200});
  return x;
}

double checked_sqrt(double x) {
  if (x < 0)
    throw std::invalid_argument("negative input " + std::to_string(x));
  return x >= 0 ? __builtin_sqrt(x) : 0;
}

double seconds_since(clock_type::time_point t0) {
  return std::chrono::duration<double>(clock_type::now() - t0).count();
}

void section(int n, const char* title) {
  std::printf("\n== %d. %s\n", n, title);
}

void show_start(long workers, actorpool::pool*& out,
                std::unique_ptr<actorpool::pool>& holder) {
  section(1, "A pool of worker processes");
  auto t0 = clock_type::now();
  holder = std::make_unique<actorpool::pool>(workers);
  out = holder.get();
  std::printf("   %ld workers ready in %.1f ms; this process is %d, workers:",
              workers, seconds_since(t0) * 1000, static_cast<int>(getpid()));
  for (auto pid : out->stats().pids)
    std::printf(" %d", pid);
  std::printf("\n");
}

void show_apply(actorpool::pool& p, long workers) {
  section(2, "apply waits for each result; apply_async overlaps");
  auto t0 = clock_type::now();
  for (long i = 0; i < workers; ++i)
    p.apply(nap, 300L);
  auto serial = seconds_since(t0);
  t0 = clock_type::now();
  std::vector<actorpool::async_result<long>> rs;
  for (long i = 0; i < workers; ++i)
    rs.push_back(p.apply_async(nap, 300L));
  for (auto& r : rs)
    r.get();
  std::printf("   %ld naps of 0.3 s: apply %.2f s, apply_async %.2f s\n",
              workers, serial, seconds_since(t0));
}

void show_map(actorpool::pool& p) {
  section(3, "map keeps input order");
  std::vector<long> xs(10);
  std::iota(xs.begin(), xs.end(), 0);
  std::printf("   map(square, [0..9]) = [");
  auto ys = p.map(square, xs);
  for (size_t i = 0; i < ys.size(); ++i)
    std::printf(i == 0 ? "%ld" : ", %ld", ys[i]);
  std::printf("]\n");
}

void show_imap_unordered(actorpool::pool& p) {
  section(4, "imap_unordered yields results as they complete");
  std::vector<long> naps{400, 100, 300, 50, 200};
  std::printf("   naps submitted: 400 100 300 50 200 ms\n   completed:     ");
  for (auto ms : p.imap_unordered(nap, naps))
    std::printf(" %ld", ms);
  std::printf(" ms\n");
}

void show_errors(actorpool::pool& p) {
  section(5, "A task's exception reaches the caller with its type");
  try {
    p.apply(checked_sqrt, -2.0);
  } catch (const std::invalid_argument& e) {
    auto& info = dynamic_cast<const actorpool::remote_failure&>(e);
    std::printf("   caught %s(\"%s\") thrown in worker %d\n",
                info.type_name().c_str(), e.what(), info.pid());
  }
  std::printf("   the pool keeps working: checked_sqrt(2) = %.4f\n",
              p.apply(checked_sqrt, 2.0));
}

void show_many(actorpool::pool& p, long calls) {
  section(6, "Many small calls are batched per worker");
  auto t0 = clock_type::now();
  std::vector<actorpool::async_result<long>> rs;
  rs.reserve(static_cast<size_t>(calls));
  for (long i = 0; i < calls; ++i)
    rs.push_back(p.apply_async(square, i));
  long total = 0;
  for (auto& r : rs)
    total += r.get() % 7;
  auto s = seconds_since(t0);
  std::printf("   %ld apply_async + get: %.3f s (%.0f calls/s), checksum %ld\n",
              calls, s, static_cast<double>(calls) / s, total);
}

void show_actor(actorpool::pool& p) {
  section(7, "The pool is also a typed CAF actor");
  caf::scoped_actor self{p.system()};
  self
    ->request(p.actor(), std::chrono::seconds{10},
              actorpool::make_call(square, 12L))
    .receive(
      [](const actorpool::task_reply& r) {
        std::printf("   an actor requested square(12) and got %ld\n",
                    r.as<long>());
      },
      [](caf::error& err) {
        std::printf("   request failed: %s\n", actorpool::render(err).c_str());
      });
}

void show_find_first(actorpool::pool& p) {
  section(8, "Stop the pool at the first match");
  auto r = p.find_first(is_2024, actorpool::irange(0L, 1'000'000L),
                        [](bool hit) { return hit; });
  std::printf("   found input %zu of a million: %llu ran, %llu were stopped "
              "running, %llu never started; stop took %.2f ms\n",
              r.index(), static_cast<unsigned long long>(r.completed()),
              static_cast<unsigned long long>(r.cancelled()),
              static_cast<unsigned long long>(r.never_started()),
              std::chrono::duration<double, std::milli>(r.stop_latency())
                .count());
}

void show_timeout(actorpool::pool& p) {
  section(9, "A task over its time limit loses only its own worker");
  auto before = p.stats().pids;
  auto r = p.apply_async(actorpool::call_options{}.timeout(
                           std::chrono::milliseconds{200}),
                         stuck, 0L);
  auto ys = p.map(square, std::vector<long>{1, 2, 3});
  try {
    r.get();
  } catch (const actorpool::timeout_error& e) {
    std::printf("   stuck(0): %s\n", e.what());
  }
  auto after = p.stats().pids;
  size_t kept = 0;
  for (auto pid : after)
    for (auto old : before)
      kept += pid == old ? 1 : 0;
  std::printf("   meanwhile map(square, [1, 2, 3]) = [%ld, %ld, %ld]; %zu of "
              "%zu workers kept\n",
              ys[0], ys[1], ys[2], kept, before.size());
}

void show_kill(actorpool::pool& p) {
  section(10, "A worker killed mid-map loses no task");
  std::vector<long> xs(2000);
  std::iota(xs.begin(), xs.end(), 0);
  auto r = p.map_async(busy, xs, 20);
  std::this_thread::sleep_for(std::chrono::milliseconds{50});
  auto victim = p.stats().pids.front();
  kill(victim, SIGKILL);
  auto ys = r.get();
  std::printf("   SIGKILLed worker %d: all %zu results %s, %llu worker "
              "replaced\n",
              victim, ys.size(), ys == xs ? "correct, in order" : "WRONG",
              static_cast<unsigned long long>(p.stats().workers_died));
}

} // namespace

ACTORPOOL_TASK(is_2024)
ACTORPOOL_TASK(stuck)
ACTORPOOL_TASK(busy)
ACTORPOOL_TASK(square)
ACTORPOOL_TASK(nap)
ACTORPOOL_TASK(checked_sqrt)

constexpr const char* help_text
  = "usage: actorpool-demo [--workers N] [--calls N]\n"
    "\n"
    "A tour of libactorpool: the patterns of Python's multiprocessing.Pool, "
    "run\n"
    "on worker processes that host CAF actors and receive CAF-serialized\n"
    "messages over socketpairs.\n";

int main(int argc, char** argv) {
  actorpool_apps::answer_help(argc, argv, help_text);
  long workers = 3;
  long calls = 50000;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--workers") == 0)
      workers = std::atol(argv[i + 1]);
    else if (std::strcmp(argv[i], "--calls") == 0)
      calls = std::atol(argv[i + 1]);
  }
  std::printf("libactorpool demo: Python's multiprocessing as CAF actors\n");
  actorpool::pool* p = nullptr;
  std::unique_ptr<actorpool::pool> holder;
  show_start(workers, p, holder);
  show_apply(*p, workers);
  show_map(*p);
  show_imap_unordered(*p);
  show_errors(*p);
  show_many(*p, calls);
  show_actor(*p);
  show_find_first(*p);
  show_timeout(*p);
  show_kill(*p);
  section(11, "close() and join()");
  p->close();
  p->join();
  std::printf("   every worker exited and was reaped\n");
  return 0;
}
