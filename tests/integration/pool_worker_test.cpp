// Port of CPython's _TestPoolWorkerErrors, _TestPoolWorkerLifetime and
// TestInitializers, plus what a C++ pool adds: user types, large payloads,
// unknown tasks, the frame size limit.

#include "actorpool/pool.hpp"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/leak_check.hpp"
#include "support/process_helpers.hpp"
#include "support/test_tasks.hpp"

using namespace actorpool;
using namespace actorpool::test;

namespace {

class pool_worker_test : public process_test_p {};

std::set<int32_t> pid_set(const pool& p) {
  auto pids = p.stats().pids;
  return {pids.begin(), pids.end()};
}

int not_registered(int x) {
  return x;
}

} // namespace

// -- _TestPoolWorkerErrors ----------------------------------------------------

TEST_P(pool_worker_test, async_error_callback) {
  pool p{workers()};
  std::string seen;
  bool was_key_error = false;
  auto res = p.apply_async(raising).on_error([&](const std::exception& e) {
    was_key_error = dynamic_cast<const key_error*>(&e) != nullptr;
    seen = e.what();
  });
  EXPECT_THROW(res.get(), key_error);
  EXPECT_TRUE(was_key_error);
  EXPECT_EQ(seen, "key");
  p.close();
  p.join();
}

TEST_P(pool_worker_test, unpickleable_result) {
  // A result that cannot be serialized fails its call and costs no worker.
  // Python's MaybeEncodingError carries the reason (`exc`) and the value;
  // here the message says which task's result, of which type, and why.
  pool p{workers()};
  auto before = pid_set(p);
  for (int i = 0; i < 20; ++i) {
    bool was_encoding_error = false;
    std::string wrapped;
    auto res = p.apply_async(unsendable_result)
                 .on_error([&](const std::exception& e) {
                   was_encoding_error = dynamic_cast<const encoding_error*>(&e)
                                        != nullptr;
                   wrapped = e.what();
                 });
    EXPECT_THROW(res.get(), encoding_error);
    EXPECT_TRUE(was_encoding_error);
    for (auto part :
         {"unsendable_result", "result", "actorpool::test::unsendable",
          "unsendable refuses to be serialized"})
      EXPECT_NE(wrapped.find(part), std::string::npos)
        << "'" << part << "' missing in: " << wrapped;
  }
  EXPECT_EQ(pid_set(p), before);
  p.close();
  p.join();
}

// -- _TestPoolWorkerLifetime --------------------------------------------------

TEST_P(pool_worker_test, worker_lifetime) {
  pool p{pool_options{}.processes(workers()).max_tasks_per_child(10)};
  EXPECT_EQ(p.size(), static_cast<size_t>(workers()));
  auto original = pid_set(p);
  std::vector<async_result<int>> results;
  for (int i = 0; i < 100; ++i)
    results.push_back(p.apply_async(sqr, i));
  for (int i = 0; i < 100; ++i)
    EXPECT_EQ(results[static_cast<size_t>(i)].get(), i * i);
  auto final_pids = pid_set(p);
  EXPECT_EQ(final_pids.size(), static_cast<size_t>(workers()));
  EXPECT_NE(final_pids, original);
  p.close();
  p.join();
}

TEST_P(pool_worker_test, worker_lifetime_early_close) {
  // Python issue #10332: closing a pool whose workers have limited lifetimes
  // before all the tasks completed must not make join() hang.
  pool p{pool_options{}.processes(workers()).max_tasks_per_child(1)};
  std::vector<async_result<int>> results;
  for (int i = 0; i < 6; ++i)
    results.push_back(p.apply_async(sqr_wait, i, 0.1));
  p.close();
  p.join();
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(results[static_cast<size_t>(i)].get(), i * i);
}

TEST(pool_worker_lifetime, rejects_invalid_max_tasks) {
  for (long value : {0L, -1L})
    EXPECT_THROW(pool(pool_options{}.processes(2).max_tasks_per_child(value)),
                 bad_argument);
}

TEST_P(pool_worker_test, each_chunk_counts_as_one_task) {
  pool p{pool_options{}.processes(workers()).max_tasks_per_child(2)};
  std::vector<int> xs(40, 3);
  auto ys = p.map(sqr, xs, 4);
  EXPECT_EQ(ys, std::vector<int>(40, 9));
  EXPECT_GE(p.stats().workers_started, 10u / 2u);
}

// -- TestInitializers ---------------------------------------------------------

TEST_P(pool_worker_test, initializer) {
  pool p{pool_options{}.processes(workers()).initializer(set_marker, 7)};
  std::vector<int> zeros(static_cast<size_t>(workers()) * 8, 0);
  for (auto marker : p.map(read_marker_of, zeros, 1))
    EXPECT_EQ(marker, 7);
}

TEST_P(pool_worker_test, initializer_runs_in_replacements) {
  pool p{pool_options{}
           .processes(workers())
           .max_tasks_per_child(1)
           .initializer(set_marker, 11)};
  std::vector<int> zeros(static_cast<size_t>(workers()) * 3, 0);
  for (auto marker : p.map(read_marker_of, zeros, 1))
    EXPECT_EQ(marker, 11);
}

