// Port of CPython's _TestCondition and _TestEvent (their cross-process
// parts) over real processes and pool workers.

#include <chrono>
#include <cstdint>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "actorpool/array.hpp"
#include "actorpool/condition.hpp"
#include "actorpool/event.hpp"
#include "actorpool/exceptions.hpp"
#include "actorpool/lock.hpp"
#include "actorpool/pool.hpp"
#include "actorpool/process.hpp"
#include "actorpool/semaphore.hpp"
#include "actorpool/value.hpp"
#include "services/sync/lock_service.hpp"
#include "support/process_helpers.hpp"

using namespace actorpool;
using namespace actorpool::test;
using namespace std::chrono_literals;
using std::chrono::milliseconds;

namespace {

using clock_type = std::chrono::steady_clock;

// -- condition tasks ----------------------------------------------------------

void cond_f(condition c, semaphore sleeping, semaphore woken, int64_t ms) {
  c.acquire();
  sleeping.release();
  if (ms < 0)
    c.wait();
  else
    c.wait(milliseconds{ms});
  woken.release();
  c.release();
}

void waitfor_f(condition c, array<int> states, int i) {
  auto k = static_cast<size_t>(i);
  lock_guard<condition> guard{c};
  states.set(k, 0);
  c.notify_all();
  bool result = c.wait_for([&] { return states.get(k) == 4; });
  check(result && states.get(k) == 4, "wait_for returned early");
}

// Python's _test_waitfor_timeout_f. The predicate runs holding the lock
// before each wait: it announces that on `checked`, so the parent's notifies
// fall inside the wait without sleeping first.
void waitfor_timeout_f(condition c, value<int> state, value<int> success,
                       semaphore sem, semaphore checked) {
  sem.release();
  lock_guard<condition> guard{c};
  auto t0 = clock_type::now();
  bool result = c.wait_for(
    [&] {
      checked.release();
      return state.get() == 4;
    },
    100ms);
  if (!result && clock_type::now() - t0 >= 100ms)
    success.set(1);
}

void notify_once(condition c) {
  lock_guard<condition> guard{c};
  c.notify();
}

bool wait_unlocked(condition c) {
  try {
    c.wait(10ms);
  } catch (const state_error&) {
    return true;
  }
  return false;
}

// -- event tasks --------------------------------------------------------------

void set_event(event e) {
  e.set();
}

void wait_and_count(event e, value<int> woken) {
  if (e.wait(patience))
    woken.fetch_add(1);
}

} // namespace

ACTORPOOL_TASK(cond_f)
ACTORPOOL_TASK(waitfor_f)
ACTORPOOL_TASK(waitfor_timeout_f)
ACTORPOOL_TASK(notify_once)
ACTORPOOL_TASK(wait_unlocked)
ACTORPOOL_TASK(set_event)
ACTORPOOL_TASK(wait_and_count)

namespace {

class sync_condition_test : public process_test_p {};

} // namespace

// -- _TestCondition -----------------------------------------------------------

namespace {

// What the lock's service reports: how many callers wait on the conditions
// built on it (Python's check_invariant reads the condition's counters).
uint32_t condition_waiters(const condition& c) {
  auto reply = detail::call_op(c.service(), detail::mutex_op::describe);
  int32_t pid = 0;
  uint64_t thread = 0;
  uint32_t count = 0;
  uint32_t lock_waiters = 0;
  uint32_t cond_waiters = 0;
  detail::decoder src{reply};
  src.read(pid, thread, count, lock_waiters, cond_waiters);
  return cond_waiters;
}

// Python's `f` run by processes and threads of this process, all on the
// condition `c` and the semaphores `sleeping` and `woken`: each announces
// itself on `sleeping` while it holds the lock, so once this process holds
// the lock after taking every announcement, every sleeper is in `wait`
// (or has timed out of it). No sleep is needed to learn that.
struct sleepers {
  condition& c;
  semaphore& sleeping;
  semaphore& woken;
  std::vector<process> ps;
  std::vector<std::thread> ts;

  sleepers(condition& cond, semaphore& sl, semaphore& wk)
    : c(cond), sleeping(sl), woken(wk) {
    // nop
  }

  ~sleepers() {
    for (auto& t : ts)
      if (t.joinable())
        t.join();
  }

