#include "coordinator/coordinator_core.hpp"

#include "coordinator_harness.hpp"

using namespace actorpool::test;

namespace {

task_msg init_task() {
  return task_msg{0, "init", 1, "args"};
}

} // namespace

// -- start-up -----------------------------------------------------------------

TEST(coordinator_core, start_starts_configured_workers) {
  harness h{config(3)};
  h.core.start();
  EXPECT_EQ(h.env.started, (std::vector<uint64_t>{1, 2, 3}));
  EXPECT_EQ(h.env.timers_of(timer_kind::start_timeout), 3u);
  EXPECT_EQ(h.env.timers[0].delay, 5000ms);
  auto st = h.core.stats();
  EXPECT_EQ(st.workers_started, 3u);
  EXPECT_EQ(st.pids, (std::vector<int32_t>{100, 101, 102}));
}

TEST(coordinator_core, nothing_is_dispatched_before_hello) {
  harness h{config(2)};
  h.core.start();
  h.submit(3);
  EXPECT_TRUE(h.env.batches.empty());
  EXPECT_EQ(h.core.stats().queued, 3u);
}

TEST(coordinator_core, hello_dispatches_queued_work) {
  harness h{config(2)};
  h.core.start();
  h.submit(3);
  h.hello(1);
  EXPECT_EQ(h.env.sent_to(1), (std::vector<uint64_t>{1, 2}));
  h.hello(2);
  EXPECT_EQ(h.env.sent_to(2), (std::vector<uint64_t>{3}));
}

TEST(coordinator_core, batch_carries_task_messages) {
  harness h{config(1)};
  h.start_ready();
  h.submit(1, 5);
  ASSERT_EQ(h.env.batches.size(), 1u);
  auto& t = h.env.batches[0].second.at(0);
  EXPECT_EQ(t.id, 1u);
  EXPECT_EQ(t.name, "t");
  EXPECT_EQ(t.count, 5u);
  EXPECT_EQ(t.payload, "c0");
}

TEST(coordinator_core, when_ready_after_all_hellos) {
  harness h{config(2)};
  h.core.start();
  std::vector<caf::error> calls;
  h.core.when_ready([&](const caf::error& err) { calls.push_back(err); });
  h.hello(1);
  EXPECT_TRUE(calls.empty());
  h.hello(2);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_FALSE(calls[0]);
  h.core.when_ready([&](const caf::error& err) { calls.push_back(err); });
  EXPECT_EQ(calls.size(), 2u);
}

// -- dispatching --------------------------------------------------------------

TEST(coordinator_core, least_loaded_worker_gets_the_next_chunk) {
  harness h{config(2, 3)};
  h.start_ready();
  h.submit(3); // ties go to the lower worker id
  EXPECT_EQ(h.env.sent_to(1), (std::vector<uint64_t>{1, 3}));
  EXPECT_EQ(h.env.sent_to(2), (std::vector<uint64_t>{2}));
  h.submit(1); // worker 1 has room, but worker 2 has less to do
  EXPECT_EQ(h.env.sent_to(1), (std::vector<uint64_t>{1, 3}));
  EXPECT_EQ(h.env.sent_to(2), (std::vector<uint64_t>{2, 4}));
}

TEST(coordinator_core, one_batch_per_worker_and_dispatch) {
  harness h{config(2)};
  h.start_ready();
  h.submit(4);
  ASSERT_EQ(h.env.batches.size(), 2u);
  EXPECT_EQ(h.env.batches[0].second.size(), 2u);
  EXPECT_EQ(h.env.batches[1].second.size(), 2u);
}

TEST(coordinator_core, window_limits_chunks_in_flight) {
  harness h{config(1, 2)};
  h.start_ready();
  h.submit(5);
  EXPECT_EQ(h.env.sent_to(1), (std::vector<uint64_t>{1, 2}));
  EXPECT_EQ(h.core.stats().queued, 3u);
  EXPECT_EQ(h.core.stats().in_flight, 2u);
  EXPECT_EQ(h.core.window(), 2u);
}

