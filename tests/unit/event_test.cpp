// The event service (internal/event_service.hpp) on CAF's deterministic
// scheduler.

#include "actorpool/event.hpp"

#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "services/sync/event_service.hpp"
#include "unit/sync_test_support.hpp"

using namespace actorpool;
using namespace actorpool::detail;
using namespace actorpool::test;
using namespace std::chrono_literals;

namespace {

class event_service_test : public ::testing::Test {
protected:
  event_service_test() {
    h.serve(spawn_event_service(h.sys()));
  }

  void wait(client_id x, const std::string& t = forever) {
    h.call(x, event_op::wait, t);
  }

  /// The flag a wait or is_set answered: 0/1, -1 without reply.
  int flag(client_id x) {
    auto r = h.reply(x);
    if (!r)
      return -1;
    return decode_one<bool>(**r) ? 1 : 0;
  }

  bool is_set() {
    h.call(d, event_op::is_set);
    return flag(d) == 1;
  }

  void set() {
    h.call(d, event_op::set);
    h.reply(d);
  }

  void clear() {
    h.call(d, event_op::clear);
    h.reply(d);
  }

  harness h;
};

} // namespace

// Python's _TestEvent.test_event without the timing.
TEST_F(event_service_test, like_python) {
  EXPECT_FALSE(is_set());
  wait(a, no_wait);
  EXPECT_EQ(flag(a), 0);
  wait(a, timeout(10ms));
  EXPECT_EQ(flag(a), -1);
  h.advance(10ms);
  EXPECT_EQ(flag(a), 0);
  set();
  EXPECT_TRUE(is_set());
  wait(a);
  EXPECT_EQ(flag(a), 1);
  wait(a, timeout(10ms));
  EXPECT_EQ(flag(a), 1);
  clear();
  EXPECT_FALSE(is_set());
  wait(a);
  EXPECT_EQ(flag(a), -1);
  set();
  EXPECT_EQ(flag(a), 1);
}

TEST_F(event_service_test, set_wakes_every_waiter_once) {
  wait(a);
  wait(b, timeout(50ms));
  wait(c);
  set();
  EXPECT_EQ(flag(a), 1);
  EXPECT_EQ(flag(b), 1);
  EXPECT_EQ(flag(c), 1);
  h.advance(50ms); // b's timer: no second reply
  EXPECT_EQ(flag(b), -1);
}

TEST_F(event_service_test, set_then_clear_before_anyone_looks) {
  wait(a);
  set();
  clear();
  EXPECT_EQ(flag(a), 1); // woken by the set
  EXPECT_FALSE(is_set());
}

TEST_F(event_service_test, waits_of_a_dead_process_are_forgotten) {
  wait(a);
  wait(b);
  h.down(a.pid);
  EXPECT_EQ(h.error_of(a), errc::invalid_argument); // nobody reads it
  h.call(d, event_op::describe);
  EXPECT_EQ(decode_one<uint32_t>(**h.reply(d)), 1u);
  set();
  EXPECT_EQ(flag(b), 1);
}

TEST_F(event_service_test, stopping_the_service_fails_its_waiters) {
  wait(a);
  h.stop();
  EXPECT_EQ(h.error_of(a), errc::invalid_argument);
}

TEST(event_handle, copies_are_equal_without_creating_a_service) {
  event x;
  event y = x;
  event z;
  EXPECT_TRUE(x == y);
  y = z;
  EXPECT_TRUE(y == z);
}
