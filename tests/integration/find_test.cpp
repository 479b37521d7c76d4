// find_first over real worker processes: the winner, its index and the
// counts; several matches at once; the lowest-index policy; stopping
// cooperative and non-cooperative tasks; a bounded window over an unbounded
// input; errors; and a pool that keeps working afterwards.

#include "actorpool/find_result.hpp"

#include <atomic>
#include <chrono>
#include <optional>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

#include "actorpool/pool.hpp"
#include "actorpool/ranges.hpp"
#include "actorpool/this_task.hpp"
#include "support/leak_check.hpp"
#include "support/process_helpers.hpp"
#include "support/test_tasks.hpp"

using namespace actorpool;
using namespace actorpool::test;
using namespace std::chrono_literals;

namespace {

/// Sleeps 1 ms (cooperatively) and says whether `x` is the target 200.
bool is_200(int x) {
  this_task::sleep_for(1ms);
  return x == 200;
}
ACTORPOOL_TASK(is_200)

/// True for every input from 10 on: many matches arrive at once.
bool at_least_10(int x) {
  this_task::sleep_for(2ms);
  return x >= 10;
}
ACTORPOOL_TASK(at_least_10)

/// Later inputs finish first: input x sleeps (8 - x) * 15 ms.
bool late_small(int x) {
  this_task::sleep_for(std::chrono::milliseconds{(8 - x) * 15});
  return x >= 3;
}
ACTORPOOL_TASK(late_small)

/// Ignores cancellation: spins for `ms` unless it is input 0.
bool stubborn(int x) {
  if (x == 0)
    return true;
  auto end = std::chrono::steady_clock::now() + 10s;
  while (std::chrono::steady_clock::now() < end)
    ; // no check of this_task::cancelled()
  return false;
}
ACTORPOOL_TASK(stubborn)

/// Input -1 matches after 20 ms; the others wait until they are cancelled.
bool patient(int x) {
  if (x == -1) {
    this_task::sleep_for(20ms);
    return true;
  }
  while (!this_task::cancelled())
    this_task::sleep_for(10s);
  return false;
}
ACTORPOOL_TASK(patient)

/// One input per worker, the last one the match.
std::vector<int> one_per_worker(int workers) {
  std::vector<int> xs;
  for (int i = 0; i < workers - 1; ++i)
    xs.push_back(i);
  xs.push_back(-1);
  return xs;
}

int fails_at_5(int x) {
  if (x == 5)
    throw std::out_of_range("five");
  this_task::sleep_for(1ms);
  return x;
}
ACTORPOOL_TASK(fails_at_5)

bool is_true(bool x) {
  return x;
}

class find_test : public process_test_p {};

} // namespace

TEST_P(find_test, finds_the_match_and_stops) {
  pool p{workers()};
  auto r = p.find_first(is_200, irange(0, 5000), is_true);
  ASSERT_TRUE(r.found());
  EXPECT_TRUE(r.value());
  EXPECT_EQ(r.index(), 200u);
  EXPECT_GE(r.completed(), 1u);
  // Everything that started was read before the stop; the window bounds
  // how far the input was read beyond the match.
  EXPECT_LE(r.completed() + r.cancelled() + r.never_started(),
            201u + 64u * static_cast<unsigned>(workers()) + 64u);
  EXPECT_LT(r.stop_latency(), 1s);
  // The pool answers right after.
  EXPECT_EQ(p.map(sqr, std::vector<int>{1, 2, 3}), (std::vector<int>{1, 4, 9}));
  EXPECT_EQ(p.stats().workers_killed, 0u); // cooperative tasks stop alone
}

TEST_P(find_test, no_match_reads_everything) {
  pool p{workers()};
  auto r = p.find_first(sqr, irange(0, 300), [](int y) { return y < 0; });
  EXPECT_FALSE(r.found());
  EXPECT_FALSE(r);
  EXPECT_EQ(r.completed(), 300u);
  EXPECT_EQ(r.cancelled() + r.never_started(), 0u);
  EXPECT_THROW(r.index(), state_error);
}

TEST_P(find_test, empty_input_finds_nothing) {
  pool p{workers()};
  auto r = p.find_first(sqr, std::vector<int>{}, [](int) { return true; });
  EXPECT_FALSE(r.found());
  EXPECT_EQ(r.completed(), 0u);
}

TEST_P(find_test, several_matches_at_once_have_one_winner) {
  pool p{workers()};
  for (int round = 0; round < 3; ++round) {
    auto r = p.find_first(at_least_10, irange(0, 400), is_true);
    ASSERT_TRUE(r.found());
    EXPECT_GE(r.index(), 10u);
    EXPECT_LT(r.index(), 400u);
  }
}

TEST_P(find_test, lowest_index_waits_for_earlier_inputs) {
  pool p{workers()};
  auto opts = find_options{}.policy(find_policy::lowest_index);
  auto r = p.find_first(late_small, irange(0, 8), is_true, opts);
  ASSERT_TRUE(r.found());
  EXPECT_EQ(r.index(), 3u);
  auto r2 = p.find_first(at_least_10, irange(0, 400), is_true, opts);
  ASSERT_TRUE(r2.found());
  EXPECT_EQ(r2.index(), 10u);
}

