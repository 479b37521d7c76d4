// The condition operations of the lock service (wait, notify), on a lock and
// on an rlock, on CAF's deterministic scheduler.

#include "actorpool/condition.hpp"

#include <chrono>
#include <cstdint>
#include <string>

#include <gtest/gtest.h>

#include "services/sync/lock_service.hpp"
#include "unit/sync_test_support.hpp"

using namespace actorpool;
using namespace actorpool::detail;
using namespace actorpool::test;
using namespace std::chrono_literals;

namespace {

class condition_service_test : public ::testing::TestWithParam<bool> {
protected:
  condition_service_test() {
    h.serve(GetParam() ? spawn_rlock_service(h.sys())
                       : spawn_lock_service(h.sys()));
  }

  void acquire(client_id x) {
    h.call(x, mutex_op::acquire, forever);
    EXPECT_EQ(h.status(x), acquired);
  }

  void release(client_id x) {
    h.call(x, mutex_op::release);
    EXPECT_TRUE(h.reply(x).has_value());
  }

  void wait(client_id x, const std::string& t = forever, uint64_t cond = 1) {
    h.call(x, mutex_op::wait, encode(cond) + t);
  }

  void notify(client_id x, uint32_t n, uint64_t cond = 1) {
    h.call(x, mutex_op::notify, encode(cond, n));
  }

  /// What `x`'s wait answered: bit 0 notified, bit 1 owner died; -1 none.
  int woken(client_id x) {
    return h.status(x);
  }

  harness h;
};

} // namespace

TEST_P(condition_service_test, wait_and_notify_need_the_lock) {
  wait(a);
  EXPECT_EQ(h.error_of(a), errc::invalid_state);
  notify(a, 1);
  EXPECT_EQ(h.error_of(a), errc::invalid_state);
  acquire(b);
  wait(a); // b holds it
  EXPECT_EQ(h.error_of(a), errc::invalid_state);
  notify(a, 1);
  EXPECT_EQ(h.error_of(a), errc::invalid_state);
}

TEST_P(condition_service_test, wait_releases_and_reacquires) {
  acquire(a);
  wait(a);
  EXPECT_EQ(woken(a), -1);
  acquire(b); // a released it by waiting
  notify(b, 1);
  EXPECT_TRUE(h.reply(b).has_value());
  EXPECT_EQ(woken(a), -1); // b still holds the lock
  release(b);
  EXPECT_EQ(woken(a), 1);
  release(a); // a holds it again
  h.call(a, mutex_op::release);
  EXPECT_EQ(h.error_of(a), errc::invalid_state);
}

TEST_P(condition_service_test, notify_n_wakes_the_oldest_in_order) {
  for (auto x : {a, b, c}) {
    acquire(x);
    wait(x);
  }
  acquire(d);
  notify(d, 2);
  h.reply(d);
  release(d);
  EXPECT_EQ(woken(a), 1);
  EXPECT_EQ(woken(b), -1);
  release(a);
  EXPECT_EQ(woken(b), 1);
  release(b);
  EXPECT_EQ(woken(c), -1);
  acquire(d);
  notify(d, 5); // more than are waiting
  h.reply(d);
  release(d);
  EXPECT_EQ(woken(c), 1);
  release(c);
}

TEST_P(condition_service_test, notify_all_wakes_everyone) {
  for (auto x : {a, b, c}) {
    acquire(x);
    wait(x);
  }
  acquire(d);
  notify(d, UINT32_MAX);
  h.reply(d);
  release(d);
  for (auto x : {a, b, c}) {
    EXPECT_EQ(woken(x), 1);
    release(x);
  }
}

TEST_P(condition_service_test, notify_without_waiters_is_lost) {
  acquire(a);
  notify(a, 1);
  h.reply(a);
  wait(a, timeout(10ms));
  h.advance(10ms);
  EXPECT_EQ(woken(a), 0);
  release(a);
}

TEST_P(condition_service_test, a_timed_out_wait_returns_false_holding_lock) {
  acquire(a);
  wait(a, timeout(10ms));
  acquire(b);
  h.advance(10ms);
  EXPECT_EQ(woken(a), -1); // timed out, but b holds the lock
  release(b);
  EXPECT_EQ(woken(a), 0);
  release(a);
}

TEST_P(condition_service_test, wait_zero_releases_and_times_out_at_once) {
  acquire(a);
  wait(a, no_wait);
  EXPECT_EQ(woken(a), 0);
  release(a);
}

TEST_P(condition_service_test, waiters_queued_for_the_lock_go_first) {
  acquire(a);
  h.call(b, mutex_op::acquire, forever); // queued
  wait(a, no_wait);
  EXPECT_EQ(h.status(b), acquired);
  EXPECT_EQ(woken(a), -1);
  release(b);
  EXPECT_EQ(woken(a), 0);
  release(a);
}

TEST_P(condition_service_test, conditions_on_one_lock_are_independent) {
  acquire(a);
  wait(a, forever, 1);
  acquire(b);
  wait(b, forever, 2);
  acquire(c);
  notify(c, 1, 2);
  h.reply(c);
  release(c);
  EXPECT_EQ(woken(a), -1);
  EXPECT_EQ(woken(b), 1);
  release(b);
}

TEST_P(condition_service_test, dead_waiters_are_never_notified) {
  acquire(a);
  wait(a);
  acquire(b);
  wait(b);
  h.down(a.pid);
  acquire(c);
  notify(c, 1);
  h.reply(c);
  release(c);
  EXPECT_EQ(woken(b), 1);
  release(b);
}

TEST_P(condition_service_test, holder_death_while_others_wait) {
  acquire(a);
  wait(a, timeout(10ms));
  acquire(b);
  h.advance(10ms); // a timed out and waits for b's lock
  h.down(b.pid);
  EXPECT_EQ(woken(a), 2); // not notified, took over from a dead holder
  release(a);
}

namespace {

class rlock_condition_test : public ::testing::Test {
protected:
  rlock_condition_test() {
    h.serve(spawn_rlock_service(h.sys()));
  }

  harness h;
};

} // namespace

TEST_F(rlock_condition_test, a_wait_restores_the_recursion_count) {
  h.call(a, mutex_op::acquire, forever);
  h.call(a, mutex_op::acquire, forever);
  EXPECT_EQ(h.status(a), acquired);
  EXPECT_EQ(h.status(a), acquired);
  h.call(a, mutex_op::wait, encode(uint64_t{1}) + forever);
  h.call(b, mutex_op::acquire, forever);
  EXPECT_EQ(h.status(b), acquired);
  h.call(b, mutex_op::notify, encode(uint64_t{1}, uint32_t{1}));
  h.call(b, mutex_op::release);
  h.reply(b);
  h.reply(b);
  EXPECT_EQ(h.status(a), 1);
  for (int i = 0; i < 2; ++i) {
    h.call(a, mutex_op::release);
    auto r = h.reply(a);
    EXPECT_TRUE(r && *r);
  }
  h.call(a, mutex_op::release);
  EXPECT_EQ(h.error_of(a), errc::invalid_state);
}

TEST_P(condition_service_test, stopping_the_service_fails_waits) {
  acquire(a);
  wait(a);
  h.stop();
  EXPECT_EQ(h.error_of(a), errc::invalid_argument);
}

INSTANTIATE_TEST_SUITE_P(on, condition_service_test, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "rlock" : "lock";
                         });

TEST(condition_handle, constructible_on_a_lock_or_rlock_without_services) {
  lock l;
  rlock r;
  condition c1;
  condition c2{l};
  condition c3{r};
  condition c4 = c2;
  EXPECT_FALSE(c4.owner_died());
}
