// Port of CPython's _TestBarrier (its cross-process parts) over real
// processes and pool workers, plus a dead waiter that breaks the barrier.

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <vector>

#include <gtest/gtest.h>

#include "actorpool/array.hpp"
#include "actorpool/barrier.hpp"
#include "actorpool/exceptions.hpp"
#include "actorpool/lock.hpp"
#include "actorpool/lock_guard.hpp"
#include "actorpool/pipe.hpp"
#include "actorpool/process.hpp"
#include "actorpool/semaphore.hpp"
#include "actorpool/value.hpp"
#include "support/process_helpers.hpp"

using namespace actorpool;
using namespace actorpool::test;
using namespace std::chrono_literals;
using std::chrono::milliseconds;

namespace {

// -- barrier tasks ------------------------------------------------------------

void multipass(barrier b, value<int> r0, value<int> r1, int passes) {
  int m = b.parties();
  for (int i = 0; i < passes; ++i) {
    r0.fetch_add(1);
    check(r1.get() == i * m, "r1 out of step");
    b.wait();
    r1.fetch_add(1);
    check(r0.get() == (i + 1) * m, "r0 out of step");
    b.wait();
  }
  check(b.n_waiting() == 0, "n_waiting after the last pass");
  check(!b.broken(), "broken after the passes");
}

void record_index(barrier b, array<int> indexes, int i) {
  indexes.set(static_cast<size_t>(i), b.wait());
}

// Python's AppendTrue: the action appends to a list shared by every party.
// An action takes no arguments and runs in the parent, so it finds the list
// (a value the test makes and hands to the parties) through this pointer.
value<int>* action_results = nullptr;

void append_true() {
  action_results->fetch_add(1);
}

// Python's _test_action_f: the action ran, and finished, before any party
// was released.
void action_f(barrier b, value<int> results) {
  b.wait();
  check(results.get() == 1, "released before the action finished");
}

void wait_once(barrier b) {
  b.wait();
}

// results: [0] passed the second wait, [1] broken, [2] passed after reset
void abort_f(barrier b, array<int> results) {
  try {
    if (b.wait() == b.parties() / 2) {
      b.abort();
      return;
    }
    b.wait();
    results.fetch_add(0, 1);
  } catch (const broken_barrier_error&) {
    results.fetch_add(1, 1);
  }
}

void reset_f(barrier b, array<int> results) {
  int n = b.parties();
  if (b.wait() == n / 2) {
    while (b.n_waiting() < n - 1) {
      // polls the barrier itself
    }
    b.reset();
  } else {
    try {
      b.wait();
      results.fetch_add(0, 1);
    } catch (const broken_barrier_error&) {
      results.fetch_add(1, 1);
    }
  }
  b.wait();
  results.fetch_add(2, 1);
}

void abort_and_reset_f(barrier b, barrier b2, array<int> results) {
  abort_f(b, results);
  if (b2.wait() == b.parties() / 2)
    b.reset();
  b2.wait();
  b.wait();
  results.fetch_add(2, 1);
}

// The party with index parties/2 is late: the others' waits time out. It
// waits for one of them to report before arriving itself.
void timeout_f(barrier b, array<int> results, semaphore late, int64_t ms) {
  int i = b.wait(patience);
  if (i == b.parties() / 2)
    late.acquire();
  try {
    if (ms < 0)
      b.wait();
    else
      b.wait(milliseconds{ms});
  } catch (const broken_barrier_error&) {
    results.fetch_add(1, 1);
    late.release();
  }
}

// Python's _test_thousand_f.
void thousand_f(barrier b, int passes, connection<int> conn, lock l) {
  for (int i = 0; i < passes; ++i) {
    b.wait();
    lock_guard<lock> guard{l};
    conn.send(i);
  }
}

void lockstep(barrier b, value<int> sum, int passes) {
  int n = b.parties();
  for (int i = 0; i < passes; ++i) {
    b.wait();
    int before = sum.fetch_add(1);
    check(before >= i * n && before < (i + 1) * n, "out of lockstep");
  }
}

} // namespace

ACTORPOOL_TASK(multipass)
ACTORPOOL_TASK(record_index)
ACTORPOOL_TASK(append_true)
ACTORPOOL_TASK(action_f)
ACTORPOOL_TASK(thousand_f)
ACTORPOOL_TASK(wait_once)
ACTORPOOL_TASK(abort_f)
ACTORPOOL_TASK(reset_f)
ACTORPOOL_TASK(abort_and_reset_f)
ACTORPOOL_TASK(timeout_f)
ACTORPOOL_TASK(lockstep)

namespace {

class sync_barrier_test : public process_test_p {};

} // namespace

// -- _TestBarrier -------------------------------------------------------------

namespace {

// Runs `f(args...)` in `n - 1` processes and in this thread (Python's
// run_threads with a Bunch of N-1 processes); returns how many processes
// failed.
template <class F, class... Ts>
int run_parties(int n, F f, Ts... xs) {
  std::vector<process> ps;
  for (int i = 0; i < n - 1; ++i)
    ps.emplace_back(f, xs...);
  for (auto& p : ps)
    p.start();
  f(xs...);
  return join_all(ps);
}

} // namespace

TEST_P(sync_barrier_test, barrier_passes_in_lockstep) {
  int n = workers() + 1;
  for (int passes : {1, 10}) {
    barrier b{n, patience};
    value<int> r0{0};
    value<int> r1{0};
    EXPECT_EQ(run_parties(n, multipass, b, r0, r1, passes), 0);
    EXPECT_EQ(r1.get(), n * passes);
  }
}

