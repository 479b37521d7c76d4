// Cancellation, per-task timeouts and stopped streams in the coordinator's
// logic, driven step by step with a fake environment and clock.

#include "coordinator/coordinator_core.hpp"

#include "coordinator_harness.hpp"

using namespace actorpool::test;
using actorpool::detail::stream_counts;

namespace {

bool same_counts(const stream_counts& x, uint64_t completed, uint64_t cancelled,
                 uint64_t never_started) {
  return x.completed == completed && x.cancelled == cancelled
         && x.never_started == never_started;
}

/// Feeds `n` chunks of one item into stream 1.
void feed(harness& h, size_t n, bool end) {
  h.core.on_input(1, make_chunks(n), end);
}

} // namespace

// -- cancel -------------------------------------------------------------------

TEST(coordinator_cancel, queued_chunks_are_dropped_at_once) {
  harness h{config(1, 1)};
  h.start_ready();
  auto job = h.submit(3);
  ASSERT_EQ(h.env.sent_to(1), (std::vector<uint64_t>{1}));
  h.core.cancel(job);
  ASSERT_EQ(job->failed.size(), 2u);
  EXPECT_EQ(code_of(job->failed[0].second), errc::cancelled);
  EXPECT_EQ(h.env.cancels,
            (std::vector<std::pair<uint64_t, uint64_t>>{{1, 1}}));
  EXPECT_EQ(h.env.timers_of(timer_kind::cancel_grace), 1u);
  EXPECT_EQ(h.core.stats().cancelled, 2u);
}

TEST(coordinator_cancel, a_cancelled_task_that_returns_frees_its_worker) {
  harness h{config(1, 1)};
  h.start_ready();
  auto job = h.submit(1);
  auto other = h.submit(1);
  h.core.cancel(job);
  h.ok(1, 1);
  EXPECT_TRUE(job->delivered.empty()); // the late result is not reported
  ASSERT_EQ(job->failed.size(), 1u);
  EXPECT_EQ(code_of(job->failed[0].second), errc::cancelled);
  EXPECT_EQ(h.env.sent_to(1), (std::vector<uint64_t>{1, 2}));
  EXPECT_TRUE(h.env.kills.empty());
  h.env.advance(200ms);
  h.core.on_timer(timer_kind::cancel_grace, 1);
  EXPECT_TRUE(h.env.kills.empty()); // its grace ended with it
  EXPECT_TRUE(other->failed.empty());
}

TEST(coordinator_cancel, a_task_dropped_before_it_started_ends_cancelled) {
  harness h{config(1, 2)};
  h.start_ready();
  auto job = h.submit(2);
  h.core.cancel(job);
  h.not_started(1, 2);
  h.ok(1, 1);
  ASSERT_EQ(job->failed.size(), 2u);
  EXPECT_TRUE(job->delivered.empty());
  EXPECT_TRUE(h.env.kills.empty());
  EXPECT_EQ(h.core.stats().in_flight, 0u);
}

TEST(coordinator_cancel, a_task_running_past_the_grace_period_is_killed) {
  auto cfg = config(1, 2);
  cfg.cancel_grace = 100ms;
  harness h{cfg};
  h.start_ready();
  auto job = h.submit(1);
  auto innocent = h.submit(1);
  ASSERT_EQ(h.env.sent_to(1), (std::vector<uint64_t>{1, 2}));
  h.core.cancel(job);
  h.env.advance(60ms);
  h.core.on_timer(timer_kind::cancel_grace, 1);
  EXPECT_TRUE(h.env.kills.empty()); // too early: the timer is set again
  EXPECT_EQ(h.env.timers.back().kind, timer_kind::cancel_grace);
  EXPECT_EQ(h.env.timers.back().delay, 40ms);
  h.env.advance(40ms);
  h.core.on_timer(timer_kind::cancel_grace, 1);
  EXPECT_TRUE(h.env.killed(1));
  EXPECT_EQ(h.env.started, (std::vector<uint64_t>{1, 2})); // replacement
  ASSERT_EQ(job->failed.size(), 1u);
  EXPECT_TRUE(innocent->failed.empty());
  // The innocent chunk runs again on the replacement, at no retry cost.
  h.hello(2);
  EXPECT_EQ(h.env.sent_to(2), (std::vector<uint64_t>{2}));
  h.exit(1, -SIGKILL);
  auto st = h.core.stats();
  EXPECT_EQ(st.workers_killed, 1u);
  EXPECT_EQ(st.workers_died, 0u);
  h.ok(2, 2);
  EXPECT_EQ(innocent->delivered.size(), 1u);
}