class pool_initializer : public process_test {};

TEST_F(pool_initializer, failing_initializer_fails_construction) {
  EXPECT_THROW(pool(
                 pool_options{}.processes(2).initializer(failing_initializer)),
               start_error);
}

TEST_F(pool_initializer, initializer_must_be_registered) {
  EXPECT_THROW(pool_options{}.initializer(not_registered, 1),
               unknown_task_error);
}

// -- workers that cannot start ------------------------------------------------

namespace {} // namespace

class pool_start : public process_test {};

TEST_F(pool_start, worker_exiting_early_fails_construction) {
  scoped_env env{"ACTORPOOL_TEST_WORKER_EXIT", "3"};
  try {
    pool p{2};
    FAIL() << "expected start_error";
  } catch (const start_error& e) {
    EXPECT_NE(std::string{e.what()}.find("exited with code 3"),
              std::string::npos)
      << e.what();
  }
}

TEST_F(pool_start, worker_without_hello_fails_construction) {
  scoped_env env{"ACTORPOOL_TEST_WORKER_HANG", "1"};
  try {
    pool p{pool_options{}.processes(2).start_timeout(
      std::chrono::milliseconds{300})};
    FAIL() << "expected start_error";
  } catch (const start_error& e) {
    EXPECT_NE(std::string{e.what()}.find("start timeout"), std::string::npos)
      << e.what();
  }
}

// -- beyond CPython -----------------------------------------------------------

TEST_P(pool_worker_test, user_types_round_trip) {
  pool p{workers()};
  auto q = p.apply(scale_point, point{1, -2, "p"}, 3);
  EXPECT_EQ(q.x, 3);
  EXPECT_EQ(q.y, -6);
  EXPECT_EQ(q.label, "p*3");
  std::vector<point> ps{{1, 1, "a"}, {2, 2, "b"}};
  auto scaled = p.starmap(scale_point,
                          std::vector<std::tuple<point, int>>{{ps[0], 2},
                                                              {ps[1], 5}});
  ASSERT_EQ(scaled.size(), 2u);
  EXPECT_EQ(scaled[1].x, 10);
  EXPECT_EQ(scaled[1].label, "b*5");
}

TEST_P(pool_worker_test, large_payloads) {
  pool p{workers()};
  std::string mib(size_t{1} << 20, 'z');
  std::vector<async_result<size_t>> results;
  for (int i = 0; i < 16; ++i)
    results.push_back(p.apply_async(payload_size, mib));
  for (auto& r : results)
    EXPECT_EQ(r.get(), mib.size());
  EXPECT_EQ(p.apply(repeat, std::string{"ab"}, 1 << 19).size(),
            size_t{1} << 20);
}

TEST_P(pool_worker_test, unknown_task_is_a_clear_error) {
  pool p{workers()};
  EXPECT_THROW(p.apply(not_registered, 1), unknown_task_error);
  EXPECT_EQ(p.apply(sqr, 4), 16);
}

TEST_P(pool_worker_test, task_missing_in_worker_is_a_clear_error) {
  // Registered here only: workers never run main(), so they lack it.
  auto local_only = make_task("local_only", [](int x) { return x + 1; });
  pool p{workers()};
  try {
    p.apply(local_only, 1);
    FAIL() << "expected unknown_task_error";
  } catch (const unknown_task_error& e) {
    EXPECT_NE(std::string{e.what()}.find("local_only"), std::string::npos);
  }
  EXPECT_EQ(p.apply(sqr, 4), 16);
}

TEST_P(pool_worker_test, frame_size_limit) {
  pool p{pool_options{}.processes(workers()).max_frame_size(4096)};
  EXPECT_THROW(p.apply(payload_size, std::string(8192, 'x')), encoding_error);
  EXPECT_EQ(p.apply(payload_size, std::string(1000, 'x')), 1000u);
  // A result over the limit fails its call, not its worker.
  EXPECT_THROW(p.apply(repeat, std::string{"ab"}, 4096), encoding_error);
  // Results that fit one by one but not together take several frames.
  std::vector<std::tuple<std::string, int>> xs(16, {"ab", 800});
  for (auto& y : p.starmap(repeat, xs, 1))
    EXPECT_EQ(y.size(), 1600u);
  EXPECT_EQ(p.stats().workers_died, 0u);
}

TEST_P(pool_worker_test, workers_are_separate_processes) {
  pool p{workers()};
  auto pids = pid_set(p);
  EXPECT_EQ(pids.count(static_cast<int32_t>(getpid())), 0u);
  std::vector<double> waits(static_cast<size_t>(workers()) * 4, 0.05);
  for (auto pid : p.map(worker_pid_wait, waits, 1))
    EXPECT_EQ(pids.count(pid), 1u);
}

INSTANTIATE_TEST_SUITE_P(cpython, pool_worker_test,
                         ::testing::ValuesIn(worker_counts()), worker_name);