TEST_P(sync_barrier_test, barrier_wait_returns_distinct_indexes) {
  int n = workers() + 1;
  barrier b{n, patience};
  array<int> indexes(static_cast<size_t>(n));
  std::vector<process> ps;
  for (int i = 1; i < n; ++i)
    ps.emplace_back(record_index, b, indexes, i);
  for (auto& p : ps)
    p.start();
  record_index(b, indexes, 0);
  for (auto& p : ps)
    p.join();
  auto xs = indexes.to_vector();
  std::sort(xs.begin(), xs.end());
  for (int i = 0; i < n; ++i)
    EXPECT_EQ(xs[static_cast<size_t>(i)], i);
}

// Python's test_action: every party sees the action's result when its wait
// returns; the action ran once. Then once more per generation.
TEST_P(sync_barrier_test, barrier_action) {
  int n = workers() + 1;
  value<int> results{0};
  action_results = &results;
  barrier b{n, append_true, patience};
  EXPECT_EQ(run_parties(n, action_f, b, results), 0);
  EXPECT_EQ(results.get(), 1);
  results.set(0);
  EXPECT_EQ(run_parties(n, action_f, b, results), 0);
  EXPECT_EQ(results.get(), 1);
  action_results = nullptr;
}

TEST_P(sync_barrier_test, barrier_abort) {
  int n = workers() + 1;
  barrier b{n, patience};
  array<int> results(3);
  EXPECT_EQ(run_parties(n, abort_f, b, results), 0);
  EXPECT_EQ(results.get(0), 0);
  EXPECT_EQ(results.get(1), n - 1);
  EXPECT_TRUE(b.broken());
}

TEST_P(sync_barrier_test, barrier_reset) {
  int n = workers() + 1;
  barrier b{n, patience};
  array<int> results(3);
  EXPECT_EQ(run_parties(n, reset_f, b, results), 0);
  EXPECT_EQ(results.get(0), 0);
  EXPECT_EQ(results.get(1), n - 1);
  EXPECT_EQ(results.get(2), n);
}

TEST_P(sync_barrier_test, barrier_abort_and_reset) {
  int n = workers() + 1;
  barrier b{n, patience};
  barrier b2{n, patience};
  array<int> results(3);
  EXPECT_EQ(run_parties(n, abort_and_reset_f, b, b2, results), 0);
  EXPECT_EQ(results.get(0), 0);
  EXPECT_EQ(results.get(1), n - 1);
  EXPECT_EQ(results.get(2), n);
}

TEST_P(sync_barrier_test, barrier_timeout) {
  int n = workers() + 1;
  barrier b{n, patience};
  array<int> results(3);
  semaphore late{0};
  EXPECT_EQ(run_parties(n, timeout_f, b, results, late, int64_t{200}), 0);
  EXPECT_EQ(results.get(1), n);
  EXPECT_TRUE(b.broken());
}

TEST_P(sync_barrier_test, barrier_default_timeout) {
  int n = workers() + 1;
  barrier b{n, 200ms};
  array<int> results(3);
  semaphore late{0};
  EXPECT_EQ(run_parties(n, timeout_f, b, results, late, int64_t{-1}), 0);
  EXPECT_EQ(results.get(1), n);
}

TEST_P(sync_barrier_test, barrier_single_party) {
  barrier b{1};
  EXPECT_EQ(b.wait(), 0);
  EXPECT_EQ(b.wait(), 0);
}

TEST_P(sync_barrier_test, barrier_many_passes) {
  int n = workers() + 1;
  barrier b{n, patience};
  value<int> sum{0};
  EXPECT_EQ(run_parties(n, lockstep, b, sum, 100), 0);
  EXPECT_EQ(sum.get(), 100 * n);
}

// Python's test_thousand: the parties are processes that pass the barrier
// 1000 times, each sending the pass number under a lock down one pipe; the
// parent reads every pass's numbers before the next pass's.
TEST_P(sync_barrier_test, barrier_thousand) {
  constexpr int passes = 1000;
  int n = workers() + 1;
  barrier b{n, patience};
  lock l;
  auto [conn, child_conn] = pipe<int>(false);
  std::vector<process> ps;
  for (int j = 0; j < n; ++j)
    ps.emplace_back(thousand_f, b, passes, child_conn, l);
  for (auto& p : ps)
    p.start();
  for (int i = 0; i < passes; ++i)
    for (int j = 0; j < n; ++j)
      ASSERT_EQ(conn.recv(), i);
  EXPECT_EQ(join_all(ps), 0);
}

TEST_P(sync_barrier_test, a_dead_waiter_breaks_the_barrier) {
  int n = workers() + 1;
  barrier b{n + 2}; // the parent's arrival does not complete it
  std::vector<process> ps;
  for (int i = 0; i < n; ++i)
    ps.emplace_back(wait_once, b);
  for (auto& p : ps)
    p.start();
  while (b.n_waiting() < n) {
    // polls the barrier itself
  }
  ps[0].kill();
  EXPECT_THROW(b.wait(patience), broken_barrier_error);
  EXPECT_TRUE(b.broken());
  for (auto& p : ps)
    p.join();
  EXPECT_EQ(ps[0].exitcode(), -SIGKILL);
  for (size_t i = 1; i < ps.size(); ++i)
    EXPECT_EQ(ps[i].exitcode(), 1); // wait_once threw broken_barrier_error
}

INSTANTIATE_TEST_SUITE_P(sync, sync_barrier_test,
                         ::testing::ValuesIn(worker_counts()), worker_name);
