// async_result::cancel and per-task timeouts over real worker processes:
// queued calls are dropped, running ones stop cooperatively or lose their
// worker after the grace period; a task over its timeout fails and only
// its worker is replaced.

#include "actorpool/async_result.hpp"

#include <chrono>
#include <vector>

#include <gtest/gtest.h>

#include "actorpool/event.hpp"
#include "actorpool/pool.hpp"
#include "actorpool/this_task.hpp"
#include "support/leak_check.hpp"
#include "support/process_helpers.hpp"
#include "support/test_tasks.hpp"

using namespace actorpool;
using namespace actorpool::test;
using namespace std::chrono_literals;

namespace {

/// Tells the parent it runs, then waits until cancelled; returns how many
/// times it looked.
int wait_until_cancelled(event started) {
  started.set();
  int looks = 0;
  while (this_task::sleep_for(10s))
    ++looks;
  return looks;
}
ACTORPOOL_TASK(wait_until_cancelled)

/// Tells the parent it runs, then spins without ever looking at its token.
int spin(event started, int seconds) {
  started.set();
  auto end = std::chrono::steady_clock::now() + std::chrono::seconds{seconds};
  while (std::chrono::steady_clock::now() < end)
    ; // deliberately deaf to cancellation
  return 1;
}
ACTORPOOL_TASK(spin)

/// Throws cancelled_error once cancelled.
int checks_token(event started) {
  started.set();
  for (;;) {
    this_task::check_cancelled();
    this_task::sleep_for(1ms);
  }
}
ACTORPOOL_TASK(checks_token)

class cancel_test : public process_test_p {};

} // namespace

TEST_P(cancel_test, a_queued_call_is_dropped) {
  pool p{workers()};
  std::vector<async_result<int>> blockers;
  std::vector<event> started(static_cast<size_t>(workers()));
  for (auto& e : started)
    blockers.push_back(p.apply_async(wait_until_cancelled, e));
  for (auto& e : started)
    ASSERT_TRUE(e.wait(10s));
  auto queued = p.apply_async(sqr, 7); // every worker is busy
  EXPECT_TRUE(queued.cancel());
  EXPECT_TRUE(queued.ready());
  EXPECT_TRUE(queued.cancelled());
  EXPECT_FALSE(queued.successful());
  EXPECT_THROW(queued.get(), cancelled_error);
  EXPECT_FALSE(queued.cancel()); // finished already
  for (auto& b : blockers)
    EXPECT_TRUE(b.cancel());
  EXPECT_EQ(p.apply(sqr, 8), 64);
  auto st = p.stats();
  EXPECT_EQ(st.workers_killed, 0u);
  EXPECT_GE(st.cancelled, 1u); // the blockers' replies may still be coming
}

TEST_P(cancel_test, a_cooperative_running_task_stops_without_a_kill) {
  pool p{workers()};
  auto pids = p.stats().pids;
  event started;
  auto r = p.apply_async(wait_until_cancelled, started);
  ASSERT_TRUE(started.wait(10s));
  EXPECT_TRUE(r.cancel());
  EXPECT_THROW(r.get(), cancelled_error);
  EXPECT_EQ(p.apply(sqr, 3), 9); // the worker is free again
  EXPECT_EQ(p.stats().workers_killed, 0u);
  EXPECT_EQ(p.stats().pids, pids);
}

TEST_P(cancel_test, a_task_that_checks_its_token_stops) {
  pool p{workers()};
  event started;
  auto r = p.apply_async(checks_token, started);
  ASSERT_TRUE(started.wait(10s));
  r.cancel();
  EXPECT_EQ(p.apply(sqr, 3), 9);
  EXPECT_EQ(p.stats().workers_killed, 0u);
}

