// Taking chunks back from a worker busy with a long one, for a worker that
// has nothing to do, and how that meets cancellation, timeouts, worker
// deaths, retirement and streams. Driven step by step with a fake
// environment and clock.

#include "coordinator/coordinator_core.hpp"

#include "coordinator_harness.hpp"

using namespace actorpool::test;
using actorpool::detail::coordinator_core;

namespace {

using ids = std::vector<uint64_t>;
using revokes = std::vector<std::pair<uint64_t, ids>>;

/// Worker 1 runs chunk 1 with chunk 3 queued behind it; worker 2 has done
/// chunk 2 and is idle; the revoke of chunk 3 has gone out.
job_ptr revoke_third(harness& h, std::chrono::milliseconds timeout = {}) {
  h.start_ready();
  auto job = h.submit(3, 1, timeout);
  EXPECT_EQ(h.env.sent_to(1), (ids{1, 3}));
  EXPECT_EQ(h.env.sent_to(2), (ids{2}));
  h.ok(2, 2);
  h.env.advance(coordinator_core::revoke_after);
  h.core.on_timer(timer_kind::rebalance, 0);
  EXPECT_EQ(h.env.revokes, (revokes{{1, {3}}}));
  return job;
}

} // namespace

TEST(coordinator_revoke, a_chunk_behind_a_long_one_goes_to_an_idle_worker) {
  harness h{config(2, 2)};
  h.start_ready();
  auto job = h.submit(3);
  h.ok(2, 2); // chunk 1 has only just started: too early to tell
  EXPECT_TRUE(h.env.revokes.empty());
  ASSERT_EQ(h.env.timers_of(timer_kind::rebalance), 1u);
  EXPECT_EQ(h.env.timers.back().delay, coordinator_core::revoke_after);
  h.env.advance(coordinator_core::revoke_after);
  h.core.on_timer(timer_kind::rebalance, 0);
  EXPECT_EQ(h.env.revokes, (revokes{{1, {3}}}));
  h.not_started(1, 3);
  EXPECT_EQ(h.env.sent_to(2), (ids{2, 3}));
  h.ok(2, 3);
  h.ok(1, 1);
  EXPECT_EQ(job->delivered.size(), 3u);
  EXPECT_TRUE(job->failed.empty());
  auto st = h.core.stats();
  EXPECT_EQ(st.revoked, 1u);
  EXPECT_EQ(st.completed, 3u);
  EXPECT_EQ(st.cancelled, 0u);
}

TEST(coordinator_revoke, a_chunk_that_started_already_reports_as_usual) {
  harness h{config(2, 2)};
  auto job = revoke_third(h);
  h.ok(1, 1);
  h.ok(1, 3, "third");
  ASSERT_EQ(job->delivered.size(), 3u);
  EXPECT_EQ(job->delivered.back().payload, "third");
  EXPECT_EQ(h.env.sent_to(2), (ids{2}));
  EXPECT_EQ(h.core.stats().revoked, 0u);
}

TEST(coordinator_revoke, nothing_is_taken_back_while_every_worker_is_busy) {
  harness h{config(2, 2)};
  h.start_ready();
  h.submit(4);
  h.env.advance(std::chrono::milliseconds{50});
  h.core.on_timer(timer_kind::rebalance, 0);
  EXPECT_TRUE(h.env.revokes.empty());
  EXPECT_EQ(h.env.timers_of(timer_kind::rebalance), 0u);
}

TEST(coordinator_revoke, nothing_is_sent_ahead_to_a_worker_running_long) {
  harness h{config(2, 4)};
  h.start_ready();
  h.submit(2);
  h.env.advance(coordinator_core::revoke_after);
  h.submit(1);
  EXPECT_EQ(h.env.sent_to(1), (ids{1}));
  EXPECT_EQ(h.env.sent_to(2), (ids{2}));
  EXPECT_EQ(h.core.stats().queued, 1u);
  h.ok(2, 2); // the first worker to be free gets it
  EXPECT_EQ(h.env.sent_to(2), (ids{2, 3}));
}

