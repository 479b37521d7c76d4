// The lock service (internal/lock_service.hpp) on CAF's deterministic
// scheduler, and the parts of the `lock` handle that need no service.

#include "actorpool/lock.hpp"

#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "services/sync/lock_service.hpp"
#include "unit/sync_test_support.hpp"

using namespace actorpool;
using namespace actorpool::detail;
using namespace actorpool::test;
using namespace std::chrono_literals;

namespace {

class lock_service_test : public ::testing::Test {
protected:
  lock_service_test() {
    h.serve(spawn_lock_service(h.sys()));
  }

  void acquire(client_id x, const std::string& t = forever) {
    h.call(x, mutex_op::acquire, t);
  }

  void release(client_id x) {
    h.call(x, mutex_op::release);
  }

  harness h;
};

} // namespace

// Python: the first acquire succeeds, a non-blocking second one fails (a
// lock is not reentrant), release unlocks, a second release is an error.
TEST_F(lock_service_test, acquire_release_like_python) {
  acquire(a);
  EXPECT_EQ(h.status(a), acquired);
  acquire(a, no_wait);
  EXPECT_EQ(h.status(a), not_acquired);
  release(a);
  EXPECT_TRUE(h.reply(a).has_value());
  release(a);
  EXPECT_EQ(h.error_of(a), errc::invalid_state);
}

TEST_F(lock_service_test, any_client_may_release) {
  acquire(a);
  EXPECT_EQ(h.status(a), acquired);
  release(b);
  EXPECT_TRUE(h.reply(b).has_value());
  acquire(c, no_wait);
  EXPECT_EQ(h.status(c), acquired);
}

TEST_F(lock_service_test, waiters_are_granted_in_fifo_order) {
  acquire(a);
  EXPECT_EQ(h.status(a), acquired);
  acquire(b);
  acquire(c);
  acquire(d);
  EXPECT_EQ(h.status(b), -1);
  EXPECT_EQ(h.status(c), -1);
  release(a);
  h.reply(a);
  EXPECT_EQ(h.status(b), acquired);
  EXPECT_EQ(h.status(c), -1);
  release(b);
  h.reply(b);
  EXPECT_EQ(h.status(c), acquired);
  EXPECT_EQ(h.status(d), -1);
  release(c);
  h.reply(c);
  EXPECT_EQ(h.status(d), acquired);
}

TEST_F(lock_service_test, a_non_blocking_acquire_never_waits) {
  acquire(a);
  h.reply(a);
  acquire(b, no_wait);
  EXPECT_EQ(h.status(b), not_acquired);
  release(a);
  h.reply(a);
  EXPECT_EQ(h.status(b), -1); // nothing granted later
}

TEST_F(lock_service_test, timed_acquire_times_out_and_is_never_granted) {
  acquire(a);
  h.reply(a);
  acquire(b, timeout(10ms));
  acquire(c, timeout(20ms));
  h.advance(9ms);
  EXPECT_EQ(h.status(b), -1);
  h.advance(1ms);
  EXPECT_EQ(h.status(b), not_acquired);
  EXPECT_EQ(h.status(c), -1);
  release(a);
  h.reply(a);
  EXPECT_EQ(h.status(c), acquired);
  h.advance(20ms); // c's timer fires after the grant: no second reply
  EXPECT_EQ(h.status(c), -1);
  EXPECT_EQ(h.status(b), -1);
}

TEST_F(lock_service_test, holder_death_releases_and_reports_owner_died) {
  acquire(a);
  EXPECT_EQ(h.status(a), acquired);
  h.down(a.pid);
  acquire(b);
  EXPECT_EQ(h.status(b), acquired_owner_died);
  release(b);
  h.reply(b);
  acquire(c); // only the next acquirer is told
  EXPECT_EQ(h.status(c), acquired);
}

TEST_F(lock_service_test, holder_death_grants_the_next_waiter) {
  acquire(a);
  h.reply(a);
  acquire(b);
  acquire(c);
  h.down(a.pid);
  EXPECT_EQ(h.status(b), acquired_owner_died);
  EXPECT_EQ(h.status(c), -1);
}