TEST(coordinator_cancel, cancelling_a_finished_job_changes_nothing) {
  harness h{config(1, 1)};
  h.start_ready();
  auto job = h.submit(1);
  h.ok(1, 1);
  h.core.cancel(job);
  EXPECT_TRUE(h.env.cancels.empty());
  EXPECT_EQ(job->delivered.size(), 1u);
}

// -- per-task timeouts
// ---------------------------------------------------------

TEST(coordinator_timeout, only_the_guilty_worker_is_killed) {
  harness h{config(2, 2)};
  h.start_ready();
  auto slow = h.submit(1, 1, 50ms); // task 1 -> worker 1
  auto other = h.submit(3); // 2 -> worker 2, 3 -> worker 1, 4 -> 2
  ASSERT_EQ(h.env.sent_to(1), (std::vector<uint64_t>{1, 3}));
  ASSERT_EQ(h.env.sent_to(2), (std::vector<uint64_t>{2, 4}));
  EXPECT_EQ(h.env.timers.back().kind, timer_kind::deadline);
  h.env.advance(50ms);
  h.core.on_timer(timer_kind::deadline, 1);
  ASSERT_EQ(slow->failed.size(), 1u);
  EXPECT_EQ(code_of(slow->failed[0].second), errc::timeout);
  EXPECT_TRUE(h.env.killed(1));
  EXPECT_FALSE(h.env.killed(2));
  EXPECT_TRUE(other->failed.empty());
  EXPECT_EQ(h.core.stats().timed_out, 1u);
  h.ok(2, 2);
  h.ok(2, 4);
  h.ok(2, 3); // the innocent chunk moved to the surviving worker
  EXPECT_EQ(other->delivered.size(), 3u);
}

TEST(coordinator_timeout, the_clock_starts_when_the_task_reaches_the_front) {
  harness h{config(1, 2)};
  h.start_ready();
  auto job = h.submit(2, 1, 50ms);
  h.env.advance(40ms);
  h.ok(1, 1); // the second chunk starts now
  h.env.advance(40ms);
  h.core.on_timer(timer_kind::deadline, 1); // the first chunk's timer
  EXPECT_TRUE(h.env.kills.empty());
  EXPECT_EQ(h.env.timers.back().delay, 10ms);
  h.env.advance(10ms);
  h.core.on_timer(timer_kind::deadline, 1);
  EXPECT_TRUE(h.env.killed(1));
  ASSERT_EQ(job->failed.size(), 1u);
  EXPECT_EQ(job->failed[0].first, 1u);
}

TEST(coordinator_timeout, a_task_within_its_timeout_is_left_alone) {
  harness h{config(1, 1)};
  h.start_ready();
  auto job = h.submit(1, 1, 50ms);
  h.env.advance(30ms);
  h.ok(1, 1);
  h.env.advance(30ms);
  h.core.on_timer(timer_kind::deadline, 1);
  EXPECT_TRUE(h.env.kills.empty());
  EXPECT_EQ(job->delivered.size(), 1u);
}