  // Starts `procs` processes and `threads` threads sleeping for `ms`
  // (negative: until notified), then waits until all of them announced
  // themselves.
  void start(int procs, int threads, int64_t ms) {
    for (int i = 0; i < procs; ++i) {
      ps.emplace_back(cond_f, c, sleeping, woken, ms);
      ps.back().start();
    }
    for (int i = 0; i < threads; ++i)
      ts.emplace_back([this, ms] { cond_f(c, sleeping, woken, ms); });
    for (int i = 0; i < procs + threads; ++i)
      EXPECT_TRUE(sleeping.acquire(patience));
  }

  // How many wait on the condition, asked holding the lock.
  uint32_t asleep() {
    lock_guard<condition> guard{c};
    return condition_waiters(c);
  }

  // Notifies `n` holding the lock; returns how many still wait on the
  // condition right after the notify.
  uint32_t notify(uint32_t n) {
    lock_guard<condition> guard{c};
    if (n == UINT32_MAX)
      c.notify_all();
    else
      c.notify(n);
    return condition_waiters(c);
  }

  // Takes `n` wake-ups, each within `patience`.
  void expect_woken(int n) {
    for (int i = 0; i < n; ++i)
      EXPECT_TRUE(woken.acquire(patience));
  }

  int join() {
    for (auto& t : ts)
      t.join();
    ts.clear();
    int failed = join_all(ps);
    ps.clear();
    return failed;
  }
};

} // namespace

// Python: one process and one thread sleep; two notifies wake them one at a
// time. Here `workers()` processes and one thread. Python sleeps DELTA to
// see that nobody else woke; here the service says how many still wait.
TEST_P(sync_condition_test, condition_notify) {
  condition c;
  semaphore sleeping{0};
  semaphore woken{0};
  sleepers s{c, sleeping, woken};
  auto n = static_cast<uint32_t>(workers() + 1);
  s.start(workers(), 1, -1);
  EXPECT_EQ(s.asleep(), n);
  EXPECT_EQ(woken.get_value(), 0);
  for (uint32_t left = n; left > 0; --left) {
    EXPECT_EQ(s.notify(1), left - 1); // exactly one left the condition
    s.expect_woken(1);
    EXPECT_EQ(woken.get_value(), 0); // only that one woke
  }
  EXPECT_EQ(s.join(), 0);
  EXPECT_EQ(condition_waiters(c), 0u); // check_invariant
}

// Python: three processes and three threads time out; three more of each
// then sleep on the same condition, and notify_all wakes them all. Here
// `workers()` processes and three threads, twice.
TEST_P(sync_condition_test, condition_notify_all) {
  condition c;
  semaphore sleeping{0};
  semaphore woken{0};
  int n = workers() + 3;
  {
    sleepers s{c, sleeping, woken};
    s.start(workers(), 3, timeout1.count()); // they all time out
    s.expect_woken(n);
    EXPECT_EQ(woken.get_value(), 0);
    EXPECT_EQ(s.join(), 0);
  }
  EXPECT_EQ(condition_waiters(c), 0u); // the timed-out waiters are gone
  sleepers s{c, sleeping, woken};
  s.start(workers(), 3, -1);
  EXPECT_EQ(s.asleep(), static_cast<uint32_t>(n));
  EXPECT_EQ(woken.get_value(), 0); // nobody woke
  EXPECT_EQ(s.notify(UINT32_MAX), 0u);
  s.expect_woken(n);
  EXPECT_EQ(woken.get_value(), 0);
  EXPECT_EQ(s.join(), 0);
  EXPECT_EQ(condition_waiters(c), 0u);
}

// Python: six sleepers; notify(2) wakes two, notify(4) the other four, and
// notify(3) then does nothing. Here `workers()` processes and three threads.
TEST_P(sync_condition_test, condition_notify_n) {
  condition c;
  semaphore sleeping{0};
  semaphore woken{0};
  sleepers s{c, sleeping, woken};
  auto n = static_cast<uint32_t>(workers() + 3);
  s.start(workers(), 3, -1);
  EXPECT_EQ(s.asleep(), n);
  EXPECT_EQ(s.notify(2), n - 2);
  s.expect_woken(2);
  EXPECT_EQ(woken.get_value(), 0); // only two woke
  EXPECT_EQ(s.notify(n - 2), 0u); // the rest
  s.expect_woken(static_cast<int>(n) - 2);
  EXPECT_EQ(s.notify(3), 0u); // nobody left
  EXPECT_EQ(s.join(), 0);
  EXPECT_EQ(woken.get_value(), 0);
  EXPECT_EQ(condition_waiters(c), 0u);
}

