// Port of CPython's _TestLock and _TestSemaphore (their cross-process parts)
// over real processes and pool workers, plus what Python gets wrong: a
// process that dies holding a lock, rlock or semaphore releases it, and the
// next acquirer is told.

#include <signal.h>

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "actorpool/array.hpp"
#include "actorpool/event.hpp"
#include "actorpool/exceptions.hpp"
#include "actorpool/lock.hpp"
#include "actorpool/pool.hpp"
#include "actorpool/process.hpp"
#include "actorpool/rlock.hpp"
#include "actorpool/semaphore.hpp"
#include "actorpool/value.hpp"
#include "support/process_helpers.hpp"

using namespace actorpool;
using namespace actorpool::test;
using namespace std::chrono_literals;

namespace {

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

/// Takes and gives back `l` and (twice deep) `r` `times` times.
int take_and_give_back(lock l, rlock r, int times) {
  for (int i = 0; i < times; ++i) {
    l.acquire();
    r.acquire();
    r.acquire();
    l.release();
    r.release();
    r.release();
  }
  return times;
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

} // namespace

ACTORPOOL_TASK(lock_sequence)
ACTORPOOL_TASK(rlock_sequence)
ACTORPOOL_TASK(count_under_lock)
ACTORPOOL_TASK(take_and_give_back)
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

namespace {

class sync_lock_test : public process_test_p {};

} // namespace

// -- _TestLock ----------------------------------------------------------------

TEST_P(sync_lock_test, lock_like_python) {
  lock l;
  EXPECT_EQ(lock_sequence(l), "TFE");
  pool p{workers()};
  for (int i = 0; i < workers(); ++i)
    EXPECT_EQ(p.apply(lock_sequence, l), "TFE");
}

TEST_P(sync_lock_test, rlock_like_python) {
  rlock l;
  EXPECT_EQ(rlock_sequence(l), "TTTE");
  pool p{workers()};
  for (int i = 0; i < workers(); ++i)
    EXPECT_EQ(p.apply(rlock_sequence, l), "TTTE");
}

TEST_P(sync_lock_test, lock_context) {
  lock l;
  {
    lock_guard<lock> guard{l};
    EXPECT_FALSE(l.acquire(false));
  }
  EXPECT_TRUE(l.acquire(false));
  l.release();
}

TEST_P(sync_lock_test, locks_exclude_across_processes) {
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

// A holder's release is not waited for, yet it reaches the lock before
// anything the worker does next: here, before its result.
TEST_P(sync_lock_test, a_holders_releases_are_in_place_before_its_result) {
  lock l;
  rlock r;
  pool p{workers()};
  for (int round = 0; round < 3; ++round) {
    EXPECT_EQ(p.apply(take_and_give_back, l, r, 40), 40);
    EXPECT_TRUE(l.acquire(false));
    EXPECT_TRUE(r.acquire(false));
    l.release();
    r.release();
  }
}

TEST_P(sync_lock_test, a_lock_may_be_released_by_another_process) {
  lock l;
  ASSERT_TRUE(l.acquire());
  std::vector<process> ps;
  ps.emplace_back(release_lock, l);
  EXPECT_EQ(run_all(ps), 0);
  EXPECT_TRUE(l.acquire(false));
  l.release();
}

TEST_P(sync_lock_test, an_rlock_is_released_only_by_its_owner) {
  rlock l;
  ASSERT_TRUE(l.acquire());
  pool p{workers()};
  EXPECT_TRUE(p.apply(release_foreign_rlock, l));
  l.release();
  EXPECT_THROW(l.release(), state_error);
}

TEST_P(sync_lock_test, decoded_handles_refer_to_the_same_lock) {
  lock x;
  lock z;
  pool p{workers()};
  EXPECT_TRUE(p.apply(same_locks, x, x, z));
}

TEST_P(sync_lock_test, primitives_are_created_in_the_parent) {
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

TEST_P(sync_lock_test, a_dead_holder_releases_its_lock) {
  lock l;
  auto died = kill_holder(l, hold_lock_and_hang, record_lock, workers());
  EXPECT_EQ(sum(died), 1); // exactly one took over from the dead holder
  ASSERT_TRUE(l.acquire(patience));
  EXPECT_FALSE(l.owner_died());
  l.release();
}

TEST_P(sync_lock_test, a_dead_holder_releases_its_rlock_whatever_the_count) {
  rlock l;
  auto died = kill_holder(l, hold_rlock_and_hang, record_rlock, workers());
  EXPECT_EQ(sum(died), 1);
  ASSERT_TRUE(l.acquire(patience));
  EXPECT_FALSE(l.owner_died());
  l.release();
  EXPECT_THROW(l.release(), state_error);
}

TEST_P(sync_lock_test, a_dead_holder_returns_its_semaphore_units) {
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

TEST_P(sync_lock_test, the_holder_died_flag_belongs_to_the_handle_object) {
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

TEST_P(sync_lock_test, semaphore_like_python) {
  semaphore s{2};
  EXPECT_EQ(semaphore_sequence(s), "2TTF02");
  pool p{workers()};
  EXPECT_EQ(p.apply(semaphore_sequence, s), "2TTF02");
  s.release();
  EXPECT_EQ(s.get_value(), 3);
  s.release();
  EXPECT_EQ(s.get_value(), 4);
}

TEST_P(sync_lock_test, bounded_semaphore_like_python) {
  bounded_semaphore s{2};
  EXPECT_EQ(semaphore_sequence(s), "2TTF02");
  pool p{workers()};
  EXPECT_TRUE(p.apply(over_release, s));
  EXPECT_EQ(s.get_value(), 2);
}

TEST_P(sync_lock_test, semaphore_timeouts) {
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

TEST_P(sync_lock_test, a_semaphore_limits_concurrency) {
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

INSTANTIATE_TEST_SUITE_P(sync, sync_lock_test,
                         ::testing::ValuesIn(worker_counts()), worker_name);