TEST(coordinator_timeout, the_pool_default_applies_without_a_call_timeout) {
  auto cfg = config(1, 1);
  cfg.task_timeout = 20ms;
  harness h{cfg};
  h.start_ready();
  h.submit(1);
  EXPECT_EQ(h.env.timers.back().kind, timer_kind::deadline);
  EXPECT_EQ(h.env.timers.back().delay, 20ms);
}

// -- stopped streams
// -----------------------------------------------------------

TEST(coordinator_stop, stop_drops_queued_cancels_running_and_settles) {
  harness h{config(2, 1)};
  h.start_ready();
  auto job = h.open_stream(8);
  feed(h, 6, false);
  ASSERT_EQ(h.env.sent_to(1), (std::vector<uint64_t>{1}));
  ASSERT_EQ(h.env.sent_to(2), (std::vector<uint64_t>{2}));
  h.ok(1, 1); // chunk 0 done; chunk 2 goes to worker 1
  h.core.stop_stream(1, std::nullopt);
  EXPECT_EQ(h.env.stopped_feeders, 1u);
  EXPECT_EQ(h.env.cancels.size(), 2u);
  EXPECT_TRUE(h.env.sent_to(1).size() == 2u);
  EXPECT_TRUE(job->settlements.empty()); // two chunks still in workers
  h.not_started(2, 2);
  h.ok(1, 3);
  ASSERT_EQ(job->settlements.size(), 1u);
  EXPECT_TRUE(same_counts(job->settlements[0], 1, 1, 4));
  EXPECT_EQ(job->delivered_indexes(), (std::vector<size_t>{0}));
  EXPECT_TRUE(job->failed.empty());
  EXPECT_EQ(h.core.stats().in_flight, 0u);
}

TEST(coordinator_stop, keep_through_lets_earlier_chunks_finish) {
  harness h{config(2, 2)};
  h.start_ready();
  auto job = h.open_stream(8);
  feed(h, 6, false); // worker 1: 1, 3; worker 2: 2, 4; queued: 5, 6
  h.ok(2, 2); // worker 2 takes 5; chunk 1 matched, say: keep 0 and 1
  h.core.stop_stream(1, size_t{1});
  EXPECT_EQ(h.env.cancels.size(), 3u); // chunks 2, 3 and 4, in the workers
  h.not_started(1, 3);
  h.ok(2, 4); // cancelled while running
  h.not_started(2, 5);
  EXPECT_TRUE(job->settlements.empty());
  h.ok(1, 1); // chunk 0 finishes normally
  EXPECT_EQ(job->delivered_indexes(), (std::vector<size_t>{1, 0}));
  ASSERT_EQ(job->settlements.size(), 1u);
  EXPECT_TRUE(same_counts(job->settlements[0], 2, 1, 3));
}

TEST(coordinator_stop, a_lower_keep_through_stops_more) {
  harness h{config(1, 4)};
  h.start_ready();
  auto job = h.open_stream(8);
  feed(h, 4, false);
  h.core.stop_stream(1, size_t{2});
  EXPECT_EQ(h.env.cancels.size(), 1u);
  h.core.stop_stream(1, size_t{0});
  EXPECT_EQ(h.env.cancels.size(), 3u);
  h.core.stop_stream(1, size_t{3}); // never widens again
  EXPECT_EQ(h.env.cancels.size(), 3u);
}

TEST(coordinator_stop, input_read_after_the_stop_never_starts) {
  harness h{config(1, 1)};
  h.start_ready();
  auto job = h.open_stream(8);
  feed(h, 1, false);
  h.core.stop_stream(1, std::nullopt);
  feed(h, 3, false); // was on its way from the feeder
  EXPECT_EQ(h.env.sent_to(1).size(), 1u);
  h.ok(1, 1);
  ASSERT_EQ(job->settlements.size(), 1u);
  EXPECT_TRUE(same_counts(job->settlements[0], 0, 1, 3));
}

