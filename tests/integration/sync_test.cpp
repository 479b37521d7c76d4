// Port of CPython's _TestLock, _TestSemaphore, _TestCondition, _TestEvent and
// _TestBarrier (their cross-process parts) over real processes and pool
// workers, plus what Python gets wrong: a process that dies holding a lock,
// rlock or semaphore releases it, and the next acquirer is told.

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "actorpool/array.hpp"
#include "actorpool/barrier.hpp"
#include "actorpool/condition.hpp"
#include "actorpool/event.hpp"
#include "actorpool/exceptions.hpp"
#include "actorpool/lock.hpp"
#include "actorpool/pool.hpp"
#include "actorpool/process.hpp"
#include "actorpool/rlock.hpp"
#include "actorpool/semaphore.hpp"
#include "actorpool/value.hpp"
#include "support/leak_check.hpp"

using namespace actorpool;
using namespace std::chrono_literals;
using std::chrono::milliseconds;

namespace {

using clock_type = std::chrono::steady_clock;

/// Python's TIMEOUT1 and TIMEOUT2, shorter.
constexpr auto timeout1 = 100ms;
constexpr auto timeout2 = 250ms;

/// Generous bound for calls that must not block for long.
constexpr auto patience = 30s;

template <class F>
milliseconds elapsed(F f) {
  auto t0 = clock_type::now();
  f();
  return std::chrono::duration_cast<milliseconds>(clock_type::now() - t0);
}

/// Starts every process, then joins them; returns how many failed.
int run_all(std::vector<process>& ps) {
  for (auto& p : ps)
    p.start();
  int failed = 0;
  for (auto& p : ps) {
    p.join();
    failed += p.exitcode() != 0;
  }
  return failed;
}

void check(bool ok, const char* what) {
  if (!ok)
    throw std::logic_error(what);
}

// -- lock and rlock tasks -----------------------------------------------------

std::string lock_sequence(lock l) {
  std::string out;
  out += l.acquire() ? "T" : "F";
  out += l.acquire(false) ? "T" : "F";
  l.release();
  try {
    l.release();
  } catch (const state_error&) {
    out += "E";
  }
  return out;
}

std::string rlock_sequence(rlock l) {
  std::string out;
  for (int i = 0; i < 3; ++i)
    out += l.acquire() ? "T" : "F";
  for (int i = 0; i < 3; ++i)
    l.release();
  try {
    l.release();
  } catch (const state_error&) {
    out += "E";
  }
  return out;
}

void count_under_lock(lock l, value<int> counter, int times) {
  for (int i = 0; i < times; ++i) {
    lock_guard<lock> guard{l};
    counter.set(counter.get() + 1);
  }
}

void count_under_rlock(rlock l, value<int> counter, int times) {
  for (int i = 0; i < times; ++i) {
    lock_guard<rlock> outer{l};
    lock_guard<rlock> inner{l};
    counter.set(counter.get() + 1);
  }
}

void release_lock(lock l) {
  l.release();
}

bool release_foreign_rlock(rlock l) {
  try {
    l.release();
  } catch (const state_error&) {
    return true;
  }
  return false;
}

bool same_locks(lock x, lock y, lock z) {
  return x == y && x != z;
}

bool lock_made_in_worker() {
  lock l;
  try {
    l.acquire();
  } catch (const state_error&) {
    return true;
  }
  return false;
}

// -- holder death -------------------------------------------------------------

void hold_lock_and_hang(lock l, event held, event never) {
  l.acquire();
  held.set();
  never.wait();
}

void hold_rlock_and_hang(rlock l, event held, event never) {
  for (int i = 0; i < 3; ++i)
    l.acquire();
  held.set();
  never.wait();
}

void hold_units_and_hang(semaphore s, event held, event never) {
  s.acquire();
  s.acquire();
  held.set();
  never.wait();
}

// Each records 1 when its acquire took over from a dead holder, 0 if not,
// -1 when it timed out.
template <class L>
void acquire_and_record(L l, array<int> died, int i) {
  if (!l.acquire(patience)) {
    died.set(static_cast<size_t>(i), -1);
    return;
  }
  died.set(static_cast<size_t>(i), l.owner_died() ? 1 : 0);
  l.release();
}

void record_lock(lock l, array<int> died, int i) {
  acquire_and_record(l, died, i);
}

void record_rlock(rlock l, array<int> died, int i) {
  acquire_and_record(l, died, i);
}

void record_unit(semaphore s, array<int> died, int i) {
  acquire_and_record(s, died, i);
}

// -- semaphore tasks ----------------------------------------------------------

std::string semaphore_sequence(semaphore s) {
  std::string out;
  out += std::to_string(s.get_value());
  out += s.acquire() ? "T" : "F";
  out += s.acquire() ? "T" : "F";
  out += s.acquire(false) ? "T" : "F";
  out += std::to_string(s.get_value());
  s.release();
  s.release();
  out += std::to_string(s.get_value());
  return out;
}

bool over_release(bounded_semaphore s) {
  try {
    s.release();
  } catch (const state_error&) {
    return true;
  }
  return false;
}

// inside[0]: callers inside now; inside[1]: most seen at once.
void limited_section(semaphore s, array<int> inside, int rounds) {
  for (int i = 0; i < rounds; ++i) {
    lock_guard<semaphore> guard{s};
    int now = inside.fetch_add(0, 1) + 1;
    if (now > inside.get(1))
      inside.set(1, now); // racy max, but only ever raised
    inside.fetch_add(0, -1);
  }
}

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

std::atomic<int> action_runs{0};

void count_action() {
  ++action_runs;
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

void lockstep(barrier b, value<int> sum, int passes) {
  int n = b.parties();
  for (int i = 0; i < passes; ++i) {
    b.wait();
    int before = sum.fetch_add(1);
    check(before >= i * n && before < (i + 1) * n, "out of lockstep");
  }
}

} // namespace

ACTORPOOL_TASK(lock_sequence)
ACTORPOOL_TASK(rlock_sequence)
ACTORPOOL_TASK(count_under_lock)
ACTORPOOL_TASK(count_under_rlock)
ACTORPOOL_TASK(release_lock)
ACTORPOOL_TASK(release_foreign_rlock)
ACTORPOOL_TASK(same_locks)
ACTORPOOL_TASK(lock_made_in_worker)
ACTORPOOL_TASK(hold_lock_and_hang)
ACTORPOOL_TASK(hold_rlock_and_hang)
ACTORPOOL_TASK(hold_units_and_hang)
ACTORPOOL_TASK(record_lock)
ACTORPOOL_TASK(record_rlock)
ACTORPOOL_TASK(record_unit)
ACTORPOOL_TASK(semaphore_sequence)
ACTORPOOL_TASK(over_release)
ACTORPOOL_TASK(limited_section)
ACTORPOOL_TASK(cond_f)
ACTORPOOL_TASK(waitfor_f)
ACTORPOOL_TASK(waitfor_timeout_f)
ACTORPOOL_TASK(notify_once)
ACTORPOOL_TASK(wait_unlocked)
ACTORPOOL_TASK(set_event)
ACTORPOOL_TASK(wait_and_count)
ACTORPOOL_TASK(multipass)
ACTORPOOL_TASK(record_index)
ACTORPOOL_TASK(count_action)
ACTORPOOL_TASK(wait_once)
ACTORPOOL_TASK(abort_f)
ACTORPOOL_TASK(reset_f)
ACTORPOOL_TASK(abort_and_reset_f)
ACTORPOOL_TASK(timeout_f)
ACTORPOOL_TASK(lockstep)

namespace {

class sync_test : public test::process_test_p {};

std::string worker_name(const ::testing::TestParamInfo<int>& info) {
  return "workers_" + std::to_string(info.param);
}

} // namespace

// -- _TestLock ----------------------------------------------------------------

TEST_P(sync_test, lock_like_python) {
  lock l;
  EXPECT_EQ(lock_sequence(l), "TFE");
  pool p{workers()};
  for (int i = 0; i < workers(); ++i)
    EXPECT_EQ(p.apply(lock_sequence, l), "TFE");
}

TEST_P(sync_test, rlock_like_python) {
  rlock l;
  EXPECT_EQ(rlock_sequence(l), "TTTE");
  pool p{workers()};
  for (int i = 0; i < workers(); ++i)
    EXPECT_EQ(p.apply(rlock_sequence, l), "TTTE");
}

TEST_P(sync_test, lock_context) {
  lock l;
  {
    lock_guard<lock> guard{l};
    EXPECT_FALSE(l.acquire(false));
  }
  EXPECT_TRUE(l.acquire(false));
  l.release();
}

TEST_P(sync_test, locks_exclude_across_processes) {
  lock l;
  rlock r;
  value<int> counter{0};
  value<int> rcounter{0};
  std::vector<process> ps;
  for (int i = 0; i < workers(); ++i) {
    ps.emplace_back(count_under_lock, l, counter, 25);
    ps.emplace_back(count_under_rlock, r, rcounter, 25);
  }
  EXPECT_EQ(run_all(ps), 0);
  EXPECT_EQ(counter.get(), 25 * workers());
  EXPECT_EQ(rcounter.get(), 25 * workers());
}

TEST_P(sync_test, a_lock_may_be_released_by_another_process) {
  lock l;
  ASSERT_TRUE(l.acquire());
  std::vector<process> ps;
  ps.emplace_back(release_lock, l);
  EXPECT_EQ(run_all(ps), 0);
  EXPECT_TRUE(l.acquire(false));
  l.release();
}

TEST_P(sync_test, an_rlock_is_released_only_by_its_owner) {
  rlock l;
  ASSERT_TRUE(l.acquire());
  pool p{workers()};
  EXPECT_TRUE(p.apply(release_foreign_rlock, l));
  l.release();
  EXPECT_THROW(l.release(), state_error);
}

TEST_P(sync_test, decoded_handles_refer_to_the_same_lock) {
  lock x;
  lock z;
  pool p{workers()};
  EXPECT_TRUE(p.apply(same_locks, x, x, z));
}

TEST_P(sync_test, primitives_are_created_in_the_parent) {
  pool p{workers()};
  EXPECT_TRUE(p.apply(lock_made_in_worker));
}

// -- holder death -------------------------------------------------------------

namespace {

// A pool worker takes `l` with `hold` and is killed (SIGKILL) while holding
// it; meanwhile `workers()` processes wait for it with `record`. Returns the
// owner-died flags they recorded, then the parent's own acquisitions.
template <class L, class Hold, class Record>
std::vector<int> kill_holder(L l, Hold hold, Record record, int waiters) {
  event held;
  event never;
  array<int> died(static_cast<size_t>(waiters));
  pool holder{pool_options{}.processes(1).max_retries(0)};
  auto r = holder.apply_async(hold, l, held, never);
  EXPECT_TRUE(held.wait(patience));
  std::vector<process> ps;
  for (int i = 0; i < waiters; ++i)
    ps.emplace_back(record, l, died, i);
  for (auto& p : ps)
    p.start();
  kill(holder.stats().pids.at(0), SIGKILL);
  for (auto& p : ps)
    p.join();
  EXPECT_THROW(r.get(), worker_died_error);
  return died.to_vector();
}

int sum(const std::vector<int>& xs) {
  int result = 0;
  for (auto x : xs) {
    EXPECT_GE(x, 0) << "an acquire timed out";
    result += x;
  }
  return result;
}

} // namespace

TEST_P(sync_test, a_dead_holder_releases_its_lock) {
  lock l;
  auto died = kill_holder(l, hold_lock_and_hang, record_lock, workers());
  EXPECT_EQ(sum(died), 1); // exactly one took over from the dead holder
  ASSERT_TRUE(l.acquire(patience));
  EXPECT_FALSE(l.owner_died());
  l.release();
}

TEST_P(sync_test, a_dead_holder_releases_its_rlock_whatever_the_count) {
  rlock l;
  auto died = kill_holder(l, hold_rlock_and_hang, record_rlock, workers());
  EXPECT_EQ(sum(died), 1);
  ASSERT_TRUE(l.acquire(patience));
  EXPECT_FALSE(l.owner_died());
  l.release();
  EXPECT_THROW(l.release(), state_error);
}

TEST_P(sync_test, a_dead_holder_returns_its_semaphore_units) {
  semaphore s{2};
  auto died = kill_holder(s, hold_units_and_hang, record_unit, workers());
  int flagged = sum(died);
  // The parent takes both units: what the waiters did not take over, it does.
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(s.acquire(patience));
    flagged += s.owner_died() ? 1 : 0;
  }
  EXPECT_EQ(flagged, 2);
  EXPECT_FALSE(s.acquire(false));
  EXPECT_EQ(s.get_value(), 0);
}