// A worker that runs out of work gets the next queued chunk at once, and the
// older chunk waiting behind a long one is taken back, to go next.
TEST(coordinator_revoke, a_worker_taking_newer_work_takes_back_older_work) {
  harness h{config(2, 2)};
  h.start_ready();
  h.submit(3); // worker 1: 1, 3; worker 2: 2
  h.env.advance(coordinator_core::revoke_after);
  h.submit(1); // chunk 4 waits: both workers run long
  EXPECT_EQ(h.core.stats().queued, 1u);
  h.ok(2, 2);
  EXPECT_EQ(h.env.sent_to(2), (ids{2, 4}));
  EXPECT_EQ(h.env.revokes, (revokes{{1, {3}}}));
  h.not_started(1, 3);
  h.ok(2, 4);
  EXPECT_EQ(h.env.sent_to(2), (ids{2, 4, 3}));
}

TEST(coordinator_revoke, one_frame_per_worker_and_the_oldest_first) {
  harness h{config(2, 4)};
  h.start_ready();
  h.submit(5);
  EXPECT_EQ(h.env.sent_to(1), (ids{1, 3, 5}));
  h.ok(2, 2);
  h.ok(2, 4);
  h.env.advance(coordinator_core::revoke_after);
  h.core.on_timer(timer_kind::rebalance, 0);
  EXPECT_EQ(h.env.revokes, (revokes{{1, {3, 5}}}));
  h.results(1, {result_msg{3, result_msg::not_started, 0, {}},
                result_msg{5, result_msg::not_started, 0, {}}});
  EXPECT_EQ(h.env.sent_to(2), (ids{2, 4, 3, 5}));
}

TEST(coordinator_revoke, a_chunk_taken_back_goes_ahead_of_newer_work) {
  harness h{config(2, 2)};
  revoke_third(h);
  h.submit(3); // 4 and 5 to the idle worker 2, 6 waits
  EXPECT_EQ(h.env.sent_to(2), (ids{2, 4, 5}));
  h.not_started(1, 3);
  EXPECT_EQ(h.core.stats().queued, 2u);
  h.ok(2, 4);
  EXPECT_EQ(h.env.sent_to(2), (ids{2, 4, 5, 3}));
}

TEST(coordinator_revoke, a_chunk_taken_back_keeps_its_retry_budget) {
  auto cfg = config(2, 2);
  cfg.max_retries = 1;
  harness h{cfg};
  auto job = revoke_third(h);
  h.not_started(1, 3);
  EXPECT_EQ(h.env.sent_to(2), (ids{2, 3}));
  h.exit(2, -SIGKILL); // chunk 3 dies alone: its first attempt
  EXPECT_TRUE(job->failed.empty());
  h.hello(3);
  EXPECT_EQ(h.env.sent_to(3), (ids{3}));
  h.ok(3, 3);
  h.ok(1, 1);
  EXPECT_EQ(job->delivered.size(), 3u);
}

TEST(coordinator_revoke, a_cancelled_chunk_taken_back_ends_as_never_started) {
  harness h{config(2, 2)};
  h.start_ready();
  h.submit(2);
  auto third = h.submit(1);
  h.ok(2, 2);
  h.env.advance(coordinator_core::revoke_after);
  h.core.on_timer(timer_kind::rebalance, 0);
  EXPECT_EQ(h.env.revokes, (revokes{{1, {3}}}));
  h.core.cancel(third);
  EXPECT_EQ(h.env.cancels,
            (std::vector<std::pair<uint64_t, uint64_t>>{{1, 3}}));
  h.not_started(1, 3);
  ASSERT_EQ(third->failed.size(), 1u);
  EXPECT_EQ(code_of(third->failed[0].second), errc::cancelled);
  EXPECT_EQ(h.env.sent_to(2), (ids{2}));
  EXPECT_EQ(h.core.stats().cancelled, 1u);
  EXPECT_EQ(h.core.stats().revoked, 0u);
}