TEST_P(cancel_test, a_deaf_task_loses_its_worker_after_the_grace_period) {
  pool p{pool_options{}.processes(workers()).cancel_grace(50ms)};
  auto before = p.stats().pids;
  event started;
  auto r = p.apply_async(spin, started, 30);
  ASSERT_TRUE(started.wait(10s));
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(r.cancel());
  // The pool still serves, and soon with a fresh worker in the dead one's
  // place.
  std::vector<int> xs(20, 4);
  EXPECT_EQ(p.map(sqr, xs), std::vector<int>(20, 16));
  while (p.stats().workers_killed == 0)
    ASSERT_LT(std::chrono::steady_clock::now() - t0, 10s);
  auto after = p.stats().pids;
  EXPECT_EQ(after.size(), before.size());
  EXPECT_NE(after, before);
}

TEST_P(cancel_test, cancelling_a_map_cancels_all_its_chunks) {
  pool p{workers()};
  std::vector<event> started(static_cast<size_t>(workers()));
  std::vector<async_result<int>> blockers;
  for (auto& e : started)
    blockers.push_back(p.apply_async(wait_until_cancelled, e));
  for (auto& e : started)
    ASSERT_TRUE(e.wait(10s));
  auto m = p.map_async(sqr, std::vector<int>(100, 2), 10);
  EXPECT_TRUE(m.cancel());
  EXPECT_THROW(m.get(), cancelled_error);
  for (auto& b : blockers)
    b.cancel();
  EXPECT_EQ(p.stats().workers_killed, 0u);
  EXPECT_EQ(p.apply(sqr, 5), 25);
}

TEST_P(cancel_test, a_timeout_fails_the_task_and_replaces_only_its_worker) {
  pool p{workers()};
  auto before = p.stats().pids;
  event started;
  auto slow = p.apply_async(call_options{}.timeout(100ms), spin, started, 30);
  ASSERT_TRUE(started.wait(10s));
  // Other work goes on meanwhile.
  auto others = p.map_async(sqr, std::vector<int>(50, 3));
  EXPECT_THROW(slow.get(), timeout_error);
  EXPECT_EQ(others.get(), std::vector<int>(50, 9));
  auto st = p.stats();
  EXPECT_EQ(st.timed_out, 1u);
  EXPECT_EQ(st.workers_killed, 1u);
  EXPECT_EQ(st.workers_died, 0u);
  // Exactly one worker was replaced.
  size_t kept = 0;
  for (auto pid : p.stats().pids)
    kept += std::count(before.begin(), before.end(), pid);
  EXPECT_EQ(kept, before.size() - 1);
}

TEST_P(cancel_test, tasks_within_their_timeout_are_unaffected) {
  pool p{pool_options{}.processes(workers()).task_timeout(10s)};
  EXPECT_EQ(p.map(sqr, std::vector<int>{1, 2, 3}), (std::vector<int>{1, 4, 9}));
  EXPECT_EQ(p.apply(call_options{}.timeout(5s), sqr, 4), 16);
  EXPECT_EQ(p.stats().timed_out, 0u);
}

TEST_P(cancel_test, the_pool_timeout_applies_to_every_call) {
  pool p{pool_options{}.processes(workers()).task_timeout(100ms)};
  event started;
  EXPECT_THROW(p.apply(spin, started, 30), timeout_error);
  EXPECT_EQ(p.apply(sqr, 6), 36);
}

TEST(cancel_options, negative_durations_are_rejected) {
  EXPECT_THROW(pool(pool_options{}.processes(1).cancel_grace(-1ms)),
               bad_argument);
  EXPECT_THROW(pool(pool_options{}.processes(1).task_timeout(-1ms)),
               bad_argument);
}

TEST(this_task_in_the_parent, is_never_cancelled) {
  EXPECT_FALSE(this_task::cancelled());
  EXPECT_NO_THROW(this_task::check_cancelled());
  EXPECT_TRUE(this_task::sleep_for(1ms));
}

INSTANTIATE_TEST_SUITE_P(cancellation, cancel_test,
                         ::testing::ValuesIn(worker_counts()), worker_name);