TEST(coordinator_core, results_refill_the_window) {
  harness h{config(1, 2)};
  h.start_ready();
  h.submit(5);
  h.ok(1, 1);
  EXPECT_EQ(h.env.sent_to(1), (std::vector<uint64_t>{1, 2, 3}));
  h.results(1, {result_msg{2, result_msg::ok, 1, "r"},
                result_msg{3, result_msg::ok, 1, "r"}});
  EXPECT_EQ(h.env.sent_to(1), (std::vector<uint64_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(h.core.stats().queued, 0u);
}

TEST(coordinator_core, batch_bytes_limit_splits_batches) {
  auto cfg = config(1, 10);
  cfg.max_batch_bytes = 4;
  harness h{cfg};
  h.start_ready();
  h.submit(3); // payloads of two bytes each
  ASSERT_EQ(h.env.batches.size(), 2u);
  EXPECT_EQ(h.env.batches[0].second.size(), 2u);
  EXPECT_EQ(h.env.batches[1].second.size(), 1u);
}

TEST(coordinator_core, batches_never_exceed_the_frame_size_limit) {
  // 40 chunks of 1000 bytes in flight at once, 4 KiB frames: each batch
  // is split before it would be longer than a frame.
  auto cfg = config(1, 40);
  cfg.max_frame_size = 4096;
  harness h{cfg};
  h.start_ready();
  std::vector<encoded_chunk> chunks;
  for (int i = 0; i < 40; ++i)
    chunks.push_back(encoded_chunk{std::string(1000, 'a'), 1});
  auto job = std::make_shared<fake_job>();
  ASSERT_FALSE(h.core.submit("t", std::move(chunks), job));
  EXPECT_EQ(h.env.sent_to(1).size(), 40u);
  EXPECT_GT(h.env.batches.size(), 10u);
  for (auto& [wid, batch] : h.env.batches) {
    std::vector<char> frame;
    EXPECT_FALSE(
      actorpool::detail::
        append_bounded_frame(frame, cfg.max_frame_size,
                             actorpool::detail::frame_kind::tasks, batch));
  }
}

TEST(coordinator_core, chunk_too_long_for_a_frame_fails_alone) {
  // Stream input is not checked by the facade: the core fails the chunk
  // that does not fit, and its neighbours run.
  auto cfg = config(1, 10);
  cfg.max_frame_size = 4096;
  harness h{cfg};
  h.start_ready();
  auto job = h.open_stream(8);
  std::vector<encoded_chunk> chunks{encoded_chunk{"small", 1},
                                    encoded_chunk{std::string(5000, 'b'), 1},
                                    encoded_chunk{"small", 1}};
  h.core.on_input(1, std::move(chunks), true);
  ASSERT_EQ(job->failed.size(), 1u);
  EXPECT_EQ(job->failed[0].first, 1u);
  EXPECT_EQ(code_of(job->failed[0].second), errc::encoding_failed);
  EXPECT_NE(actorpool::render(job->failed[0].second).find("4096"),
            std::string::npos);
  EXPECT_EQ(h.env.sent_to(1), (std::vector<uint64_t>{1, 3}));
  h.ok(1, 1);
  h.ok(1, 3);
  EXPECT_EQ(job->delivered_indexes(), (std::vector<size_t>{0, 2}));
  EXPECT_EQ(job->ends, (std::vector<size_t>{3}));
}

TEST(coordinator_core, inflight_bytes_limit_holds_back_chunks) {
  auto cfg = config(1, 10);
  cfg.max_inflight_bytes = 3;
  harness h{cfg};
  h.start_ready();
  h.submit(3);
  EXPECT_EQ(h.env.sent_to(1), (std::vector<uint64_t>{1, 2}));
  h.ok(1, 1);
  h.ok(1, 2);
  EXPECT_EQ(h.env.sent_to(1), (std::vector<uint64_t>{1, 2, 3}));
}

TEST(coordinator_core, adaptive_window_starts_with_one_chunk) {
  harness h{config(2, 0)};
  h.start_ready();
  EXPECT_EQ(h.core.window(), 1u);
  h.submit(3);
  EXPECT_EQ(h.env.sent_to(1), (std::vector<uint64_t>{1}));
  EXPECT_EQ(h.env.sent_to(2), (std::vector<uint64_t>{2}));
  EXPECT_EQ(h.core.stats().queued, 1u);
}

TEST(coordinator_core, adaptive_window_grows_for_short_tasks) {
  auto cfg = config(1, 0);
  cfg.max_window = 8;
  harness h{cfg};
  h.start_ready();
  h.submit(40);
  for (uint64_t id = 1; id <= 40; ++id)
    h.ok(1, id, "r", 0);
  EXPECT_EQ(h.core.window(), 8u);
  EXPECT_EQ(h.core.stats().window, 8u);
}

TEST(coordinator_core, adaptive_window_shrinks_for_long_tasks) {
  harness h{config(1, 0)};
  h.start_ready();
  h.submit(60);
  for (uint64_t id = 1; id <= 20; ++id)
    h.ok(1, id, "r", 0);
  EXPECT_GT(h.core.window(), 2u);
  for (uint64_t id = 21; id <= 60; ++id)
    h.ok(1, id, "r", 1000000);
  EXPECT_EQ(h.core.window(), 1u);
}

// -- results ------------------------------------------------------------------

TEST(coordinator_core, results_complete_the_job) {
  harness h{config(1, 4)};
  h.start_ready();
  auto job = h.submit(3, 2);
  h.ok(1, 3, "third");
  h.ok(1, 1, "first");
  ASSERT_EQ(job->delivered.size(), 2u);
  EXPECT_EQ(job->delivered[0].index, 2u);
  EXPECT_EQ(job->delivered[0].count, 2u);
  EXPECT_EQ(job->delivered[0].payload, "third");
  EXPECT_EQ(job->delivered[1].index, 0u);
  EXPECT_EQ(job->delivered[1].payload, "first");
  EXPECT_TRUE(job->failed.empty());
}

TEST(coordinator_core, duplicate_and_unknown_results_are_ignored) {
  harness h{config(1, 4)};
  h.start_ready();
  auto job = h.submit(1);
  h.ok(1, 1);
  h.ok(1, 1);
  h.ok(1, 99);
  h.ok(7, 1);
  EXPECT_EQ(job->delivered.size(), 1u);
  EXPECT_EQ(h.core.stats().completed, 1u);
}

TEST(coordinator_core, task_failure_becomes_task_failed_error) {
  harness h{config(1)};
  h.start_ready();
  auto job = h.submit(2);
  h.failed(1, 2,
           failure_msg{static_cast<uint8_t>(errc::task_failed),
                       "std::out_of_range", "bad index", 4711});
  ASSERT_EQ(job->failed.size(), 1u);
  EXPECT_EQ(job->failed[0].first, 1u);
  auto& err = job->failed[0].second;
  EXPECT_EQ(code_of(err), errc::task_failed);
  auto& ctx = err.context();
  ASSERT_TRUE((ctx.match_elements<std::string, std::string, int32_t>()));
  EXPECT_EQ(ctx.get_as<std::string>(0), "std::out_of_range");
  EXPECT_EQ(ctx.get_as<std::string>(1), "bad index");
  EXPECT_EQ(ctx.get_as<int32_t>(2), 4711);
}

TEST(coordinator_core, other_failure_codes_keep_their_message) {
  harness h{config(1)};
  h.start_ready();
  auto job = h.submit(1);
  h.failed(1, 1,
           failure_msg{static_cast<uint8_t>(errc::encoding_failed), "",
                       "cannot serialize", 1});
  ASSERT_EQ(job->failed.size(), 1u);
  auto& err = job->failed[0].second;
  EXPECT_EQ(code_of(err), errc::encoding_failed);
  EXPECT_EQ(actorpool::render(err),
            "actorpool::encoding_failed: cannot serialize");
}

TEST(coordinator_core, undecodable_failure_is_protocol_error) {
  harness h{config(1)};
  h.start_ready();
  auto job = h.submit(1);
  h.results(1, {result_msg{1, result_msg::failed, 0, "?"}});
  ASSERT_EQ(job->failed.size(), 1u);
  EXPECT_EQ(code_of(job->failed[0].second), errc::protocol_error);
}

TEST(coordinator_core, abandoned_job_is_cancelled_before_dispatch) {
  harness h{config(1)};
  h.core.start();
  auto job = h.submit(2);
  job->gone = true;
  h.hello(1);
  EXPECT_TRUE(h.env.batches.empty());
  ASSERT_EQ(job->failed.size(), 2u);
  EXPECT_EQ(code_of(job->failed[0].second), errc::cancelled);
}

TEST(coordinator_core, stats_counters) {
  harness h{config(2)};
  h.start_ready();
  h.submit(6);
  h.ok(1, 1);
  h.failed(2, 2, failure_msg{1, "T", "m", 1});
  auto st = h.core.stats();
  EXPECT_EQ(st.submitted, 6u);
  EXPECT_EQ(st.completed, 1u);
  EXPECT_EQ(st.failed, 1u);
  EXPECT_EQ(st.in_flight, 4u);
  EXPECT_EQ(st.queued, 0u);
  EXPECT_EQ(st.workers_started, 2u);
  EXPECT_EQ(st.workers_died, 0u);
  EXPECT_EQ(st.window, 2u);
  EXPECT_EQ(st.pids, (std::vector<int32_t>{100, 101}));
}

// -- bad workers --------------------------------------------------------------

TEST(coordinator_core, hello_with_wrong_version_kills_worker) {
  harness h{config(1)};
  h.core.start();
  h.submit(1);
  h.core.on_hello(1, hello_msg{actorpool::detail::protocol_version + 1, 100});
  EXPECT_EQ(h.env.disconnects, (std::vector<uint64_t>{1}));
  EXPECT_TRUE(h.env.killed(1));
  EXPECT_TRUE(h.env.batches.empty());
}

TEST(coordinator_core, hello_with_wrong_pid_kills_worker) {
  harness h{config(1)};
  h.core.start();
  h.submit(1);
  h.core.on_hello(1, hello_msg{actorpool::detail::protocol_version, 555});
  EXPECT_EQ(h.env.disconnects, (std::vector<uint64_t>{1}));
  EXPECT_TRUE(h.env.killed(1));
  EXPECT_TRUE(h.env.batches.empty());
}

TEST(coordinator_core, bad_hello_during_start_breaks_pool) {
  harness h{config(1)};
  h.core.start();
  caf::error ready;
  h.core.when_ready([&](const caf::error& err) { ready = err; });
  h.core.on_hello(1, hello_msg{99, 100});
  h.exit(1, -SIGKILL);
  EXPECT_EQ(code_of(ready), errc::worker_start_failed);
  EXPECT_NE(actorpool::render(ready).find("bad hello"), std::string::npos)
    << actorpool::render(ready);
}

TEST(coordinator_core, start_timeout_kills_silent_worker) {
  harness h{config(1)};
  h.core.start();
  h.core.on_timer(timer_kind::start_timeout, 1);
  EXPECT_EQ(h.env.disconnects, (std::vector<uint64_t>{1}));
  EXPECT_TRUE(h.env.killed(1));
}

TEST(coordinator_core, start_timeout_after_hello_is_ignored) {
  harness h{config(1)};
  h.start_ready();
  h.core.on_timer(timer_kind::start_timeout, 1);
  EXPECT_TRUE(h.env.disconnects.empty());
  EXPECT_TRUE(h.env.kills.empty());
}

// -- dying workers ------------------------------------------------------------

TEST(coordinator_core, killed_worker_work_is_requeued) {
  harness h{config(2)};
  h.start_ready();
  auto job = h.submit(4);
  h.exit(1, -SIGKILL);
  EXPECT_EQ(h.env.started, (std::vector<uint64_t>{1, 2, 3}));
  EXPECT_TRUE(job->failed.empty());
  EXPECT_EQ(h.core.stats().queued, 2u);
  EXPECT_EQ(h.core.stats().workers_died, 1u);
  h.hello(3);
  // They died together: each now runs alone, so a second crash is blamed
  // on the right one.
  EXPECT_EQ(h.env.sent_to(3), (std::vector<uint64_t>{1}));
  h.ok(3, 1);
  EXPECT_EQ(h.env.sent_to(3), (std::vector<uint64_t>{1, 3}));
}

TEST(coordinator_core, requeued_chunk_delivers_once) {
  harness h{config(1)};
  h.start_ready();
  auto job = h.submit(1);
  h.exit(1, -SIGKILL);
  h.hello(2);
  h.ok(2, 1, "done");
  ASSERT_EQ(job->delivered.size(), 1u);
  EXPECT_EQ(job->delivered[0].payload, "done");
}

TEST(coordinator_core, task_killing_workers_fails_after_retries) {
  harness h{config(1)};
  h.start_ready();
  auto job = h.submit(1);
  h.exit(1, -SIGKILL); // attempt 1
  h.hello(2);
  h.exit(2, -SIGKILL); // attempt 2
  h.hello(3);
  EXPECT_TRUE(job->failed.empty());
  h.exit(3, -SIGKILL); // attempt 3 > max_retries
  ASSERT_EQ(job->failed.size(), 1u);
  auto& err = job->failed[0].second;
  EXPECT_EQ(code_of(err), errc::worker_died);
  auto text = actorpool::render(err);
  EXPECT_NE(text.find("killed by signal 9"), std::string::npos) << text;
  EXPECT_NE(text.find("3 attempts"), std::string::npos) << text;
  EXPECT_EQ(h.core.stats().workers_died, 3u);
}

TEST(coordinator_core, zero_retries_fails_at_first_death) {
  auto cfg = config(1);
  cfg.max_retries = 0;
  harness h{cfg};
  h.start_ready();
  auto job = h.submit(1);
  h.exit(1, 3);
  ASSERT_EQ(job->failed.size(), 1u);
  auto text = actorpool::render(job->failed[0].second);
  EXPECT_NE(text.find("exited with code 3"), std::string::npos) << text;
}

TEST(coordinator_core, lingering_worker_is_reaped_on_timer) {
  harness h{config(1)};
  h.start_ready();
  h.core.on_down(1, "eof");
  EXPECT_EQ(h.env.watched, (std::vector<uint64_t>{1}));
  EXPECT_EQ(h.env.started.size(), 1u);
  h.env.exits[1] = exit_status{-SIGSEGV, true};
  h.env.reap(1); // the link reaps it later
  EXPECT_EQ(h.env.started.size(), 2u);
  EXPECT_EQ(h.core.stats().workers_died, 1u);
}

// -- start failures -----------------------------------------------------------

TEST(coordinator_core, start_failure_while_running_is_retried_later) {
  harness h{config(1)};
  h.start_ready();
  h.env.failing_starts = 2;
  h.exit(1, -SIGKILL); // the replacement (attempt 2) fails to start
  EXPECT_EQ(h.env.start_attempts, 2u);
  ASSERT_EQ(h.env.timers_of(timer_kind::respawn), 1u);
  EXPECT_EQ(h.env.timers.back().delay, 10ms);
  h.core.on_timer(timer_kind::respawn, 0); // attempt 3 fails too
  ASSERT_EQ(h.env.timers_of(timer_kind::respawn), 2u);
  EXPECT_EQ(h.env.timers.back().delay, 40ms);
  h.core.on_timer(timer_kind::respawn, 0); // attempt 4 succeeds
  EXPECT_EQ(h.env.start_attempts, 4u);
  EXPECT_EQ(h.env.started, (std::vector<uint64_t>{1, 4}));
  EXPECT_TRUE(h.core.running());
}

TEST(coordinator_core, repeated_start_failures_break_the_pool) {
  harness h{config(1)};
  h.start_ready();
  auto job = h.submit(1);
  h.env.failing_starts = 5;
  h.exit(1, -SIGKILL); // 1st failure; the task waits for a worker
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(h.core.running());
    EXPECT_TRUE(job->failed.empty());
    h.core.on_timer(timer_kind::respawn, 0); // failures 2..4
  }
  h.core.on_timer(timer_kind::respawn, 0); // 5th in a row: give up
  EXPECT_FALSE(h.core.running());
  ASSERT_EQ(job->failed.size(), 1u);
  EXPECT_EQ(code_of(job->failed[0].second), errc::worker_start_failed);
  EXPECT_EQ(h.env.timers_of(timer_kind::respawn), 4u);
}

TEST(coordinator_core, replacements_dying_before_hello_break_the_pool) {
  harness h{config(1)};
  h.start_ready();
  auto job = h.submit(1);
  h.exit(1, -SIGKILL); // an unexpected death: replacement 2 at once
  uint64_t wid = 2;
  for (int failure = 1; failure < 5; ++failure) {
    h.exit(wid++, 1); // dies before hello: a start failure
    EXPECT_TRUE(h.core.running());
    EXPECT_TRUE(job->failed.empty());
    h.core.on_timer(timer_kind::respawn, 0); // next replacement
  }
  h.exit(wid, 1); // the 5th start failure in a row: give up
  EXPECT_FALSE(h.core.running());
  EXPECT_EQ(h.env.started.size(), 6u);
  ASSERT_EQ(job->failed.size(), 1u);
  EXPECT_EQ(code_of(job->failed[0].second), errc::worker_start_failed);
  caf::error ready;
  h.core.when_ready([&](const caf::error& err) { ready = err; });
  EXPECT_EQ(code_of(ready), errc::worker_start_failed);
}

TEST(coordinator_core, hello_resets_start_failure_count) {
  harness h{config(1)};
  h.start_ready();
  h.exit(1, -SIGKILL);
  for (uint64_t wid = 2; wid < 6; ++wid) {
    h.exit(wid, 1);
    h.core.on_timer(timer_kind::respawn, 0);
  }
  h.hello(6); // four failures, then a success
  h.exit(6, -SIGKILL);
  for (uint64_t wid = 7; wid < 11; ++wid) {
    h.exit(wid, 1);
    h.core.on_timer(timer_kind::respawn, 0);
  }
  EXPECT_TRUE(h.core.running());
  EXPECT_EQ(h.env.started.size(), 11u);
}

TEST(coordinator_core, respawn_timer_is_idle_when_nothing_is_missing) {
  harness h{config(1)};
  h.start_ready();
  h.core.on_timer(timer_kind::respawn, 0);
  EXPECT_EQ(h.env.started.size(), 1u);
}

TEST(coordinator_core, unknown_exit_status_is_described) {
  auto cfg = config(1);
  cfg.max_retries = 0;
  harness h{cfg};
  h.start_ready();
  auto job = h.submit(1);
  h.env.exits[1] = exit_status{0, false};
  h.core.on_down(1, "eof");
  ASSERT_EQ(job->failed.size(), 1u);
  auto text = actorpool::render(job->failed[0].second);
  EXPECT_NE(text.find("status unknown"), std::string::npos) << text;
}

TEST(coordinator_core, events_for_unknown_workers_are_ignored) {
  harness h{config(1)};
  h.start_ready();
  h.core.on_down(9, "eof");
  h.core.on_exit(9, worker_exit{0, true, "worker 9 exited with code 0"});
  h.core.on_timer(timer_kind::start_timeout, 9);
  h.core.on_timer(timer_kind::deadline, 9);
  h.core.on_hello(9, hello_msg{actorpool::detail::protocol_version, 1});
  EXPECT_TRUE(h.env.kills.empty());
  EXPECT_EQ(h.env.started.size(), 1u);
  EXPECT_TRUE(h.core.running());
}

TEST(coordinator_core, death_before_hello_fails_when_ready) {
  harness h{config(2)};
  h.core.start();
  std::vector<caf::error> calls;
  h.core.when_ready([&](const caf::error& err) { calls.push_back(err); });
  h.exit(1, 1);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(code_of(calls[0]), errc::worker_start_failed);
  EXPECT_FALSE(h.core.running());
  EXPECT_EQ(h.env.started.size(), 2u); // no replacement
  h.core.when_ready([&](const caf::error& err) { calls.push_back(err); });
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(code_of(calls[1]), errc::worker_start_failed);
}

TEST(coordinator_core, death_before_hello_fails_queued_work) {
  harness h{config(1)};
  h.core.start();
  auto job = h.submit(2);
  h.exit(1, -SIGKILL);
  ASSERT_EQ(job->failed.size(), 2u);
  EXPECT_EQ(code_of(job->failed[0].second), errc::worker_start_failed);
}

TEST(coordinator_core, failed_start_call_breaks_pool) {
  harness h{config(2)};
  h.env.failing_starts = 1;
  caf::error ready;
  h.core.when_ready([&](const caf::error& err) { ready = err; });
  h.core.start();
  EXPECT_EQ(code_of(ready), errc::worker_start_failed);
  EXPECT_FALSE(h.core.running());
}

TEST(coordinator_core, submit_to_broken_pool_returns_the_break_reason) {
  // A broken pool is also closed; a submission must learn why it broke, not
  // just that the pool is not running.
  harness h{config(1)};
  h.core.start();
  h.exit(1, -SIGKILL);
  auto err = h.core.submit("t", make_chunks(1), std::make_shared<fake_job>());
  EXPECT_EQ(code_of(err), errc::worker_start_failed);
}

TEST(coordinator_core, open_stream_on_broken_pool_returns_the_break_reason) {
  harness h{config(1)};
  h.core.start();
  h.exit(1, -SIGKILL);
  auto err = h.core.open_stream(1, "s", caf::actor{},
                                std::make_shared<fake_job>(), 4);
  EXPECT_EQ(code_of(err), errc::worker_start_failed);
}

// -- max_tasks_per_child ------------------------------------------------------

TEST(coordinator_core, max_tasks_per_child_retires_worker) {
  auto cfg = config(1, 4);
  cfg.max_tasks_per_child = 2;
  harness h{cfg};
  h.start_ready();
  h.submit(3);
  EXPECT_EQ(h.env.sent_to(1), (std::vector<uint64_t>{1, 2}));
  EXPECT_EQ(h.env.started, (std::vector<uint64_t>{1, 2}));
  h.ok(1, 1);
  EXPECT_TRUE(h.env.shutdowns.empty());
  EXPECT_EQ(h.env.sent_to(1), (std::vector<uint64_t>{1, 2}));
  h.ok(1, 2);
  EXPECT_EQ(h.env.shutdowns, (std::vector<uint64_t>{1}));
}

TEST(coordinator_core, replacement_of_retired_worker_takes_over) {
  auto cfg = config(1, 4);
  cfg.max_tasks_per_child = 2;
  harness h{cfg};
  h.start_ready();
  h.submit(3);
  h.hello(2);
  EXPECT_EQ(h.env.sent_to(2), (std::vector<uint64_t>{3}));
  h.ok(1, 1);
  h.ok(1, 2);
  h.exit(1, 0);
  EXPECT_EQ(h.env.started.size(), 2u);
  EXPECT_EQ(h.core.stats().workers_died, 0u);
  EXPECT_EQ(h.core.stats().pids, (std::vector<int32_t>{101}));
}

// -- close, join, terminate ---------------------------------------------------

TEST(coordinator_core, join_while_running_is_an_error) {
  harness h{config(1)};
  h.start_ready();
  bool joined = false;
  auto err = h.core.join([&] { joined = true; });
  EXPECT_EQ(code_of(err), errc::invalid_argument);
  h.core.close();
  h.exit(1, 0);
  EXPECT_FALSE(joined);
}

TEST(coordinator_core, close_sends_shutdown_to_idle_workers) {
  harness h{config(2)};
  h.start_ready();
  h.core.close();
  EXPECT_FALSE(h.core.running());
  EXPECT_EQ(h.env.shutdowns, (std::vector<uint64_t>{1, 2}));
}

TEST(coordinator_core, join_waits_until_all_workers_are_reaped) {
  harness h{config(2)};
  h.start_ready();
  h.core.close();
  bool joined = false;
  EXPECT_FALSE(h.core.join([&] { joined = true; }));
  h.exit(1, 0);
  EXPECT_FALSE(joined);
  h.core.on_down(2, "eof"); // not reaped yet
  EXPECT_FALSE(joined);
  h.env.exits[2] = exit_status{0, true};
  h.env.reap(2);
  EXPECT_TRUE(joined);
  EXPECT_TRUE(h.core.finished());
  EXPECT_EQ(h.env.started.size(), 2u); // no replacements
}

TEST(coordinator_core, join_after_finish_runs_at_once) {
  harness h{config(1)};
  h.start_ready();
  h.core.close();
  h.exit(1, 0);
  bool joined = false;
  EXPECT_FALSE(h.core.join([&] { joined = true; }));
  EXPECT_TRUE(joined);
}

TEST(coordinator_core, close_finishes_queued_work_first) {
  harness h{config(1)};
  h.start_ready();
  auto job = h.submit(3);
  h.core.close();
  EXPECT_TRUE(h.env.shutdowns.empty());
  h.ok(1, 1);
  h.ok(1, 2);
  EXPECT_TRUE(h.env.shutdowns.empty());
  h.ok(1, 3);
  EXPECT_EQ(h.env.shutdowns, (std::vector<uint64_t>{1}));
  EXPECT_EQ(job->delivered.size(), 3u);
}

TEST(coordinator_core, submit_after_close_fails) {
  harness h{config(1)};
  h.start_ready();
  h.core.close();
  auto err = h.core.submit("t", make_chunks(1), std::make_shared<fake_job>());
  EXPECT_EQ(code_of(err), errc::pool_not_running);
}

TEST(coordinator_core, worker_dying_after_close_is_replaced_for_pending_work) {
  harness h{config(1)};
  h.start_ready();
  auto job = h.submit(1);
  h.core.close();
  h.exit(1, -SIGKILL);
  EXPECT_EQ(h.env.started.size(), 2u);
  h.hello(2);
  h.ok(2, 1);
  EXPECT_EQ(job->delivered.size(), 1u);
  EXPECT_EQ(h.env.shutdowns, (std::vector<uint64_t>{2}));
}

TEST(coordinator_core, terminate_fails_queued_and_running_work) {
  harness h{config(1)};
  h.start_ready();
  auto job = h.submit(3);
  h.core.terminate();
  ASSERT_EQ(job->failed.size(), 3u);
  for (auto& [index, err] : job->failed)
    EXPECT_EQ(code_of(err), errc::terminated);
  auto st = h.core.stats();
  EXPECT_EQ(st.queued, 0u);
  EXPECT_EQ(st.in_flight, 0u);
}

TEST(coordinator_core, terminate_stops_workers) {
  harness h{config(2)};
  h.start_ready();
  h.core.terminate();
  EXPECT_EQ(h.env.disconnects, (std::vector<uint64_t>{1, 2}));
  EXPECT_TRUE(h.env.stopped(1));
  EXPECT_TRUE(h.env.stopped(2));
  EXPECT_TRUE(h.env.kills.empty()); // the link kills after its linger
  EXPECT_TRUE(h.env.shutdowns.empty());
}

TEST(coordinator_core, late_results_after_terminate_are_ignored) {
  harness h{config(1)};
  h.start_ready();
  auto job = h.submit(1);
  h.core.terminate();
  h.ok(1, 1);
  EXPECT_TRUE(job->delivered.empty());
  EXPECT_EQ(job->failed.size(), 1u);
}

TEST(coordinator_core, join_after_terminate) {
  harness h{config(2)};
  h.start_ready();
  h.submit(2);
  h.core.terminate();
  bool joined = false;
  EXPECT_FALSE(h.core.join([&] { joined = true; }));
  h.exit(1, -SIGTERM);
  EXPECT_FALSE(joined);
  h.exit(2, -SIGTERM);
  EXPECT_TRUE(joined);
  EXPECT_EQ(h.env.started.size(), 2u);
  EXPECT_EQ(h.core.stats().workers_died, 0u);
}

TEST(coordinator_core, terminate_before_ready_fails_when_ready) {
  harness h{config(1)};
  h.core.start();
  caf::error ready;
  h.core.when_ready([&](const caf::error& err) { ready = err; });
  h.core.terminate();
  EXPECT_EQ(code_of(ready), errc::terminated);
}

TEST(coordinator_core, shutdown_now_kills_and_reaps_everything) {
  harness h{config(2)};
  h.start_ready();
  auto job = h.submit(1);
  bool joined = false;
  h.env.exits[1] = exit_status{-SIGKILL, true};
  h.env.exits[2] = exit_status{-SIGKILL, true};
  h.core.shutdown_now();
  EXPECT_TRUE(h.env.killed(1));
  EXPECT_TRUE(h.env.killed(2));
  EXPECT_EQ(h.env.waited, (std::vector<uint64_t>{1, 2}));
  EXPECT_EQ(job->failed.size(), 1u);
  EXPECT_TRUE(h.core.finished());
  EXPECT_FALSE(h.core.join([&] { joined = true; }));
  EXPECT_TRUE(joined);
}

// -- initializer --------------------------------------------------------------

TEST(coordinator_core, initializer_is_sent_after_hello) {
  auto cfg = config(1);
  cfg.initializer = init_task();
  harness h{cfg};
  h.core.start();
  h.submit(1);
  EXPECT_TRUE(h.env.inits.empty());
  h.hello(1);
  ASSERT_EQ(h.env.inits.size(), 1u);
  EXPECT_EQ(h.env.inits[0].first, 1u);
  EXPECT_EQ(h.env.inits[0].second.name, "init");
  EXPECT_EQ(h.env.inits[0].second.payload, "args");
  EXPECT_TRUE(h.env.batches.empty());
}

TEST(coordinator_core, successful_initializer_makes_worker_ready) {
  auto cfg = config(1);
  cfg.initializer = init_task();
  harness h{cfg};
  h.core.start();
  bool ready = false;
  h.core.when_ready([&](const caf::error& err) { ready = !err; });
  h.submit(1);
  h.hello(1);
  EXPECT_FALSE(ready);
  h.ok(1, 0, "");
  EXPECT_TRUE(ready);
  EXPECT_EQ(h.env.sent_to(1), (std::vector<uint64_t>{1}));
}

TEST(coordinator_core, failed_initializer_breaks_the_pool) {
  auto cfg = config(1);
  cfg.initializer = init_task();
  harness h{cfg};
  h.core.start();
  caf::error ready;
  h.core.when_ready([&](const caf::error& err) { ready = err; });
  auto job = h.submit(1);
  h.hello(1);
  h.failed(1, 0, failure_msg{1, "std::runtime_error", "no init", 100});
  EXPECT_EQ(code_of(ready), errc::initializer_failed);
  auto text = actorpool::render(ready);
  EXPECT_NE(text.find("std::runtime_error: no init"), std::string::npos)
    << text;
  ASSERT_EQ(job->failed.size(), 1u);
  EXPECT_EQ(code_of(job->failed[0].second), errc::initializer_failed);
  EXPECT_FALSE(h.core.running());
  EXPECT_EQ(h.env.shutdowns, (std::vector<uint64_t>{1}));
}

TEST(coordinator_core, replacement_worker_runs_initializer_too) {
  auto cfg = config(1);
  cfg.initializer = init_task();
  harness h{cfg};
  h.core.start();
  h.hello(1);
  h.ok(1, 0, "");
  h.exit(1, -SIGKILL);
  h.hello(2);
  ASSERT_EQ(h.env.inits.size(), 2u);
  EXPECT_EQ(h.env.inits[1].first, 2u);
}

// -- streams ------------------------------------------------------------------

TEST(coordinator_core, open_stream_pulls_up_to_the_budget) {
  harness h{config(1)};
  h.start_ready();
  h.open_stream(8);
  using pulls = std::vector<std::pair<uint64_t, size_t>>;
  EXPECT_EQ(h.env.pulls, (pulls{{1, 8}}));
}

TEST(coordinator_core, open_stream_with_used_id_fails) {
  harness h{config(1)};
  h.start_ready();
  h.open_stream(8);
  auto err = h.core.open_stream(1, "s", caf::actor{},
                                std::make_shared<fake_job>(), 8);
  EXPECT_EQ(code_of(err), errc::invalid_argument);
}

TEST(coordinator_core, stream_input_is_queued_and_dispatched) {
  harness h{config(1, 2)};
  h.start_ready();
  auto job = h.open_stream(8);
  h.core.on_input(1, make_chunks(3), false);
  EXPECT_EQ(h.env.sent_to(1), (std::vector<uint64_t>{1, 2}));
  EXPECT_EQ(h.core.stats().queued, 1u);
  h.ok(1, 2, "second");
  ASSERT_EQ(job->delivered.size(), 1u);
  EXPECT_EQ(job->delivered[0].index, 1u);
  EXPECT_EQ(job->delivered[0].payload, "second");
}

TEST(coordinator_core, stream_indexes_continue_across_inputs) {
  harness h{config(1, 8)};
  h.start_ready();
  auto job = h.open_stream(8);
  h.core.on_input(1, make_chunks(2), false);
  h.core.on_input(1, make_chunks(2), false);
  for (uint64_t id = 1; id <= 4; ++id)
    h.ok(1, id);
  EXPECT_EQ(job->delivered_indexes(), (std::vector<size_t>{0, 1, 2, 3}));
}

TEST(coordinator_core, credit_pulls_more_input) {
  harness h{config(1)};
  h.start_ready();
  h.open_stream(8);
  h.core.on_input(1, make_chunks(8), false);
  EXPECT_EQ(h.env.pulls.size(), 1u);
  h.core.on_credit(1, 1); // nothing requested: ask for the one free slot
  ASSERT_EQ(h.env.pulls.size(), 2u);
  EXPECT_EQ(h.env.pulls.back(), std::make_pair(uint64_t{1}, size_t{1}));
  h.core.on_credit(1, 1); // one more is less than a quarter of the budget
  EXPECT_EQ(h.env.pulls.size(), 2u);
  h.core.on_credit(1, 1);
  ASSERT_EQ(h.env.pulls.size(), 3u);
  EXPECT_EQ(h.env.pulls.back(), std::make_pair(uint64_t{1}, size_t{2}));
}

TEST(coordinator_core, partial_input_keeps_request_open) {
  harness h{config(1)};
  h.start_ready();
  h.open_stream(8);
  h.core.on_input(1, make_chunks(3), false);
  EXPECT_EQ(h.env.pulls.size(), 1u); // 5 chunks still requested
  h.core.on_credit(1, 3);
  EXPECT_EQ(h.env.pulls.size(), 2u);
  EXPECT_EQ(h.env.pulls.back().second, 3u);
}

TEST(coordinator_core, end_of_input_ends_the_stream) {
  harness h{config(1, 4)};
  h.start_ready();
  auto job = h.open_stream(8);
  h.core.on_input(1, make_chunks(2), true);
  EXPECT_EQ(job->ends, (std::vector<size_t>{2}));
  EXPECT_EQ(h.env.stopped_feeders, 0u);
  h.ok(1, 1);
  h.ok(1, 2);
  EXPECT_EQ(h.env.stopped_feeders, 1u);
  h.core.on_credit(1, 2);
  EXPECT_EQ(h.env.pulls.size(), 1u);
}

TEST(coordinator_core, empty_stream_ends_at_once) {
  harness h{config(1)};
  h.start_ready();
  auto job = h.open_stream(8);
  h.core.on_input(1, {}, true);
  EXPECT_EQ(job->ends, (std::vector<size_t>{0}));
  EXPECT_EQ(h.env.stopped_feeders, 1u);
}

TEST(coordinator_core, input_error_fails_the_stream_input) {
  harness h{config(1, 4)};
  h.start_ready();
  auto job = h.open_stream(8);
  h.core.on_input(1, make_chunks(2), false);
  h.core.on_input_error(1, std::make_exception_ptr(std::runtime_error("x")));
  EXPECT_EQ(job->input_failures, (std::vector<size_t>{2}));
  EXPECT_EQ(h.env.stopped_feeders, 0u);
  h.ok(1, 1);
  h.ok(1, 2);
  EXPECT_EQ(job->delivered.size(), 2u);
  EXPECT_EQ(h.env.stopped_feeders, 1u);
}

TEST(coordinator_core, abandoned_stream_is_dropped_on_credit) {
  harness h{config(1, 2)};
  h.start_ready();
  auto job = h.open_stream(8);
  h.core.on_input(1, make_chunks(5), false);
  EXPECT_EQ(h.core.stats().queued, 3u);
  job->gone = true;
  h.core.on_credit(1, 0);
  EXPECT_EQ(h.env.stopped_feeders, 1u);
  EXPECT_EQ(h.core.stats().queued, 0u);
  h.core.on_input(1, make_chunks(2), false);
  EXPECT_EQ(h.core.stats().queued, 0u);
  h.ok(1, 1);
  h.ok(1, 2);
  EXPECT_EQ(h.env.sent_to(1), (std::vector<uint64_t>{1, 2}));
}

TEST(coordinator_core, stream_chunks_count_as_submitted) {
  harness h{config(1, 2)};
  h.start_ready();
  h.open_stream(8);
  h.core.on_input(1, make_chunks(3), false);
  EXPECT_EQ(h.core.stats().submitted, 3u);
}

TEST(coordinator_core, terminate_aborts_streams) {
  harness h{config(1, 2)};
  h.start_ready();
  auto job = h.open_stream(8);
  h.core.on_input(1, make_chunks(3), false);
  h.core.terminate();
  EXPECT_EQ(job->failed.size(), 3u);
  ASSERT_EQ(job->aborts.size(), 1u);
  EXPECT_EQ(code_of(job->aborts[0]), errc::terminated);
  EXPECT_EQ(h.env.stopped_feeders, 1u);
}

TEST(coordinator_core, terminate_with_ended_stream_still_queued) {
  // Failing the last queued chunk of an ended stream drops the stream, which
  // edits the queue and the task table while they are being failed (this
  // was a use after free).
  harness h{config(1)};
  h.core.start();
  auto job = h.open_stream(8);
  h.core.on_input(1, make_chunks(2), true);
  h.core.terminate();
  EXPECT_EQ(job->failed.size(), 2u);
  EXPECT_EQ(h.core.stats().queued, 0u);
}

TEST(coordinator_core, broken_pool_with_ended_stream_still_queued) {
  // The same path through break_pool(): the only worker dies before hello
  // while an ended stream's chunks wait.
  harness h{config(1)};
  h.core.start();
  auto job = h.open_stream(8);
  h.core.on_input(1, make_chunks(2), true);
  h.exit(1, -SIGKILL);
  ASSERT_EQ(job->failed.size(), 2u);
  EXPECT_EQ(code_of(job->failed[1].second), errc::worker_start_failed);
}

TEST(coordinator_core, closed_pool_waits_for_streams) {
  harness h{config(1, 4)};
  h.start_ready();
  h.open_stream(8);
  h.core.on_input(1, make_chunks(1), false);
  h.core.close();
  h.ok(1, 1);
  EXPECT_TRUE(h.env.shutdowns.empty());
  h.core.on_input(1, {}, true);
  EXPECT_EQ(h.env.shutdowns, (std::vector<uint64_t>{1}));
}

// -- per-worker figures
// ---------------------------------------------------------

TEST(coordinator_core, stats_count_each_workers_chunks_and_busy_time) {
  harness h{config(2, 1)};
  h.start_ready();
  h.env.rss[1] = 5'000'000;
  h.submit(3);
  h.ok(1, 1, "r", 100);
  h.ok(2, 2, "r", 40);
  h.ok(1, 3, "r", 50);
  auto st = h.core.stats();
  ASSERT_EQ(st.workers.size(), 2u);
  EXPECT_EQ(st.workers[0].pid, h.pid(1));
  EXPECT_EQ(st.workers[0].slot, 0u);
  EXPECT_EQ(st.workers[0].chunks, 2u);
  EXPECT_EQ(st.workers[0].busy_us, 150u);
  EXPECT_EQ(st.workers[0].resident_bytes, 5'000'000u);
  EXPECT_EQ(st.workers[1].slot, 1u);
  EXPECT_EQ(st.workers[1].chunks, 1u);
  EXPECT_EQ(st.workers[1].busy_us, 40u);
  EXPECT_EQ(st.workers[1].resident_bytes, 0u); // unknown
  EXPECT_EQ(st.workers[0].restarts + st.workers[1].restarts, 0u);
}

TEST(coordinator_core, a_replacement_takes_the_place_of_the_dead_worker) {
  harness h{config(2, 1)};
  h.start_ready();
  h.exit(2, -SIGKILL);
  ASSERT_EQ(h.env.started.size(), 3u);
  h.hello(3);
  auto st = h.core.stats();
  ASSERT_EQ(st.workers.size(), 2u);
  EXPECT_EQ(st.workers[1].pid, h.pid(3));
  EXPECT_EQ(st.workers[1].slot, 1u);
  EXPECT_EQ(st.workers[1].restarts, 1u);
  EXPECT_EQ(st.workers[0].restarts, 0u);
  EXPECT_EQ(st.workers[1].chunks, 0u);
}

// The place a worker is started in (its output prefix's `{place}`) is the
// one its figures show, also when a start failed in between.
TEST(coordinator_core, a_worker_starts_in_the_place_its_figures_show) {
  harness h{config(3, 1)};
  h.start_ready();
  EXPECT_EQ(h.env.start_places, (std::vector<uint32_t>{0, 1, 2}));
  h.env.failing_starts = 1;
  h.exit(2, -SIGKILL); // the replacement fails to start
  h.core.on_timer(timer_kind::respawn, 0);
  EXPECT_EQ(h.env.start_places, (std::vector<uint32_t>{0, 1, 2, 1, 1}));
  ASSERT_EQ(h.env.started.size(), 4u);
  h.hello(h.env.started.back());
  auto st = h.core.stats();
  ASSERT_EQ(st.workers.size(), 3u);
  EXPECT_EQ(st.workers[1].pid, h.pid(h.env.started.back()));
  EXPECT_EQ(st.workers[1].slot, 1u);
  EXPECT_EQ(st.workers[1].restarts, 1u);
}