TEST(coordinator_revoke, a_chunk_being_cancelled_is_left_to_its_cancel) {
  harness h{config(2, 2)};
  h.start_ready();
  h.submit(2);
  auto third = h.submit(1);
  h.core.cancel(third);
  h.ok(2, 2);
  h.env.advance(coordinator_core::revoke_after);
  h.core.on_timer(timer_kind::rebalance, 0);
  EXPECT_TRUE(h.env.revokes.empty());
}

TEST(coordinator_revoke, a_worker_dying_with_a_revoke_out_loses_nothing) {
  harness h{config(2, 2)};
  auto job = revoke_third(h);
  h.exit(1, -SIGKILL); // chunks 1 and 3 died together: suspects
  EXPECT_EQ(h.env.sent_to(2), (ids{2, 1}));
  h.not_started(1, 3); // from the dead worker: ignored
  h.hello(3);
  EXPECT_EQ(h.env.sent_to(3), (ids{3}));
  h.ok(2, 1);
  h.ok(3, 3);
  EXPECT_EQ(job->delivered.size(), 3u);
  EXPECT_TRUE(job->failed.empty());
  EXPECT_EQ(h.core.stats().revoked, 0u);
}

TEST(coordinator_revoke, a_retiring_worker_gives_back_its_queued_chunks) {
  auto cfg = config(2, 2);
  cfg.max_tasks_per_child = 2;
  harness h{cfg};
  revoke_third(h); // worker 1 retired after chunk 3 was assigned
  h.not_started(1, 3);
  EXPECT_EQ(h.env.sent_to(2), (ids{2, 3}));
  h.ok(1, 1);
  EXPECT_EQ(h.env.shutdowns, (ids{1}));
}

TEST(coordinator_revoke, a_chunk_taken_back_does_not_count_for_max_tasks) {
  auto cfg = config(2, 2);
  cfg.max_tasks_per_child = 3;
  harness h{cfg};
  revoke_third(h);
  h.not_started(1, 3);
  h.ok(1, 1);
  h.submit(2); // worker 1 has run one task: both fit before it retires
  EXPECT_EQ(h.env.sent_to(1), (ids{1, 3, 4, 5}));
}

TEST(coordinator_revoke, the_timeout_clock_starts_again_in_the_new_worker) {
  harness h{config(2, 2)};
  auto t0 = h.env.clock;
  revoke_third(h, std::chrono::milliseconds{50});
  h.not_started(1, 3);
  auto& last = h.env.timers.back();
  EXPECT_EQ(last.kind, timer_kind::deadline);
  EXPECT_EQ(last.wid, 2u);
  EXPECT_EQ(last.at, h.env.clock + std::chrono::milliseconds{50});
  h.env.clock = t0 + std::chrono::milliseconds{50};
  h.core.on_timer(timer_kind::deadline, 2);
  EXPECT_EQ(h.core.stats().timed_out, 0u);
  EXPECT_TRUE(h.env.kills.empty());
}

TEST(coordinator_revoke, a_stream_counts_a_chunk_taken_back_once) {
  harness h{config(2, 2)};
  h.start_ready();
  auto job = h.open_stream(10);
  h.core.on_input(1, make_chunks(3), true);
  h.ok(2, 2);
  h.env.advance(coordinator_core::revoke_after);
  h.core.on_timer(timer_kind::rebalance, 0);
  h.not_started(1, 3);
  h.ok(2, 3);
  h.ok(1, 1);
  ASSERT_EQ(job->settlements.size(), 1u);
  EXPECT_EQ(job->settlements[0].completed, 3u);
  EXPECT_EQ(job->settlements[0].never_started, 0u);
  EXPECT_EQ(job->settlements[0].cancelled, 0u);
}