TEST_P(sync_test, the_holder_died_flag_belongs_to_the_handle_object) {
  lock l;
  lock other = l;
  kill_holder(l, hold_lock_and_hang, record_lock, 0);
  ASSERT_TRUE(l.acquire(patience));
  EXPECT_TRUE(l.owner_died());
  EXPECT_FALSE(other.owner_died());
  lock copy = l;
  EXPECT_TRUE(copy.owner_died());
  l.release();
  EXPECT_TRUE(l.owner_died()); // until the next successful acquire
  ASSERT_TRUE(other.acquire(false));
  EXPECT_FALSE(other.owner_died());
  other.release();
}

// -- _TestSemaphore -----------------------------------------------------------

TEST_P(sync_test, semaphore_like_python) {
  semaphore s{2};
  EXPECT_EQ(semaphore_sequence(s), "2TTF02");
  pool p{workers()};
  EXPECT_EQ(p.apply(semaphore_sequence, s), "2TTF02");
  s.release();
  EXPECT_EQ(s.get_value(), 3);
  s.release();
  EXPECT_EQ(s.get_value(), 4);
}

TEST_P(sync_test, bounded_semaphore_like_python) {
  bounded_semaphore s{2};
  EXPECT_EQ(semaphore_sequence(s), "2TTF02");
  pool p{workers()};
  EXPECT_TRUE(p.apply(over_release, s));
  EXPECT_EQ(s.get_value(), 2);
}