TEST(coordinator_stop, cancelling_a_stream_job_stops_it) {
  harness h{config(1, 1)};
  h.start_ready();
  auto job = h.open_stream(8);
  feed(h, 2, false);
  h.core.cancel(job);
  EXPECT_EQ(h.env.stopped_feeders, 1u);
  h.not_started(1, 1);
  ASSERT_EQ(job->settlements.size(), 1u);
  EXPECT_TRUE(same_counts(job->settlements[0], 0, 0, 2));
}

TEST(coordinator_stop, a_stream_that_ends_normally_settles_with_its_counts) {
  harness h{config(1, 2)};
  h.start_ready();
  auto job = h.open_stream(8);
  feed(h, 2, true);
  h.ok(1, 1);
  h.ok(1, 2);
  ASSERT_EQ(job->settlements.size(), 1u);
  EXPECT_TRUE(same_counts(job->settlements[0], 2, 0, 0));
}

TEST(coordinator_stop, a_push_stream_is_never_pulled) {
  harness h{config(1, 2)};
  h.start_ready();
  auto job = h.open_stream(0);
  EXPECT_TRUE(h.env.pulls.empty());
  feed(h, 2, false);
  h.ok(1, 1);
  h.core.on_credit(1, 1);
  EXPECT_TRUE(h.env.pulls.empty());
  feed(h, 1, true);
  h.ok(1, 2);
  h.ok(1, 3);
  ASSERT_EQ(job->settlements.size(), 1u);
  EXPECT_TRUE(same_counts(job->settlements[0], 3, 0, 0));
}

// -- memory limit
// ----------------------------------------------------------------

TEST(coordinator_memory, a_worker_over_the_limit_is_recycled_between_tasks) {
  auto cfg = config(1, 2);
  cfg.max_worker_memory = 100;
  harness h{cfg};
  h.start_ready();
  auto job = h.submit(3);
  h.env.rss[1] = 150;
  h.ok(1, 1); // over the limit: no new work for worker 1
  EXPECT_EQ(h.env.started, (std::vector<uint64_t>{1, 2})); // replacement
  EXPECT_EQ(h.env.sent_to(1), (std::vector<uint64_t>{1, 2}));
  EXPECT_TRUE(h.env.shutdowns.empty()); // it still holds task 2
  h.ok(1, 2);
  EXPECT_EQ(h.env.shutdowns, (std::vector<uint64_t>{1}));
  h.hello(2);
  EXPECT_EQ(h.env.sent_to(2), (std::vector<uint64_t>{3}));
  EXPECT_EQ(h.core.stats().workers_recycled, 1u);
}

TEST(coordinator_memory, memory_is_looked_at_every_10_ms_at_most) {
  auto cfg = config(1, 1);
  cfg.max_worker_memory = 100;
  harness h{cfg};
  h.start_ready();
  h.submit(3);
  h.env.rss[1] = 50;
  h.ok(1, 1);
  h.env.rss[1] = 150;
  h.ok(1, 2); // same instant: not looked at again
  EXPECT_EQ(h.core.stats().workers_recycled, 0u);
  h.env.advance(10ms);
  h.ok(1, 3);
  EXPECT_EQ(h.core.stats().workers_recycled, 1u);
}

TEST(coordinator_memory, no_limit_means_no_look) {
  harness h{config(1, 1)};
  h.start_ready();
  h.submit(1);
  h.env.rss[1] = size_t{1} << 40;
  h.ok(1, 1);
  EXPECT_EQ(h.core.stats().workers_recycled, 0u);
}

// -- blaming a crash
// -----------------------------------------------------------

