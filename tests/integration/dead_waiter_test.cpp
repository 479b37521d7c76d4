// A process killed while it waits in a call (a queue's get or put, a pipe's
// recv, a semaphore's acquire, a barrier's or a condition's wait) is
// forgotten by the object before anyone can learn of its death: what the
// parent does after it saw worker_died_error (or the exit code of a
// `process`) never reaches the dead, and the dead one's blocked put never
// lands. Each case runs many rounds: a loss needed the parent's call to
// overtake the news of the death, which happened in about one round in five.

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <future>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "actorpool/barrier.hpp"
#include "actorpool/condition.hpp"
#include "actorpool/exceptions.hpp"
#include "actorpool/lock.hpp"
#include "actorpool/pipe.hpp"
#include "actorpool/pool.hpp"
#include "actorpool/process.hpp"
#include "actorpool/queue.hpp"
#include "actorpool/semaphore.hpp"
#include "support/process_helpers.hpp"

using namespace actorpool;
using namespace actorpool::test;

namespace {

constexpr int rounds = 40;

/// Puts this process's pid on `ready` once the calling thread is blocked in
/// its next call.
void report_when_blocked(queue<int> ready) {
  when_blocked([ready] { ready.put(static_cast<int>(getpid())); });
}

int dw_get(queue<int> q, queue<int> ready) {
  report_when_blocked(ready);
  return q.get();
}

void dw_put(queue<int> q, queue<int> ready, int x) {
  report_when_blocked(ready);
  q.put(x);
}

int dw_recv(connection<int> c, queue<int> ready) {
  report_when_blocked(ready);
  return c.recv();
}

bool dw_acquire(semaphore s, queue<int> ready) {
  report_when_blocked(ready);
  return s.acquire();
}

void dw_barrier(barrier b, queue<int> ready) {
  report_when_blocked(ready);
  b.wait();
}

void dw_condition(lock l, condition c, queue<int> ready) {
  l.acquire();
  report_when_blocked(ready);
  c.wait();
}

/// Kills the process that reported its pid on `ready`.
void kill_reported(queue<int>& ready) {
  auto pid = ready.get(true, patience);
  ASSERT_EQ(::kill(pid, SIGKILL), 0);
}

/// Kills the worker running `r` (blocked in a call) and waits until `r`
/// reports the death.
template <class T>
void kill_blocked(queue<int>& ready, async_result<T>& r) {
  kill_reported(ready);
  EXPECT_THROW(r.get(), worker_died_error);
}

std::string rounds_text(int n) {
  return std::to_string(n) + " of " + std::to_string(rounds) + " rounds";
}

class dead_waiter_test : public spread_test_p {
protected:
  pool_options opts() const {
    return spread_test_p::opts().max_retries(0);
  }
};

class dead_process_test : public process_test {};

} // namespace

ACTORPOOL_TASK(dw_get)
ACTORPOOL_TASK(dw_put)
ACTORPOOL_TASK(dw_recv)
ACTORPOOL_TASK(dw_acquire)
ACTORPOOL_TASK(dw_barrier)
ACTORPOOL_TASK(dw_condition)

TEST_P(dead_waiter_test, an_item_put_after_the_death_never_goes_to_its_get) {
  queue<int> ready;
  queue<int> q;
  pool p{opts()};
  int lost = 0;
  for (int i = 0; i < rounds; ++i) {
    auto r = p.apply_async(dw_get, q, ready);
    kill_blocked(ready, r);
    q.put(5);
    try {
      EXPECT_EQ(q.get(false), 5);
    } catch (const queue_empty&) {
      ++lost; // handed to the dead get
    }
  }
  EXPECT_EQ(lost, 0) << "the item went to the dead get() in "
                     << rounds_text(lost);
}

TEST_P(dead_waiter_test, the_blocked_put_of_a_dead_worker_never_lands) {
  queue<int> ready;
  queue<int> q{1};
  pool p{opts()};
  int landed = 0;
  for (int i = 0; i < rounds; ++i) {
    q.put(1); // full: the task's put waits
    auto r = p.apply_async(dw_put, q, ready, 7);
    kill_blocked(ready, r);
    EXPECT_EQ(q.get(false), 1);
    try {
      EXPECT_EQ(q.get(false), 7);
      ++landed;
    } catch (const queue_empty&) {
      // as it should be
    }
  }
  EXPECT_EQ(landed, 0) << "the dead put() landed in " << rounds_text(landed);
}