TEST_F(lock_service_test, waiters_of_a_dead_process_are_forgotten) {
  acquire(a);
  h.reply(a);
  acquire(b);
  acquire(client_id{b.pid, 2}); // another thread of the same process
  acquire(c);
  h.down(b.pid);
  EXPECT_EQ(h.error_of(b), errc::invalid_argument); // nobody reads it
  release(a);
  h.reply(a);
  EXPECT_EQ(h.status(c), acquired);
}

TEST_F(lock_service_test, death_of_an_unrelated_process_changes_nothing) {
  acquire(a);
  h.reply(a);
  acquire(b);
  h.down(d.pid);
  EXPECT_EQ(h.status(b), -1);
  release(a);
  h.reply(a);
  EXPECT_EQ(h.status(b), acquired);
}

TEST_F(lock_service_test, describe_reports_owner_and_queue) {
  acquire(a);
  h.reply(a);
  acquire(b);
  h.call(c, mutex_op::describe);
  auto r = h.reply(c);
  ASSERT_TRUE(r && *r);
  int32_t pid = 0;
  uint64_t thread = 0;
  uint32_t count = 0, waiting = 0, cond_waiting = 0;
  decoder src{**r};
  src.read(pid, thread, count, waiting, cond_waiting);
  EXPECT_EQ(pid, a.pid);
  EXPECT_EQ(thread, a.thread);
  EXPECT_EQ(count, 1u);
  EXPECT_EQ(waiting, 1u);
  EXPECT_EQ(cond_waiting, 0u);
}

TEST_F(lock_service_test, stopping_the_service_fails_its_waiters) {
  acquire(a);
  h.reply(a);
  acquire(b);
  h.stop();
  EXPECT_EQ(h.error_of(b), errc::invalid_argument);
}

TEST_F(lock_service_test, malformed_payloads_and_ops_are_errors) {
  h.call(a, mutex_op::acquire, "x");
  EXPECT_EQ(h.error_of(a), errc::decoding_failed);
  h.call(a, 99);
  EXPECT_EQ(h.error_of(a), errc::invalid_argument);
  acquire(a, no_wait); // the service still works
  EXPECT_EQ(h.status(a), acquired);
}

TEST(lock_handle, wire_timeouts) {
  EXPECT_EQ(wire_timeout(0ms), 0);
  EXPECT_EQ(wire_timeout(-5ms), 0);
  EXPECT_EQ(wire_timeout(15ms), 15000000);
  EXPECT_EQ(wire_timeout(std::chrono::duration<double>{0.25}), 250000000);
  EXPECT_EQ(wire_timeout(std::chrono::hours::max()), -1);
  EXPECT_EQ(wire_timeout(std::chrono::duration<double>{1e300}), -1);
}

TEST(lock_handle, died_flag_is_copied_by_value) {
  died_flag x;
  x.set(true);
  died_flag y = x;
  EXPECT_TRUE(y.get());
  y.set(false);
  EXPECT_TRUE(x.get());
  x = y;
  EXPECT_FALSE(x.get());
}

TEST(lock_handle, copies_are_equal_without_creating_a_service) {
  lock x;
  lock y = x;
  lock z;
  EXPECT_TRUE(x == y);
  EXPECT_FALSE(x == z); // neither service exists: they cannot be the same
  EXPECT_FALSE(x.owner_died());
}

namespace {

struct counting_lockable {
  int acquired = 0;
  int released = 0;

  bool acquire() {
    ++acquired;
    return true;
  }

  void release() {
    ++released;
  }
};

} // namespace

TEST(lock_handle, lock_guard_acquires_and_releases) {
  counting_lockable l;
  {
    lock_guard<counting_lockable> guard{l};
    EXPECT_EQ(l.acquired, 1);
    EXPECT_EQ(l.released, 0);
  }
  EXPECT_EQ(l.released, 1);
}
