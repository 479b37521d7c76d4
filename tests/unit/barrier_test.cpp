// The barrier service (internal/barrier_service.hpp) on CAF's deterministic
// scheduler; actions run in a scheduled actor there.

#include "actorpool/barrier.hpp"

#include <chrono>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "actorpool/exceptions.hpp"
#include "services/sync/barrier_service.hpp"
#include "unit/sync_test_support.hpp"

using namespace actorpool;
using namespace actorpool::detail;
using namespace actorpool::test;
using namespace std::chrono_literals;

namespace {

int generations = 0;

void count_generation() {
  ++generations;
}

void failing_action() {
  throw std::runtime_error("action failed");
}

class barrier_service_test : public ::testing::Test {
protected:
  void start(int32_t parties, std::string action = {},
             int64_t timeout_ns = -1) {
    barrier_config cfg;
    cfg.parties = parties;
    cfg.action = std::move(action);
    cfg.timeout_ns = timeout_ns;
    cfg.detach_action = false;
    h.serve(spawn_barrier_service(h.sys(), cfg));
  }

  void wait(client_id x, const std::string& t = forever) {
    h.call(x, barrier_op::wait, t);
  }

  /// The index `x`'s wait answered; -1 without reply, -2 for an error.
  int index(client_id x) {
    auto r = h.reply(x);
    if (!r)
      return -1;
    if (!*r) {
      EXPECT_EQ(static_cast<errc>(r->error().code()), errc::broken_barrier);
      return -2;
    }
    return decode_one<int32_t>(**r);
  }

  bool broken() {
    h.call(d, barrier_op::broken);
    return decode_one<bool>(**h.reply(d));
  }

  int n_waiting() {
    h.call(d, barrier_op::n_waiting);
    return decode_one<int32_t>(**h.reply(d));
  }

  void op(wire_op x) {
    h.call(d, x);
    h.reply(d);
  }

  harness h;
};

} // namespace

ACTORPOOL_TASK(count_generation)
ACTORPOOL_TASK(failing_action)

TEST_F(barrier_service_test, releases_all_parties_with_arrival_indexes) {
  start(3);
  for (int pass = 0; pass < 3; ++pass) {
    wait(a);
    wait(b);
    EXPECT_EQ(index(a), -1);
    EXPECT_EQ(n_waiting(), 2);
    wait(c);
    EXPECT_EQ(index(a), 0);
    EXPECT_EQ(index(b), 1);
    EXPECT_EQ(index(c), 2);
    EXPECT_EQ(n_waiting(), 0);
  }
  EXPECT_FALSE(broken());
}

TEST_F(barrier_service_test, single_party_never_waits) {
  start(1);
  wait(a);
  EXPECT_EQ(index(a), 0);
  wait(a);
  EXPECT_EQ(index(a), 0);
}

TEST_F(barrier_service_test, a_wait_timeout_breaks_the_barrier) {
  start(3);
  wait(a);
  wait(b, timeout(10ms));
  h.advance(10ms);
  EXPECT_EQ(index(a), -2);
  EXPECT_EQ(index(b), -2);
  EXPECT_TRUE(broken());
  wait(c);
  EXPECT_EQ(index(c), -2);
  op(barrier_op::reset);
  EXPECT_FALSE(broken());
  for (auto x : {a, b, c})
    wait(x);
  EXPECT_EQ(index(c), 2);
}

TEST_F(barrier_service_test, the_default_timeout_applies) {
  start(2, {}, 5000000);
  h.call(a, barrier_op::wait, encode(barrier_default_timeout));
  h.advance(4ms);
  EXPECT_EQ(index(a), -1);
  h.advance(1ms);
  EXPECT_EQ(index(a), -2);
  EXPECT_TRUE(broken());
}

TEST_F(barrier_service_test, timers_of_a_passed_generation_do_nothing) {
  start(2);
  wait(a, timeout(10ms));
  wait(b);
  EXPECT_EQ(index(a), 0);
  EXPECT_EQ(index(b), 1);
  h.advance(10ms);
  EXPECT_FALSE(broken());
}