TEST_P(find_test, cooperative_running_tasks_are_cancelled_without_a_kill) {
  pool p{workers()};
  auto pids = p.stats().pids;
  auto r = p.find_first(patient, one_per_worker(workers()), is_true);
  ASSERT_TRUE(r.found());
  EXPECT_EQ(r.index(), static_cast<size_t>(workers() - 1));
  EXPECT_EQ(r.completed(), 1u);
  EXPECT_EQ(r.cancelled(), static_cast<uint64_t>(workers() - 1));
  EXPECT_EQ(p.stats().workers_killed, 0u);
  EXPECT_EQ(p.stats().pids, pids);
}

TEST_P(find_test, stubborn_tasks_are_killed_after_the_grace_period) {
  pool p{pool_options{}.processes(workers()).cancel_grace(50ms)};
  auto r = p.find_first(stubborn, irange(0, 3 * workers()), is_true);
  ASSERT_TRUE(r.found());
  EXPECT_EQ(r.index(), 0u);
  // Inputs that had started spin on: each of them costs its worker. (How
  // many started before the stop depends on the scheduling of the workers.)
  auto w = static_cast<uint64_t>(workers());
  EXPECT_EQ(r.completed(), 1u);
  EXPECT_LE(r.cancelled(), w);
  EXPECT_EQ(r.cancelled() + r.never_started(), 3 * w - 1);
  EXPECT_EQ(p.stats().workers_killed, r.cancelled());
  EXPECT_EQ(p.apply(sqr, 9), 81); // replacements serve
  EXPECT_EQ(p.stats().pids.size(), static_cast<size_t>(workers()));
}

TEST_P(find_test, an_unbounded_input_is_read_within_the_window) {
  pool p{workers()};
  std::atomic<long> pulled{0};
  std::atomic<long> seen{0};
  std::atomic<long> max_ahead{0};
  auto gen = generate([&]() -> std::optional<int> {
    auto ahead = pulled - seen;
    if (ahead > max_ahead)
      max_ahead = ahead;
    return static_cast<int>(pulled++);
  });
  auto opts = find_options{}.window(16);
  auto r = p.find_first(
    sqr, std::move(gen),
    [&](int y) {
      ++seen;
      return y == 2000 * 2000;
    },
    opts);
  ASSERT_TRUE(r.found());
  EXPECT_EQ(r.index(), 2000u);
  // Chunks read but not yet evaluated never exceed the window (plus the
  // one being read), however long the input. (How far past the match the
  // input was read depends on how long the match itself took: other
  // workers go on meanwhile.)
  EXPECT_LE(max_ahead.load(), 17);
  EXPECT_LE(pulled.load(), seen.load() + 17);
}

TEST_P(find_test, a_task_error_ends_the_search) {
  pool p{workers()};
  EXPECT_THROW(p.find_first(fails_at_5, irange(0, 100),
                            [](int y) { return y > 1000; }),
               std::out_of_range);
  EXPECT_EQ(p.apply(sqr, 3), 9);
}

TEST_P(find_test, an_input_error_ends_the_search) {
  pool p{workers()};
  EXPECT_THROW(p.find_first(sqr, throwing_range(100, 20),
                            [](int y) { return y < 0; }),
               input_error);
}

TEST_P(find_test, a_throwing_predicate_ends_the_search) {
  pool p{workers()};
  EXPECT_THROW(p.find_first(sqr, irange(0, 100),
                            [](int y) -> bool {
                              if (y == 49)
                                throw std::invalid_argument("seven");
                              return false;
                            }),
               std::invalid_argument);
}

TEST_P(find_test, cancelling_the_result_stops_the_search) {
  pool p{workers()};
  auto r = p.find_first_async(patient, irange(0, 100), is_true);
  EXPECT_FALSE(r.wait(50ms));
  EXPECT_TRUE(r.cancel());
  EXPECT_TRUE(r.cancelled());
  EXPECT_THROW(r.get(), cancelled_error);
  EXPECT_EQ(p.apply(sqr, 4), 16);
  EXPECT_EQ(p.stats().workers_killed, 0u);
}

TEST_P(find_test, progress_is_reported) {
  pool p{workers()};
  std::vector<progress> reports;
  auto opts = find_options{}
                .on_progress([&](const progress& x) { reports.push_back(x); },
                             0ms);
  auto r = p.find_first(
    sqr, irange(0, 50), [](int) { return false; }, opts);
  EXPECT_FALSE(r.found());
  ASSERT_FALSE(reports.empty());
  EXPECT_TRUE(reports.back().finished);
  EXPECT_EQ(reports.back().completed, 50u);
  ASSERT_TRUE(reports.back().total.has_value());
  EXPECT_EQ(*reports.back().total, 50u);
}

INSTANTIATE_TEST_SUITE_P(early_stop, find_test,
                         ::testing::ValuesIn(worker_counts()), worker_name);