TEST_P(sync_test, semaphore_timeouts) {
  semaphore s{0};
  EXPECT_LT(elapsed([&] { EXPECT_FALSE(s.acquire(false)); }), timeout1);
  EXPECT_LT(elapsed([&] { EXPECT_FALSE(s.acquire(false, timeout1)); }),
            timeout1);
  auto t = elapsed([&] { EXPECT_FALSE(s.acquire(true, timeout1)); });
  EXPECT_GE(t, timeout1);
  EXPECT_LT(t, timeout1 + 2s);
  t = elapsed([&] { EXPECT_FALSE(s.acquire(timeout2)); });
  EXPECT_GE(t, timeout2);
  EXPECT_LT(t, timeout2 + 2s);
}

TEST_P(sync_test, a_semaphore_limits_concurrency) {
  semaphore s{2};
  array<int> inside(2);
  std::vector<process> ps;
  for (int i = 0; i < 2 * workers(); ++i)
    ps.emplace_back(limited_section, s, inside, 10);
  EXPECT_EQ(run_all(ps), 0);
  EXPECT_EQ(inside.get(0), 0);
  EXPECT_LE(inside.get(1), 2);
  EXPECT_GE(inside.get(1), 1);
  EXPECT_EQ(s.get_value(), 2);
}

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
    int failed = 0;
    for (auto& p : ps) {
      p.join();
      failed += p.exitcode() != 0;
    }
    return failed;
  }
};

} // namespace

