// Spare workers (pool_options::spare_workers) with real processes: a spare
// takes the place of a worker that is killed or retires, a new spare starts,
// no task is lost or charged, the spare gets no task, and close, terminate
// and destruction leave no process behind (the fixture checks).

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "actorpool/exceptions.hpp"
#include "actorpool/pool.hpp"
#include "actorpool/ranges.hpp"
#include "actorpool/thread_pool.hpp"
#include "support/leak_check.hpp"
#include "support/process_helpers.hpp"
#include "support/test_tasks.hpp"

using namespace actorpool;
using namespace actorpool::test;
using namespace std::chrono_literals;

namespace {

/// Input 13 kills its worker; the others are returned.
int spare_poison_13(int x) {
  if (x == 13)
    raise(SIGKILL);
  return x;
}
ACTORPOOL_TASK(spare_poison_13)

bool contains(const std::vector<int32_t>& xs, int32_t x) {
  return std::find(xs.begin(), xs.end(), x) != xs.end();
}

/// Polls `p.stats()` until `done` holds; fails the test after 10 s (a hang
/// guard, not a timing assertion).
template <class Pool, class Pred>
pool_stats await_stats(Pool& p, Pred done) {
  auto t0 = std::chrono::steady_clock::now();
  for (;;) {
    auto st = p.stats();
    if (done(st))
      return st;
    if (std::chrono::steady_clock::now() - t0 > 10s) {
      ADD_FAILURE() << "condition not reached within 10 s:\n" << to_string(st);
      return st;
    }
  }
}

/// Waits until every worker of `p` and `spares` spares are ready.
pool_stats await_full(pool& p, size_t spares) {
  return await_stats(p, [&](const pool_stats& st) {
    return st.ready_pids.size() == p.size() && st.spare_pids.size() == spares;
  });
}

pool_options with_spares(int workers, long spares) {
  return pool_options{}.processes(workers).spare_workers(spares);
}

class spare_workers_test : public process_test_p {};

class spare_workers_lifetime : public process_test {};

} // namespace

TEST_P(spare_workers_test, the_spare_takes_a_killed_workers_place) {
  pool p{with_spares(workers(), 1)};
  auto before = await_full(p, 1);
  auto spare = before.spare_pids[0];
  auto victim = before.pids[0];
  EXPECT_FALSE(contains(before.pids, spare));
  ASSERT_EQ(kill(victim, SIGKILL), 0);
  auto after = await_stats(p, [&](const pool_stats& st) {
    return st.workers_died == 1 && st.ready_pids.size() == p.size();
  });
  EXPECT_TRUE(contains(after.ready_pids, spare));
  EXPECT_FALSE(contains(after.pids, victim));
  // A new spare starts in the background.
  auto later = await_full(p, 1);
  EXPECT_NE(later.spare_pids[0], spare);
  EXPECT_NE(later.spare_pids[0], victim);
  EXPECT_FALSE(contains(later.pids, later.spare_pids[0]));
  EXPECT_EQ(p.map(sqr, iota_vec(20)), squares(20));
}

TEST_P(spare_workers_test, the_spare_runs_no_task) {
  pool p{with_spares(workers(), 1)};
  auto st = await_full(p, 1);
  auto pids = p.map(worker_pid_wait, std::vector<double>(40, 0.002));
  std::set<int> used(pids.begin(), pids.end());
  EXPECT_EQ(used.count(st.spare_pids[0]), 0u);
  EXPECT_EQ(p.stats().spare_pids, st.spare_pids);
}

TEST_P(spare_workers_test, deaths_lose_and_charge_nothing) {
  pool p{with_spares(workers(), 1)};
  std::vector<int> got;
  int failures = 0;
  auto results = p.imap(spare_poison_13, irange(0, 200));
  for (;;) {
    try {
      auto y = results.next();
      if (!y)
        break;
      got.push_back(*y);
    } catch (const worker_died_error& e) {
      ++failures;
      std::string what = e.what();
      EXPECT_NE(what.find("3 attempts"), std::string::npos) << what;
    }
  }
  EXPECT_EQ(failures, 1);
  std::vector<int> expected;
  for (int i = 0; i < 200; ++i)
    if (i != 13)
      expected.push_back(i);
  EXPECT_EQ(got, expected); // in order, each once
  await_full(p, 1);
}

TEST_P(spare_workers_test, a_killed_spare_is_restarted) {
  pool p{with_spares(workers(), 1)};
  auto before = await_full(p, 1);
  ASSERT_EQ(kill(before.spare_pids[0], SIGKILL), 0);
  auto after = await_stats(p, [&](const pool_stats& st) {
    return st.spare_pids.size() == 1
           && st.spare_pids[0] != before.spare_pids[0];
  });
  EXPECT_EQ(after.pids, before.pids);
  EXPECT_EQ(p.map(sqr, iota_vec(10)), squares(10));
}

TEST_F(spare_workers_lifetime, retirement_hands_the_place_to_the_spare) {
  auto opts = with_spares(1, 1).max_tasks_per_child(1);
  pool p{opts};
  auto st = await_full(p, 1);
  auto first = st.pids[0];
  auto spare = st.spare_pids[0];
  // The first call's worker retires when it gets the call; the spare, ready
  // by then, takes its place and runs the second.
  EXPECT_EQ(p.apply(worker_pid), first);
  EXPECT_EQ(p.apply(worker_pid), spare);
}

TEST_P(spare_workers_test, close_and_join_stop_the_spares) {
  pool p{with_spares(workers(), 2)};
  await_full(p, 2);
  std::vector<async_result<int>> rs;
  for (int i = 0; i < 8; ++i)
    rs.push_back(p.apply_async(sqr_wait, i, 0.01));
  p.close();
  p.join();
  for (int i = 0; i < 8; ++i)
    EXPECT_EQ(rs[static_cast<size_t>(i)].get(), i * i);
  EXPECT_TRUE(p.stats().spare_pids.empty());
}

TEST_P(spare_workers_test, terminate_and_join_stop_the_spares) {
  pool p{with_spares(workers(), 2)};
  await_full(p, 2);
  p.terminate();
  p.join();
}

TEST_P(spare_workers_test, destruction_stops_starting_spares) {
  pool p{with_spares(workers(), 2)}; // spares may still be starting
  EXPECT_EQ(p.apply(sqr, 3), 9);
}

INSTANTIATE_TEST_SUITE_P(spares, spare_workers_test,
                         ::testing::ValuesIn(worker_counts()), worker_name);

TEST_F(spare_workers_lifetime, rejects_a_negative_count) {
  EXPECT_THROW(pool{with_spares(1, -1)}, bad_argument);
  EXPECT_THROW(thread_pool{with_spares(1, -1)}, bad_argument);
}

TEST_F(spare_workers_lifetime, no_spares_by_default) {
  pool p{pool_options{}.processes(2)};
  EXPECT_EQ(p.apply(sqr, 2), 4);
  EXPECT_TRUE(p.stats().spare_pids.empty());
  EXPECT_EQ(p.stats().workers_started, 2u);
}

TEST_F(spare_workers_lifetime, thread_pools_keep_spares_too) {
  thread_pool p{with_spares(2, 1)};
  auto st = await_stats(p, [](const pool_stats& s) {
    return s.ready_pids.size() == 2 && s.spare_pids.size() == 1;
  });
  EXPECT_FALSE(contains(st.pids, st.spare_pids[0]));
  EXPECT_EQ(p.map(sqr, iota_vec(10)), squares(10));
  p.close();
  p.join();
}
