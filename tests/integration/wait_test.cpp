// Waiting on many results (Python: concurrent.futures.wait and
// as_completed) over real worker processes.

#include "actorpool/wait.hpp"

#include <chrono>
#include <vector>

#include <gtest/gtest.h>

#include "actorpool/pool.hpp"
#include "support/leak_check.hpp"
#include "support/process_helpers.hpp"
#include "support/test_tasks.hpp"

using namespace actorpool;
using namespace actorpool::test;
using namespace std::chrono_literals;

namespace {

class wait_test : public process_test_p {};

} // namespace

TEST_P(wait_test, all_completed) {
  pool p{workers()};
  std::vector<async_result<int>> rs;
  for (int i = 0; i < 10; ++i)
    rs.push_back(p.apply_async(sqr, i));
  auto w = wait(rs);
  EXPECT_EQ(w.done.size(), 10u);
  EXPECT_TRUE(w.not_done.empty());
  for (int i = 0; i < 10; ++i)
    EXPECT_EQ(rs[static_cast<size_t>(i)].get(), i * i);
}

TEST_P(wait_test, first_completed_returns_before_the_slow_ones) {
  pool p{workers()};
  std::vector<async_result<int>> rs;
  rs.push_back(p.apply_async(sqr, 2));
  rs.push_back(p.apply_async(sqr_wait, 1, 30.0)); // 30 s
  auto w = wait(rs, return_when::first_completed, 20s);
  EXPECT_EQ(w.done, (std::vector<size_t>{0}));
  EXPECT_EQ(w.not_done, (std::vector<size_t>{1}));
  rs[1].cancel();
}

TEST_P(wait_test, first_exception_returns_on_a_failure) {
  pool p{workers()};
  std::vector<async_result<int>> rs;
  rs.push_back(p.apply_async(parse_int, std::string{"nope"}));
  rs.push_back(p.apply_async(sqr_wait, 1, 30.0));
  auto w = wait(rs, return_when::first_exception, 20s);
  EXPECT_EQ(w.done, (std::vector<size_t>{0}));
  EXPECT_FALSE(rs[0].successful());
  rs[1].cancel();
}

TEST_P(wait_test, first_exception_without_failures_waits_for_all) {
  pool p{workers()};
  std::vector<async_result<int>> rs;
  for (int i = 0; i < 5; ++i)
    rs.push_back(p.apply_async(sqr, i));
  auto w = wait(rs, return_when::first_exception);
  EXPECT_EQ(w.done.size(), 5u);
}

TEST_P(wait_test, a_timeout_reports_what_is_not_done) {
  pool p{workers()};
  std::vector<async_result<int>> rs;
  rs.push_back(p.apply_async(sqr_wait, 1, 30.0));
  auto w = wait(rs, return_when::all_completed, 50ms);
  EXPECT_TRUE(w.done.empty());
  EXPECT_EQ(w.not_done, (std::vector<size_t>{0}));
  rs[0].cancel();
}

TEST_P(wait_test, as_completed_yields_in_completion_order) {
  pool p{workers()};
  std::vector<async_result<int>> rs;
  rs.push_back(p.apply_async(sqr_wait, 3, 0.3));
  rs.push_back(p.apply_async(sqr, 2));
  std::vector<int> order;
  for (auto& r : as_completed(rs))
    order.push_back(r.get());
  if (workers() > 1)
    EXPECT_EQ(order, (std::vector<int>{4, 9}));
  else
    EXPECT_EQ(order.size(), 2u);
}

TEST_P(wait_test, as_completed_times_out) {
  pool p{workers()};
  std::vector<async_result<int>> rs;
  rs.push_back(p.apply_async(sqr_wait, 3, 30.0));
  auto seq = as_completed(rs, 50ms);
  EXPECT_THROW(seq.next(), timeout_error);
  rs[0].cancel();
  EXPECT_TRUE(seq.next().has_value()); // cancelled counts as completed
}

TEST_P(wait_test, an_empty_list_is_done_at_once) {
  std::vector<async_result<int>> rs;
  auto w = wait(rs, return_when::first_completed);
  EXPECT_TRUE(w.done.empty());
  EXPECT_TRUE(w.not_done.empty());
  int n = 0;
  for (auto& r : as_completed(rs)) {
    (void)r;
    ++n;
  }
  EXPECT_EQ(n, 0);
}

INSTANTIATE_TEST_SUITE_P(waiting, wait_test,
                         ::testing::ValuesIn(worker_counts()), worker_name);