TEST_P(sync_test, condition_notify) {
  sleepers s{workers(), -1};
  EXPECT_EQ(s.woken.get_value(), 0);
  for (int i = 0; i <= workers(); ++i) {
    s.notify(1);
    s.expect_woken(1);
    EXPECT_EQ(s.woken.get_value(), 0); // only one woke
  }
  EXPECT_EQ(s.join(), 0);
}

TEST_P(sync_test, condition_notify_all) {
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

TEST_P(sync_test, condition_notify_n) {
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

TEST_P(sync_test, condition_timeout) {
  condition c;
  c.acquire();
  bool res = true;
  auto t = elapsed([&] { res = c.wait(timeout1); });
  c.release();
  EXPECT_FALSE(res);
  EXPECT_GE(t, timeout1);
  EXPECT_LT(t, timeout1 + 2s);
}

TEST_P(sync_test, condition_wait_for) {
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

TEST_P(sync_test, condition_wait_for_timeout) {
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

TEST_P(sync_test, condition_wait_result) {
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

TEST_P(sync_test, condition_needs_its_lock) {
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

TEST_P(sync_test, event_like_python) {
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

TEST_P(sync_test, event_wakes_every_process) {
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
  int failed = 0;
  for (auto& p : ps) {
    p.join();
    failed += p.exitcode() != 0;
  }
  return failed;
}

} // namespace

TEST_P(sync_test, barrier_passes_in_lockstep) {
  int n = workers() + 1;
  for (int passes : {1, 10}) {
    barrier b{n, patience};
    value<int> r0{0};
    value<int> r1{0};
    EXPECT_EQ(run_parties(n, multipass, b, r0, r1, passes), 0);
    EXPECT_EQ(r1.get(), n * passes);
  }
}

TEST_P(sync_test, barrier_wait_returns_distinct_indexes) {
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

TEST_P(sync_test, barrier_action_runs_once_per_generation_in_the_parent) {
  int n = workers() + 1;
  action_runs = 0;
  barrier b{n, count_action, patience};
  EXPECT_EQ(run_parties(n, wait_once, b), 0);
  EXPECT_EQ(action_runs, 1);
  EXPECT_EQ(run_parties(n, wait_once, b), 0);
  EXPECT_EQ(action_runs, 2);
}

TEST_P(sync_test, barrier_abort) {
  int n = workers() + 1;
  barrier b{n, patience};
  array<int> results(3);
  EXPECT_EQ(run_parties(n, abort_f, b, results), 0);
  EXPECT_EQ(results.get(0), 0);
  EXPECT_EQ(results.get(1), n - 1);
  EXPECT_TRUE(b.broken());
}

TEST_P(sync_test, barrier_reset) {
  int n = workers() + 1;
  barrier b{n, patience};
  array<int> results(3);
  EXPECT_EQ(run_parties(n, reset_f, b, results), 0);
  EXPECT_EQ(results.get(0), 0);
  EXPECT_EQ(results.get(1), n - 1);
  EXPECT_EQ(results.get(2), n);
}

TEST_P(sync_test, barrier_abort_and_reset) {
  int n = workers() + 1;
  barrier b{n, patience};
  barrier b2{n, patience};
  array<int> results(3);
  EXPECT_EQ(run_parties(n, abort_and_reset_f, b, b2, results), 0);
  EXPECT_EQ(results.get(0), 0);
  EXPECT_EQ(results.get(1), n - 1);
  EXPECT_EQ(results.get(2), n);
}

TEST_P(sync_test, barrier_timeout) {
  int n = workers() + 1;
  barrier b{n, patience};
  array<int> results(3);
  semaphore late{0};
  EXPECT_EQ(run_parties(n, timeout_f, b, results, late, int64_t{200}), 0);
  EXPECT_EQ(results.get(1), n);
  EXPECT_TRUE(b.broken());
}

TEST_P(sync_test, barrier_default_timeout) {
  int n = workers() + 1;
  barrier b{n, 200ms};
  array<int> results(3);
  semaphore late{0};
  EXPECT_EQ(run_parties(n, timeout_f, b, results, late, int64_t{-1}), 0);
  EXPECT_EQ(results.get(1), n);
}

TEST_P(sync_test, barrier_single_party) {
  barrier b{1};
  EXPECT_EQ(b.wait(), 0);
  EXPECT_EQ(b.wait(), 0);
}

TEST_P(sync_test, barrier_many_passes) {
  int n = workers() + 1;
  barrier b{n, patience};
  value<int> sum{0};
  EXPECT_EQ(run_parties(n, lockstep, b, sum, 100), 0);
  EXPECT_EQ(sum.get(), 100 * n);
}

TEST_P(sync_test, a_dead_waiter_breaks_the_barrier) {
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

INSTANTIATE_TEST_SUITE_P(sync, sync_test, ::testing::Values(1, 2, 4),
                         worker_name);
