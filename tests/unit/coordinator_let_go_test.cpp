// When the coordinator lets a worker go: the services are told (client_gone)
// once per worker, before any chunk of that worker is reported to its
// caller, whatever ended the worker (death, timeout, cancel, terminate). A
// caller that learns of the end and then uses a queue must find the dead
// process gone from it.

#include "coordinator/coordinator_core.hpp"

#include "coordinator_harness.hpp"

using namespace actorpool::test;

namespace {

using pids = std::vector<int>;

} // namespace

TEST(coordinator_let_go, a_dead_worker_is_let_go_before_its_task_fails) {
  auto cfg = config(1);
  cfg.max_retries = 0;
  harness h{cfg};
  h.start_ready();
  auto job = h.submit(1);
  h.exit(1, -SIGKILL);
  ASSERT_EQ(job->failed.size(), 1u);
  EXPECT_EQ(code_of(job->failed[0].second), errc::worker_died);
  EXPECT_EQ(job->gone_when_failed[0], (pids{h.pid(1)}));
  EXPECT_EQ(h.env.gone_clients, (pids{h.pid(1)}));
}

TEST(coordinator_let_go,
     the_services_hear_of_a_closed_connection_before_the_reap) {
  harness h{config(1)};
  h.start_ready();
  auto job = h.submit(1);
  h.core.on_down(1, "connection closed"); // the process lingers
  EXPECT_EQ(h.env.gone_clients, (pids{h.pid(1)}));
  EXPECT_TRUE(job->failed.empty());
  h.env.exits[1] = exit_status{-SIGKILL, true};
  h.env.reap(1);
  EXPECT_EQ(h.env.gone_clients, (pids{h.pid(1)})); // told once
  EXPECT_EQ(h.env.started.size(), 2u);
}

TEST(coordinator_let_go, a_timed_out_worker_is_let_go_before_its_task_fails) {
  harness h{config(1, 2)};
  h.start_ready();
  auto slow = h.submit(1, 1, 50ms);
  auto other = h.submit(1);
  h.env.advance(50ms);
  h.core.on_timer(timer_kind::deadline, 1);
  ASSERT_EQ(slow->failed.size(), 1u);
  EXPECT_EQ(code_of(slow->failed[0].second), errc::timeout);
  EXPECT_EQ(slow->gone_when_failed[0], (pids{h.pid(1)}));
  EXPECT_TRUE(other->failed.empty()); // queued again
  h.exit(1, -SIGKILL);
  EXPECT_EQ(h.env.gone_clients, (pids{h.pid(1)}));
}

TEST(coordinator_let_go, a_worker_killed_for_a_cancel_is_let_go_first) {
  auto cfg = config(1, 1);
  cfg.cancel_grace = 100ms;
  harness h{cfg};
  h.start_ready();
  auto job = h.submit(1);
  h.core.cancel(job);
  EXPECT_TRUE(h.env.gone_clients.empty()); // asked to stop, still served
  h.env.advance(100ms);
  h.core.on_timer(timer_kind::cancel_grace, 1);
  ASSERT_EQ(job->failed.size(), 1u);
  EXPECT_EQ(code_of(job->failed[0].second), errc::cancelled);
  EXPECT_EQ(job->gone_when_failed[0], (pids{h.pid(1)}));
}

TEST(coordinator_let_go, terminate_lets_every_worker_go_before_failing_work) {
  harness h{config(2, 1)};
  h.start_ready();
  auto job = h.submit(3); // one running in each worker, one queued
  h.core.terminate();
  ASSERT_EQ(job->failed.size(), 3u);
  for (auto& gone : job->gone_when_failed)
    EXPECT_EQ(gone, (pids{h.pid(1), h.pid(2)}));
  h.exit(1, -SIGTERM);
  h.exit(2, -SIGTERM);
  EXPECT_EQ(h.env.gone_clients, (pids{h.pid(1), h.pid(2)}));
}

TEST(coordinator_let_go, a_worker_that_exits_normally_is_let_go_once) {
  harness h{config(1)};
  h.start_ready();
  h.core.close();
  ASSERT_EQ(h.env.shutdowns, (std::vector<uint64_t>{1}));
  EXPECT_TRUE(h.env.gone_clients.empty());
  h.exit(1, 0);
  EXPECT_EQ(h.env.gone_clients, (pids{h.pid(1)}));
}
