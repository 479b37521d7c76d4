// coordinator_core with spare workers (pool_config::spare_workers): spares
// start after the pool's workers, get no chunks, take the place of a worker
// that ends at once, are restarted when they die, and stop with the pool.

#include "coordinator/coordinator_core.hpp"

#include "coordinator_harness.hpp"

using namespace actorpool::test;

namespace {

pool_config with_spares(size_t processes, size_t spares, size_t window = 2) {
  auto cfg = config(processes, window);
  cfg.spare_workers = spares;
  return cfg;
}

} // namespace

// -- start-up -----------------------------------------------------------------

TEST(coordinator_spare, spares_start_after_the_workers) {
  harness h{with_spares(2, 1)};
  h.core.start();
  EXPECT_EQ(h.env.started, (std::vector<uint64_t>{1, 2, 3}));
  // A spare starts with a place past the pool's own.
  EXPECT_EQ(h.env.start_places, (std::vector<uint32_t>{0, 1, 2}));
  EXPECT_EQ(h.env.timers_of(timer_kind::start_timeout), 3u);
  auto st = h.core.stats();
  EXPECT_EQ(st.workers_started, 3u);
  EXPECT_EQ(st.pids, (std::vector<int32_t>{100, 101}));
  EXPECT_TRUE(st.spare_pids.empty()); // not ready yet
}

TEST(coordinator_spare, ready_spares_show_apart) {
  harness h{with_spares(2, 2)};
  h.start_ready();
  auto st = h.core.stats();
  EXPECT_EQ(st.pids, (std::vector<int32_t>{100, 101}));
  EXPECT_EQ(st.ready_pids, (std::vector<int32_t>{100, 101}));
  EXPECT_EQ(st.spare_pids, (std::vector<int32_t>{102, 103}));
  ASSERT_EQ(st.workers.size(), 2u);
  EXPECT_EQ(st.workers[1].pid, 101);
}

TEST(coordinator_spare, the_pool_is_ready_without_its_spares) {
  harness h{with_spares(1, 1)};
  h.core.start();
  std::vector<caf::error> calls;
  h.core.when_ready([&](const caf::error& err) { calls.push_back(err); });
  h.hello(2); // the spare
  EXPECT_TRUE(calls.empty());
  h.hello(1);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_FALSE(calls[0]);
}

TEST(coordinator_spare, spares_run_the_initializer) {
  auto cfg = with_spares(1, 1);
  cfg.initializer = task_msg{0, "init", 1, "args"};
  harness h{cfg};
  h.start_ready();
  ASSERT_EQ(h.env.inits.size(), 2u);
  EXPECT_EQ(h.env.inits[1].first, 2u);
  EXPECT_TRUE(h.core.stats().spare_pids.empty()); // initializer still runs
  h.ok(2, 0);
  EXPECT_EQ(h.core.stats().spare_pids, (std::vector<int32_t>{101}));
}

TEST(coordinator_spare, spares_get_no_chunks) {
  harness h{with_spares(1, 1)};
  h.start_ready();
  h.submit(10);
  EXPECT_EQ(h.env.sent_to(1), (std::vector<uint64_t>{1, 2}));
  EXPECT_TRUE(h.env.sent_to(2).empty());
  h.ok(1, 1);
  h.ok(1, 2);
  EXPECT_TRUE(h.env.sent_to(2).empty());
  EXPECT_EQ(h.core.stats().queued, 6u);
}

TEST(coordinator_spare, no_spares_by_default) {
  harness h{config(2)};
  h.start_ready();
  EXPECT_EQ(h.env.started.size(), 2u);
  EXPECT_TRUE(h.core.stats().spare_pids.empty());
}

// -- taking a place -----------------------------------------------------------