TEST_P(sync_condition_test, condition_timeout) {
  condition c;
  c.acquire();
  bool res = true;
  auto t = elapsed([&] { res = c.wait(timeout1); });
  c.release();
  EXPECT_FALSE(res);
  EXPECT_GE(t, timeout1);
  EXPECT_LT(t, timeout1 + 2s);
}

TEST_P(sync_condition_test, condition_wait_for) {
  condition c;
  array<int> states{std::vector<int>(static_cast<size_t>(workers()), -1)};
  std::vector<process> ps;
  for (int i = 0; i < workers(); ++i)
    ps.emplace_back(waitfor_f, c, states, i);
  for (auto& p : ps)
    p.start();
  for (size_t i = 0; i < ps.size(); ++i) {
    lock_guard<condition> guard{c};
    EXPECT_TRUE(c.wait_for([&] { return states.get(i) == 0; }, patience));
    for (int k = 0; k < 4; ++k) {
      states.fetch_add(i, 1);
      c.notify_all();
    }
  }
  for (auto& p : ps) {
    p.join();
    EXPECT_EQ(p.exitcode(), 0);
  }
}

// Python notifies three times, 10 ms apart, while the child waits 100 ms
// for a state it never sees; wait_for must return false, and not before its
// timeout. Here each notify follows the child's next check of its
// predicate, so all three land inside the wait.
TEST_P(sync_condition_test, condition_wait_for_timeout) {
  condition c;
  value<int> state{0};
  value<int> success{0};
  semaphore sem{0};
  semaphore checked{0};
  std::vector<process> ps;
  ps.emplace_back(waitfor_timeout_f, c, state, success, sem, checked);
  ps[0].start();
  ASSERT_TRUE(sem.acquire(patience));
  for (int i = 0; i < 3; ++i) { // state == 4 is never reached
    ASSERT_TRUE(checked.acquire(patience));
    lock_guard<condition> guard{c};
    state.fetch_add(1);
    c.notify();
  }
  EXPECT_EQ(join_all(ps), 0);
  EXPECT_EQ(success.get(), 1);
  EXPECT_EQ(state.get(), 3);
}

TEST_P(sync_condition_test, condition_wait_result) {
  condition c;
  lock_guard<condition> guard{c};
  EXPECT_FALSE(c.wait(0s));
  EXPECT_FALSE(c.wait(timeout1));
  for (int i = 0; i < workers(); ++i) { // one notifier at a time: a notify
    process p{notify_once, c}; // with nobody waiting is lost
    p.start();
    EXPECT_TRUE(c.wait(patience));
    p.join();
  }
}

TEST_P(sync_condition_test, condition_needs_its_lock) {
  lock l;
  condition c{l};
  pool p{workers()};
  EXPECT_TRUE(p.apply(wait_unlocked, c));
  EXPECT_THROW(c.notify(), state_error);
  ASSERT_TRUE(l.acquire());
  c.notify(); // holding the lock through another handle is holding it
  EXPECT_FALSE(c.wait(0s));
  c.release();
}

// -- _TestEvent ---------------------------------------------------------------

TEST_P(sync_condition_test, event_like_python) {
  event e;
  EXPECT_FALSE(e.is_set());
  EXPECT_LT(elapsed([&] { EXPECT_FALSE(e.wait(0s)); }), timeout1);
  auto t = elapsed([&] { EXPECT_FALSE(e.wait(timeout1)); });
  EXPECT_GE(t, timeout1);
  e.set();
  EXPECT_TRUE(e.is_set());
  EXPECT_LT(elapsed([&] { EXPECT_TRUE(e.wait()); }), timeout1);
  EXPECT_LT(elapsed([&] { EXPECT_TRUE(e.wait(timeout1)); }), timeout1);
  e.clear();
  EXPECT_FALSE(e.is_set());
  std::vector<process> ps;
  ps.emplace_back(set_event, e);
  ps[0].start();
  EXPECT_TRUE(e.wait());
  ps[0].join();
}

TEST_P(sync_condition_test, event_wakes_every_process) {
  event e;
  value<int> woken{0};
  std::vector<process> ps;
  for (int i = 0; i < 2 * workers(); ++i)
    ps.emplace_back(wait_and_count, e, woken);
  for (auto& p : ps)
    p.start();
  e.set();
  for (auto& p : ps)
    p.join();
  EXPECT_EQ(woken.get(), 2 * workers());
}

INSTANTIATE_TEST_SUITE_P(sync, sync_condition_test,
                         ::testing::ValuesIn(worker_counts()), worker_name);