TEST_P(dead_waiter_test, a_send_after_the_death_of_the_receiver_is_eof) {
  queue<int> ready;
  pool p{opts()};
  int lost = 0;
  for (int i = 0; i < rounds; ++i) {
    auto [a, b] = actorpool::pipe<int>();
    auto r = p.apply_async(dw_recv, b, ready);
    kill_blocked(ready, r);
    // The dead worker was the last user of `b`: that end is closed.
    try {
      a.send(5);
      ++lost; // handed to the dead recv
    } catch (const eof_error&) {
      // as it should be
    }
  }
  EXPECT_EQ(lost, 0) << "send() gave the item to the dead recv() in "
                     << rounds_text(lost);
}

TEST_P(dead_waiter_test, a_unit_released_after_the_death_never_goes_to_it) {
  queue<int> ready;
  semaphore s{0};
  pool p{opts()};
  int lost = 0;
  for (int i = 0; i < rounds; ++i) {
    auto r = p.apply_async(dw_acquire, s, ready);
    kill_blocked(ready, r);
    s.release();
    if (!s.acquire(false)) {
      ++lost; // handed to the dead acquire, which gives it back later
      ASSERT_TRUE(s.acquire(true, patience));
    } else if (s.owner_died()) {
      ++lost; // it was, and came back from the dead holder just now
    }
  }
  EXPECT_EQ(lost, 0) << "the unit went to the dead acquire() in "
                     << rounds_text(lost);
}

TEST_P(dead_waiter_test, a_party_that_died_waiting_breaks_the_barrier) {
  queue<int> ready;
  pool p{opts()};
  int passed = 0;
  for (int i = 0; i < rounds; ++i) {
    barrier b{2};
    auto r = p.apply_async(dw_barrier, b, ready);
    kill_blocked(ready, r);
    try {
      b.wait(patience);
      ++passed; // with the dead party
    } catch (const broken_barrier_error&) {
      // as it should be
    }
  }
  EXPECT_EQ(passed, 0) << "the parent passed the barrier with a dead party in "
                       << rounds_text(passed);
}

// A thread of the parent waits on the condition behind the worker, which is
// then killed; one notify must wake the thread. Once the thread is done
// (woken, or not), the parent holds the lock again and looks.
TEST_P(dead_waiter_test, a_notify_after_the_death_goes_to_the_living) {
  queue<int> ready;
  lock l;
  condition c{l};
  pool p{opts()};
  int lost = 0;
  for (int i = 0; i < rounds; ++i) {
    auto r = p.apply_async(dw_condition, l, c, ready);
    auto pid = ready.get(true, patience); // the worker waits on `c`
    std::promise<void> holds;
    std::atomic<bool> woken{false};
    std::thread waiter{[&] {
      l.acquire();
      holds.set_value();
      EXPECT_TRUE(c.wait(patience));
      woken = true;
      l.release();
    }};
    holds.get_future().wait();
    l.acquire(); // granted once the thread waits on `c` too
    EXPECT_EQ(::kill(pid, SIGKILL), 0); // ASSERT would leave `waiter` running
    EXPECT_THROW(r.get(), worker_died_error);
    c.notify(1);
    l.release();
    l.acquire(); // a woken thread had the lock first, and is done
    if (!woken)
      ++lost; // the notify went to the dead worker
    c.notify(1);
    l.release();
    waiter.join();
  }
  EXPECT_EQ(lost, 0) << "notify(1) went to the dead wait() in "
                     << rounds_text(lost);
}

INSTANTIATE_TEST_SUITE_P(dead_waiters, dead_waiter_test,
                         ::testing::ValuesIn(worker_counts()), worker_name);

TEST_F(dead_process_test, a_killed_process_is_forgotten_before_join_returns) {
  queue<int> ready;
  queue<int> q;
  int lost = 0;
  for (int i = 0; i < rounds; ++i) {
    process child{dw_get, q, ready};
    child.start();
    kill_reported(ready);
    child.join();
    EXPECT_EQ(child.exitcode(), -SIGKILL);
    q.put(5);
    try {
      EXPECT_EQ(q.get(false), 5);
    } catch (const queue_empty&) {
      ++lost;
    }
  }
  EXPECT_EQ(lost, 0) << "the item went to the dead process in "
                     << rounds_text(lost);
}