TEST(coordinator_spare, a_dead_workers_place_goes_to_the_spare) {
  harness h{with_spares(2, 1)};
  h.start_ready();
  auto job = h.submit(4);
  h.exit(1, -SIGKILL);
  // The spare (pid 102) holds place 0 now and got the chunks of the dead
  // worker (they died together: the first runs alone) at once.
  EXPECT_EQ(h.env.sent_to(3), (std::vector<uint64_t>{1}));
  auto st = h.core.stats();
  EXPECT_EQ(st.pids, (std::vector<int32_t>{101, 102}));
  EXPECT_EQ(st.ready_pids, (std::vector<int32_t>{101, 102}));
  ASSERT_EQ(st.workers.size(), 2u);
  EXPECT_EQ(st.workers[0].pid, 102);
  EXPECT_EQ(st.workers[0].slot, 0u);
  EXPECT_EQ(st.workers[0].restarts, 1u);
  EXPECT_EQ(st.workers_died, 1u);
  // A new spare starts in the background.
  EXPECT_EQ(h.env.started, (std::vector<uint64_t>{1, 2, 3, 4}));
  EXPECT_TRUE(st.spare_pids.empty());
  h.hello(4);
  EXPECT_EQ(h.core.stats().spare_pids, (std::vector<int32_t>{103}));
  EXPECT_TRUE(h.env.sent_to(4).empty());
  EXPECT_TRUE(job->failed.empty());
}

TEST(coordinator_spare, no_chunk_is_lost_or_charged) {
  auto cfg = with_spares(1, 1);
  cfg.max_retries = 0;
  harness h{cfg};
  h.start_ready();
  auto job = h.submit(3);
  h.ok(1, 1);
  h.exit(1, -SIGKILL); // chunks 2 and 3 died together: no charge
  for (uint64_t id = 2; id <= 3; ++id)
    h.ok(2, id);
  EXPECT_TRUE(job->failed.empty());
  EXPECT_EQ(job->delivered_indexes(), (std::vector<size_t>{0, 1, 2}));
}

TEST(coordinator_spare, a_starting_spare_takes_the_place_too) {
  harness h{with_spares(1, 1)};
  h.core.start();
  h.hello(1);
  auto job = h.submit(1);
  h.exit(1, -SIGKILL);
  // The spare had not said hello: it holds the place and gets the chunk
  // once ready; a new spare starts.
  EXPECT_EQ(h.env.started, (std::vector<uint64_t>{1, 2, 3}));
  EXPECT_EQ(h.core.stats().pids, (std::vector<int32_t>{101}));
  h.hello(2);
  EXPECT_EQ(h.env.sent_to(2), (std::vector<uint64_t>{1}));
  EXPECT_TRUE(h.env.sent_to(3).empty());
}

TEST(coordinator_spare, the_ready_spare_is_promoted_first) {
  harness h{with_spares(1, 2)};
  h.core.start();
  h.hello(1);
  h.hello(3); // the second spare is ready, the first is not
  h.exit(1, -SIGKILL);
  EXPECT_EQ(h.core.stats().pids, (std::vector<int32_t>{102}));
  EXPECT_EQ(h.core.stats().ready_pids, (std::vector<int32_t>{102}));
}

TEST(coordinator_spare, retirement_hands_the_place_to_the_spare) {
  auto cfg = with_spares(1, 1);
  cfg.max_tasks_per_child = 2;
  harness h{cfg};
  h.start_ready();
  auto job = h.submit(3);
  // Worker 1 got its two chunks and retires; the spare takes chunk 3 at
  // once, before worker 1 finished.
  EXPECT_EQ(h.env.sent_to(1), (std::vector<uint64_t>{1, 2}));
  EXPECT_EQ(h.env.sent_to(2), (std::vector<uint64_t>{3}));
  EXPECT_EQ(h.env.started, (std::vector<uint64_t>{1, 2, 3}));
  h.ok(1, 1);
  h.ok(1, 2);
  h.ok(2, 3);
  EXPECT_EQ(h.env.shutdowns, (std::vector<uint64_t>{1}));
  EXPECT_EQ(job->delivered.size(), 3u);
}

TEST(coordinator_spare, a_killed_worker_is_replaced_by_the_spare) {
  auto cfg = with_spares(1, 1);
  cfg.task_timeout = 100ms;
  harness h{cfg};
  h.start_ready();
  auto job = h.submit(2);
  h.env.advance(150ms);
  h.core.on_timer(timer_kind::deadline, 1);
  ASSERT_TRUE(h.env.killed(1));
  // Chunk 2 went back to the queue and on to the spare, in place 0.
  EXPECT_EQ(h.env.sent_to(2), (std::vector<uint64_t>{2}));
  ASSERT_EQ(h.core.stats().workers.size(), 1u);
  EXPECT_EQ(h.core.stats().workers[0].slot, 0u);
  EXPECT_EQ(h.env.started.size(), 3u);
}

// -- spares that end ----------------------------------------------------------