TEST(coordinator_blame, chunks_that_die_together_pay_nothing_and_run_alone) {
  auto cfg = config(2, 3);
  cfg.max_retries = 0;
  harness h{cfg};
  h.start_ready();
  auto job = h.submit(4); // worker 1: 1, 3; worker 2: 2, 4
  h.exit(1, -SIGKILL);
  EXPECT_TRUE(job->failed.empty()); // nobody is to blame yet
  h.hello(3);
  EXPECT_EQ(h.env.sent_to(3), (std::vector<uint64_t>{1}));
  h.exit(3, -SIGKILL); // chunk 1 alone: it is the culprit
  ASSERT_EQ(job->failed.size(), 1u);
  EXPECT_EQ(job->failed[0].first, 0u);
  h.hello(4);
  EXPECT_EQ(h.env.sent_to(4), (std::vector<uint64_t>{3}));
  h.ok(4, 3);
  h.ok(2, 2);
  h.ok(2, 4);
  EXPECT_EQ(job->delivered.size(), 3u);
}

TEST(coordinator_blame, a_poison_chunk_fails_and_its_neighbours_finish) {
  auto cfg = config(1, 4);
  harness h{cfg}; // max_retries 2
  h.start_ready();
  auto job = h.submit(4); // all four in worker 1; chunk 2 (id 3) is poison
  h.exit(1, -SIGKILL);
  uint64_t wid = 2;
  h.hello(wid);
  for (int round = 0;
       round < 10 && job->failed.size() + job->delivered.size() < 4; ++round) {
    auto before = h.env.batches.size();
    auto sent = h.env.sent_to(wid);
    ASSERT_FALSE(sent.empty());
    auto id = sent.back();
    if (id == 3) {
      h.exit(wid, -SIGSEGV);
      h.hello(++wid);
    } else {
      h.ok(wid, id);
    }
    // Suspects run one at a time: at most one new batch of one chunk.
    ASSERT_LE(h.env.batches.size(), before + 1);
    if (h.env.batches.size() == before + 1) {
      EXPECT_EQ(h.env.batches.back().second.size(), 1u);
    }
  }
  ASSERT_EQ(job->failed.size(), 1u);
  EXPECT_EQ(job->failed[0].first, 2u);
  EXPECT_NE(actorpool::render(job->failed[0].second).find("3 attempts"),
            std::string::npos);
  EXPECT_EQ(job->delivered.size(), 3u);
}

TEST(coordinator_blame, a_suspect_that_completes_clears_its_worker) {
  harness h{config(1, 4)};
  h.start_ready();
  auto job = h.submit(2);
  h.exit(1, -SIGKILL);
  h.hello(2);
  EXPECT_EQ(h.env.sent_to(2), (std::vector<uint64_t>{1}));
  auto more = h.submit(2); // not suspects: they wait for the isolated worker
  EXPECT_EQ(h.env.sent_to(2).size(), 1u);
  h.ok(2, 1);
  h.ok(2, 2);
  EXPECT_EQ(h.env.sent_to(2), (std::vector<uint64_t>{1, 2, 3, 4}));
}

TEST(coordinator_timeout, timed_tasks_ask_for_earlier_results_first) {
  harness h{config(1, 2)};
  h.start_ready();
  h.submit(1);
  h.submit(1, 1, 50ms);
  ASSERT_EQ(h.env.batches.size(), 2u);
  EXPECT_EQ(h.env.batches[0].second[0].flags, 0);
  EXPECT_EQ(h.env.batches[1].second[0].flags, task_msg::flush_first);
}

TEST(coordinator_cancel, a_stubborn_task_behind_unreported_results_is_killed) {
  auto cfg = config(1, 3);
  cfg.cancel_grace = 100ms;
  harness h{cfg};
  h.start_ready();
  auto done = h.submit(1); // finished in the worker, result not sent yet
  auto stuck = h.submit(1); // running and deaf to the cancel
  h.core.cancel(stuck);
  h.env.advance(100ms);
  h.core.on_timer(timer_kind::cancel_grace, 1);
  EXPECT_TRUE(h.env.killed(1));
  EXPECT_TRUE(done->failed.empty()); // it runs again elsewhere
  h.hello(2);
  EXPECT_EQ(h.env.sent_to(2), (std::vector<uint64_t>{1}));
}
