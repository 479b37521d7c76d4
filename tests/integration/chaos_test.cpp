// Chaos: long runs while a killer thread SIGKILLs a random worker every 50 ms
// (times the build's time factor). Only workers that have finished a chunk
// are shot: a worker still starting, or busy with its first chunk, is spared,
// so that every life of a place moves the work on (a pool whose workers never
// finish anything gives up, which is another test's subject). Every result must
// be there, correct and exactly once; the pool must serve afterwards; nothing
// may be left behind.

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <random>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "actorpool/pool.hpp"
#include "actorpool/ranges.hpp"
#include "support/process_helpers.hpp"
#include "support/test_tasks.hpp"
#include "support/watchdog.hpp"

using namespace actorpool;
using namespace actorpool::test;
using namespace std::chrono_literals;

namespace {

/// About 20 us of work, then the input itself.
int busy_identity(int x) {
  auto end = std::chrono::steady_clock::now() + 20us;
  while (std::chrono::steady_clock::now() < end)
    ; // work
  return x;
}
ACTORPOOL_TASK(busy_identity)

/// The inputs of a run: fewer in sanitized builds, where each is slower.
const int inputs = 100000 / time_factor();

/// SIGKILLs a random worker of `p` that has finished a chunk every 50 ms
/// (times the build's `time_factor()`) until destroyed.
class killer {
public:
  explicit killer(pool& p) : thread_([this, &p] { run(p); }) {
    // nop
  }

  ~killer() {
    done_ = true;
    thread_.join();
  }

  int kills() const {
    return kills_;
  }

private:
  void run(pool& p) {
    std::mt19937 rng{12345};
    while (!done_) {
      // The schedule of the chaos, slower where everything is (sanitized
      // builds start a worker several times slower).
      std::this_thread::sleep_for(50ms * time_factor());
      auto pids = productive_workers(p);
      if (pids.empty() || done_)
        continue;
      auto pid = pids[rng() % pids.size()];
      if (kill(pid, SIGKILL) == 0)
        ++kills_;
    }
  }

  /// The workers of `p` that finished a chunk in their life.
  static std::vector<int32_t> productive_workers(pool& p) {
    std::vector<int32_t> result;
    for (auto& w : p.stats().workers)
      if (w.chunks > 0)
        result.push_back(w.pid);
    return result;
  }

  std::atomic<bool> done_{false};
  std::atomic<int> kills_{0};
  std::thread thread_;
};

pool_options chaos_options(int workers) {
  // A chunk may be hit several times in a row; the default budget of 2
  // retries is for rarer deaths.
  return pool_options{}.processes(workers).max_retries(50);
}

class chaos_test : public process_test_p {};

} // namespace

TEST_P(chaos_test, map_loses_and_duplicates_nothing) {
  pool p{chaos_options(workers())};
  std::vector<int> xs(inputs);
  for (int i = 0; i < inputs; ++i)
    xs[static_cast<size_t>(i)] = i;
  std::vector<int> ys;
  int kills = 0;
  {
    killer k{p};
    ys = p.map(busy_identity, xs, 50);
    kills = k.kills();
  }
  EXPECT_EQ(ys, xs);
  EXPECT_GT(kills, 0);
  EXPECT_GT(p.stats().workers_died, 0u);
  EXPECT_EQ(p.apply(sqr, 12), 144);
}

TEST_P(chaos_test, imap_unordered_loses_and_duplicates_nothing) {
  pool p{chaos_options(workers())};
  std::vector<int> ys;
  ys.reserve(inputs);
  {
    killer k{p};
    for (auto y : p.imap_unordered(busy_identity, irange(0, inputs), 50))
      ys.push_back(y);
  }
  std::sort(ys.begin(), ys.end());
  ASSERT_EQ(ys.size(), static_cast<size_t>(inputs));
  for (int i = 0; i < inputs; ++i)
    ASSERT_EQ(ys[static_cast<size_t>(i)], i);
  EXPECT_EQ(p.apply(sqr, 12), 144);
}

TEST_P(chaos_test, find_first_finds_the_match) {
  pool p{chaos_options(workers())};
  const int target = inputs - 1000;
  find_result<int> r;
  {
    killer k{p};
    r = p.find_first(
      busy_identity, irange(0, inputs), [target](int y) { return y == target; },
      find_options{}.chunksize(50));
  }
  ASSERT_TRUE(r.found());
  EXPECT_EQ(r.index(), static_cast<size_t>(target));
  EXPECT_EQ(r.value(), target);
  EXPECT_EQ(p.apply(sqr, 12), 144);
}

INSTANTIATE_TEST_SUITE_P(chaos, chaos_test,
                         ::testing::ValuesIn(worker_counts()), worker_name);