TEST(coordinator_spare, a_dead_spare_is_restarted_at_no_cost) {
  harness h{with_spares(1, 1)};
  h.start_ready();
  auto job = h.submit(1);
  h.exit(2, -SIGKILL);
  EXPECT_EQ(h.env.started, (std::vector<uint64_t>{1, 2, 3}));
  auto st = h.core.stats();
  EXPECT_EQ(st.pids, (std::vector<int32_t>{100}));
  EXPECT_EQ(h.env.sent_to(1), (std::vector<uint64_t>{1}));
  EXPECT_TRUE(job->failed.empty());
  h.hello(3);
  EXPECT_EQ(h.core.stats().spare_pids, (std::vector<int32_t>{102}));
}

TEST(coordinator_spare, a_spare_dying_before_hello_is_retried_later) {
  harness h{with_spares(1, 1)};
  h.start_ready();
  h.exit(2, -SIGKILL);
  h.exit(3, -SIGKILL); // the new spare dies before its hello
  EXPECT_EQ(h.env.started.size(), 3u);
  ASSERT_EQ(h.env.timers_of(timer_kind::respawn), 1u);
  EXPECT_EQ(h.env.timers.back().delay, 10ms);
  h.core.on_timer(timer_kind::respawn, 0);
  EXPECT_EQ(h.env.started.size(), 4u);
  EXPECT_TRUE(h.core.running());
}

TEST(coordinator_spare, a_spare_failing_to_start_is_retried_later) {
  harness h{with_spares(1, 1)};
  h.start_ready();
  h.env.failing_starts = 1;
  h.exit(2, -SIGKILL);
  EXPECT_EQ(h.env.started.size(), 2u);
  ASSERT_EQ(h.env.timers_of(timer_kind::respawn), 1u);
  h.core.on_timer(timer_kind::respawn, 0);
  EXPECT_EQ(h.env.started.size(), 3u);
}

// -- shutdown -----------------------------------------------------------------

TEST(coordinator_spare, close_stops_the_spares_with_the_workers) {
  harness h{with_spares(1, 1)};
  h.start_ready();
  auto job = h.submit(1);
  h.core.close();
  EXPECT_TRUE(h.env.shutdowns.empty()); // work remains
  h.ok(1, 1);
  EXPECT_EQ(h.env.shutdowns, (std::vector<uint64_t>{1, 2}));
  bool joined = false;
  EXPECT_FALSE(h.core.join([&] { joined = true; }));
  h.exit(1, 0);
  EXPECT_FALSE(joined);
  h.exit(2, 0);
  EXPECT_TRUE(joined);
}

TEST(coordinator_spare, close_stops_a_starting_spare) {
  harness h{with_spares(1, 1)};
  h.core.start();
  h.hello(1);
  h.core.close();
  EXPECT_EQ(h.env.shutdowns, (std::vector<uint64_t>{1, 2}));
  h.hello(2); // too late: it is on its way out
  EXPECT_EQ(h.env.shutdowns, (std::vector<uint64_t>{1, 2}));
  EXPECT_TRUE(h.core.stats().spare_pids.empty());
}

TEST(coordinator_spare, no_new_spare_once_closed) {
  harness h{with_spares(1, 1)};
  h.start_ready();
  auto job = h.submit(2);
  h.core.close();
  h.exit(1, -SIGKILL);
  // The spare took the place; no new spare starts.
  EXPECT_EQ(h.env.started.size(), 2u);
  EXPECT_FALSE(h.env.sent_to(2).empty());
}

TEST(coordinator_spare, terminate_stops_the_spares) {
  harness h{with_spares(1, 2)};
  h.start_ready();
  h.core.terminate();
  EXPECT_EQ(h.env.stops, (std::vector<uint64_t>{1, 2, 3}));
  bool joined = false;
  EXPECT_FALSE(h.core.join([&] { joined = true; }));
  for (uint64_t wid = 1; wid <= 3; ++wid)
    h.exit(wid, -SIGTERM);
  EXPECT_TRUE(joined);
  EXPECT_EQ(h.env.started.size(), 3u);
}

TEST(coordinator_spare, shutdown_now_kills_the_spares) {
  harness h{with_spares(1, 1)};
  h.start_ready();
  h.core.shutdown_now();
  EXPECT_TRUE(h.env.killed(2));
  EXPECT_EQ(h.env.waited, (std::vector<uint64_t>{1, 2}));
  EXPECT_TRUE(h.core.finished());
}
