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

void waitfor_timeout_f(condition c, value<int> state, value<int> success,
                       semaphore sem) {
  sem.release();
  lock_guard<condition> guard{c};
  auto t0 = clock_type::now();
  bool result = c.wait_for([&] { return state.get() == 4; }, 100ms);
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

// `workers()` processes and one thread of this process sleep on `c`.
struct sleepers {
  condition c;
  semaphore sleeping{0};
  semaphore woken{0};
  std::vector<process> ps;
  std::thread t;

  sleepers(int n, int64_t ms) {
    for (int i = 0; i < n; ++i)
      ps.emplace_back(cond_f, c, sleeping, woken, ms);
    for (auto& p : ps)
      p.start();
    t = std::thread{[this, ms] {
      cond_f(c, sleeping, woken, ms);
    }};
    for (int i = 0; i <= n; ++i)
      EXPECT_TRUE(sleeping.acquire(patience));
  }

  void notify(uint32_t n) {
    lock_guard<condition> guard{c};
    if (n == UINT32_MAX)
      c.notify_all();
    else
      c.notify(n);
  }

  void expect_woken(int n) {
    for (int i = 0; i < n; ++i)
      EXPECT_TRUE(woken.acquire(patience));
  }

  int join() {
    t.join();
    return join_all(ps);
  }
};

} // namespace

TEST_P(sync_condition_test, condition_notify) {
  sleepers s{workers(), -1};
  EXPECT_EQ(s.woken.get_value(), 0);
  for (int i = 0; i <= workers(); ++i) {
    s.notify(1);
    s.expect_woken(1);
    EXPECT_EQ(s.woken.get_value(), 0); // only one woke
  }
  EXPECT_EQ(s.join(), 0);
}

TEST_P(sync_condition_test, condition_notify_all) {
  {
    sleepers s{workers(), 100}; // they all time out
    s.expect_woken(workers() + 1);
    EXPECT_EQ(s.join(), 0);
  }
  sleepers s{workers(), -1};
  EXPECT_EQ(s.woken.get_value(), 0);
  s.notify(UINT32_MAX);
  s.expect_woken(workers() + 1);
  EXPECT_EQ(s.join(), 0);
}

TEST_P(sync_condition_test, condition_notify_n) {
  sleepers s{workers(), -1};
  s.notify(2);
  s.expect_woken(2);
  EXPECT_EQ(s.woken.get_value(), 0);
  s.notify(static_cast<uint32_t>(workers() + 3)); // more than are left
  s.expect_woken(workers() - 1);
  s.notify(3); // nobody left
  EXPECT_EQ(s.join(), 0);
  EXPECT_EQ(s.woken.get_value(), 0);
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

TEST_P(sync_condition_test, condition_wait_for_timeout) {
  condition c;
  value<int> state{0};
  value<int> success{0};
  semaphore sem{0};
  std::vector<process> ps;
  ps.emplace_back(waitfor_timeout_f, c, state, success, sem);
  ps[0].start();
  ASSERT_TRUE(sem.acquire(patience));
  for (int i = 0; i < 3; ++i) { // state == 4 is never reached
    lock_guard<condition> guard{c};
    state.fetch_add(1);
    c.notify();
  }
  ps[0].join();
  EXPECT_EQ(success.get(), 1);
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

INSTANTIATE_TEST_SUITE_P(sync, sync_condition_test, ::testing::Values(1, 2, 4),
                         worker_name);