TEST_F(barrier_service_test, abort_breaks_until_reset) {
  start(3);
  wait(a);
  op(barrier_op::abort);
  EXPECT_EQ(index(a), -2);
  EXPECT_TRUE(broken());
  EXPECT_EQ(n_waiting(), 0);
  wait(b);
  EXPECT_EQ(index(b), -2);
  op(barrier_op::reset);
  EXPECT_FALSE(broken());
}

TEST_F(barrier_service_test, reset_fails_pending_waits_but_does_not_break) {
  start(2);
  wait(a);
  op(barrier_op::reset);
  EXPECT_EQ(index(a), -2);
  EXPECT_FALSE(broken());
  wait(b);
  wait(c);
  EXPECT_EQ(index(b), 0);
  EXPECT_EQ(index(c), 1);
}

TEST_F(barrier_service_test, death_of_a_waiting_process_breaks_it) {
  start(3);
  wait(a);
  wait(b);
  h.down(c.pid); // not waiting: no effect
  EXPECT_FALSE(broken());
  h.down(a.pid);
  EXPECT_EQ(index(b), -2);
  EXPECT_TRUE(broken());
}

TEST_F(barrier_service_test, the_action_runs_once_per_generation) {
  generations = 0;
  start(2, "count_generation");
  for (int pass = 1; pass <= 3; ++pass) {
    wait(a);
    EXPECT_EQ(generations, pass - 1);
    wait(b);
    EXPECT_EQ(generations, pass);
    EXPECT_EQ(index(a), 0);
    EXPECT_EQ(index(b), 1);
  }
}

TEST_F(barrier_service_test, arrivals_while_the_action_runs_wait_for_next) {
  generations = 0;
  start(2, "count_generation");
  wait(a);
  h.post(b, barrier_op::wait, forever);
  h.sched().run_once(); // b arrives: the action runner is spawned
  h.post(c, barrier_op::wait, forever);
  h.sched().run();
  EXPECT_EQ(generations, 1);
  EXPECT_EQ(index(a), 0);
  EXPECT_EQ(index(b), 1);
  EXPECT_EQ(index(c), -1);
  EXPECT_EQ(n_waiting(), 1);
  wait(d);
  EXPECT_EQ(index(c), 0);
  EXPECT_EQ(index(d), 1);
}

TEST_F(barrier_service_test, a_failing_action_breaks_the_barrier) {
  start(2, "failing_action");
  wait(a);
  wait(b);
  auto r = h.reply(a);
  ASSERT_TRUE(r && !*r);
  EXPECT_NE(render(r->error()).find("action failed"), std::string::npos);
  EXPECT_EQ(index(b), -2);
  EXPECT_TRUE(broken());
}

TEST_F(barrier_service_test, an_unknown_action_breaks_the_barrier) {
  start(1, "no_such_task");
  wait(a);
  EXPECT_EQ(index(a), -2);
}

TEST_F(barrier_service_test, stopping_the_service_fails_its_waiters) {
  start(2);
  wait(a);
  h.stop();
  EXPECT_EQ(index(a), -2);
}

TEST(barrier_handle, parties_are_checked_and_empty_handles_refuse) {
  EXPECT_THROW(barrier{0}, bad_argument);
  barrier b{3};
  EXPECT_EQ(b.parties(), 3);
  barrier with_action{2, count_generation};
  barrier with_timeout{2, 50ms};
  barrier both{2, count_generation, 1s};
  EXPECT_EQ(both.parties(), 2);
  barrier empty;
  EXPECT_THROW(empty.wait(), state_error);
  EXPECT_THROW(empty.broken(), state_error);
}

TEST(barrier_handle, unregistered_actions_are_refused) {
  EXPECT_THROW((barrier{2,
                        +[] {
                        }}),
               unknown_task_error);
}
