// The semaphore service (internal/semaphore_service.hpp) on CAF's
// deterministic scheduler.

#include "actorpool/semaphore.hpp"

#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "actorpool/exceptions.hpp"
#include "services/sync/semaphore_service.hpp"
#include "unit/sync_test_support.hpp"

using namespace actorpool;
using namespace actorpool::detail;
using namespace actorpool::test;
using namespace std::chrono_literals;

namespace {

class semaphore_service_test : public ::testing::Test {
protected:
  void start(int64_t value, bool bounded) {
    h.serve(spawn_semaphore_service(h.sys(), value, bounded));
  }

  void acquire(client_id x, const std::string& t = forever) {
    h.call(x, semaphore_op::acquire, t);
  }

  void release(client_id x) {
    h.call(x, semaphore_op::release);
  }

  int64_t value() {
    h.call(d, semaphore_op::value);
    return decode_one<int64_t>(**h.reply(d));
  }

  harness h;
};

} // namespace

// Python's _TestSemaphore._test_semaphore, then releases above the start.
TEST_F(semaphore_service_test, counts_like_python) {
  start(2, false);
  EXPECT_EQ(value(), 2);
  acquire(a);
  EXPECT_EQ(h.status(a), acquired);
  EXPECT_EQ(value(), 1);
  acquire(a);
  EXPECT_EQ(h.status(a), acquired);
  EXPECT_EQ(value(), 0);
  acquire(a, no_wait);
  EXPECT_EQ(h.status(a), not_acquired);
  EXPECT_EQ(value(), 0);
  for (int64_t expected = 1; expected <= 4; ++expected) {
    release(a);
    EXPECT_TRUE(h.reply(a).has_value());
    EXPECT_EQ(value(), expected);
  }
}

TEST_F(semaphore_service_test, bounded_refuses_to_exceed_its_start) {
  start(2, true);
  acquire(a);
  h.reply(a);
  release(a);
  h.reply(a);
  release(a);
  EXPECT_EQ(h.error_of(a), errc::invalid_state);
  EXPECT_EQ(value(), 2);
}

TEST_F(semaphore_service_test, waiters_get_units_in_fifo_order) {
  start(1, false);
  acquire(a);
  h.reply(a);
  acquire(b);
  acquire(c);
  release(a);
  h.reply(a);
  EXPECT_EQ(h.status(b), acquired);
  EXPECT_EQ(h.status(c), -1);
  release(a); // anybody may release
  h.reply(a);
  EXPECT_EQ(h.status(c), acquired);
  EXPECT_EQ(value(), 0);
}

TEST_F(semaphore_service_test, timeouts_return_false) {
  start(0, false);
  acquire(a, timeout(10ms));
  acquire(b, timeout(30ms));
  h.advance(10ms);
  EXPECT_EQ(h.status(a), not_acquired);
  EXPECT_EQ(h.status(b), -1);
  release(c);
  h.reply(c);
  EXPECT_EQ(h.status(b), acquired);
  h.advance(30ms);
  EXPECT_EQ(h.status(b), -1);
}

TEST_F(semaphore_service_test, units_of_a_dead_process_come_back) {
  start(2, false);
  acquire(a);
  acquire(a);
  h.reply(a);
  h.reply(a);
  acquire(b);
  h.down(a.pid);
  EXPECT_EQ(h.status(b), acquired_owner_died);
  acquire(c);
  EXPECT_EQ(h.status(c), acquired_owner_died);
  acquire(c, no_wait);
  EXPECT_EQ(h.status(c), not_acquired);
  release(c);
  h.reply(c);
  acquire(c); // an ordinary unit again
  EXPECT_EQ(h.status(c), acquired);
}

TEST_F(semaphore_service_test, released_units_are_not_returned_twice) {
  start(2, true);
  acquire(a);
  acquire(a);
  h.reply(a);
  h.reply(a);
  release(a);
  h.reply(a);
  h.down(a.pid); // a still held one unit
  EXPECT_EQ(value(), 2);
  release(b);
  EXPECT_EQ(h.error_of(b), errc::invalid_state);
}

TEST_F(semaphore_service_test, foreign_release_returns_the_oldest_unit) {
  start(2, true);
  acquire(a);
  h.reply(a);
  release(b); // b holds nothing: a's unit comes back
  h.reply(b);
  h.down(a.pid); // nothing left to return: never above the bound
  EXPECT_EQ(value(), 2);
  acquire(c);
  EXPECT_EQ(h.status(c), acquired);
}

TEST_F(semaphore_service_test, waiters_of_a_dead_process_are_forgotten) {
  start(0, false);
  acquire(a);
  acquire(b);
  h.down(a.pid);
  release(c);
  h.reply(c);
  EXPECT_EQ(h.status(b), acquired);
  EXPECT_EQ(value(), 0);
}

TEST_F(semaphore_service_test, stopping_the_service_fails_its_waiters) {
  start(0, false);
  acquire(a);
  h.stop();
  EXPECT_EQ(h.error_of(a), errc::invalid_argument);
}

TEST(semaphore_handle, negative_start_is_a_bad_argument) {
  EXPECT_THROW(semaphore{-1}, bad_argument);
  EXPECT_THROW(bounded_semaphore{-1}, bad_argument);
  semaphore s{0};
  bounded_semaphore bs{3};
  semaphore as_base = bs;
  EXPECT_TRUE(as_base == bs);
  EXPECT_FALSE(s.owner_died());
}
