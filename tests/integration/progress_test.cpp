// Progress observers over real worker processes: map, starmap, imap,
// imap_unordered, push streams and searches report a non-decreasing count
// and exactly one final report, made before the call's result is delivered,
// also when the call fails, is cancelled or the pool is terminated.

#include "actorpool/progress.hpp"

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <tuple>
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

int slow_cube(int x) {
  this_task::sleep_for(1ms);
  return x * x * x;
}
ACTORPOOL_TASK(slow_cube)

int sleepy(int x) {
  this_task::sleep_for(20ms);
  return x;
}
ACTORPOOL_TASK(sleepy)

constexpr int items = 40;

/// Collects the reports of one call; read by the test once the call is over.
class report_log {
public:
  progress_observer observer() {
    return [this](const progress& p) {
      std::lock_guard<std::mutex> guard{mtx_};
      reports_.push_back(p);
    };
  }

  std::vector<progress> reports() const {
    std::lock_guard<std::mutex> guard{mtx_};
    return reports_;
  }

  size_t finals() const {
    size_t n = 0;
    for (auto& p : reports())
      n += p.finished ? 1 : 0;
    return n;
  }

private:
  mutable std::mutex mtx_;
  std::vector<progress> reports_;
};

/// `completed` never goes down, exactly one report is final, and it is the
/// last: `n` items completed out of a total of `n`, all of them read.
void expect_full_run(const report_log& log, uint64_t n) {
  auto rs = log.reports();
  ASSERT_FALSE(rs.empty());
  for (size_t i = 1; i < rs.size(); ++i)
    EXPECT_LE(rs[i - 1].completed, rs[i].completed) << "report " << i;
  EXPECT_EQ(log.finals(), 1u);
  auto& last = rs.back();
  EXPECT_TRUE(last.finished);
  EXPECT_EQ(last.completed, n);
  EXPECT_EQ(last.read, n);
  ASSERT_TRUE(last.total.has_value());
  EXPECT_EQ(*last.total, n);
}

std::vector<int> inputs() {
  std::vector<int> xs;
  for (int i = 0; i < items; ++i)
    xs.push_back(i);
  return xs;
}

/// 0, 1, ... `n - 1` from a generator: an input of unknown length.
auto counter(int n) {
  return generate([i = 0, n]() mutable -> std::optional<int> {
    if (i == n)
      return std::nullopt;
    return i++;
  });
}

class progress_test : public process_test_p {};

TEST_P(progress_test, map_reports_to_the_end_before_it_returns) {
  pool p{workers()};
  report_log log;
  auto opts = call_options{}.on_progress(log.observer(), 0ms);
  auto rs = p.map(opts, slow_cube, inputs(), 2);
  ASSERT_EQ(rs.size(), static_cast<size_t>(items));
  expect_full_run(log, items);
  auto first = log.reports().front();
  ASSERT_TRUE(first.total.has_value());
  EXPECT_EQ(*first.total, static_cast<uint64_t>(items));
}

TEST_P(progress_test, starmap_async_reports_before_get_returns) {
  pool p{workers()};
  report_log log;
  std::vector<std::tuple<int, int>> pairs;
  for (int i = 0; i < items; ++i)
    pairs.emplace_back(i, 2);
  auto res = p.starmap_async(call_options{}.on_progress(log.observer(), 0ms),
                             mul, pairs, 3);
  EXPECT_EQ(res.get().back(), 2 * (items - 1));
  expect_full_run(log, items);
}

TEST_P(progress_test, a_failing_map_gets_its_final_report) {
  pool p{workers()};
  report_log log;
  std::vector<std::string> xs(items, "7");
  xs[items / 2] = "seven";
  auto opts = call_options{}.on_progress(log.observer(), 0ms);
  EXPECT_THROW(p.map(opts, parse_int, xs, 1), value_error);
  EXPECT_EQ(log.finals(), 1u);
  ASSERT_FALSE(log.reports().empty());
  EXPECT_TRUE(log.reports().back().finished);
  EXPECT_LT(log.reports().back().completed, static_cast<uint64_t>(items));
}

TEST_P(progress_test, a_terminated_map_gets_its_final_report) {
  pool p{workers()};
  report_log log;
  auto res = p.map_async(call_options{}.on_progress(log.observer(), 0ms),
                         sleepy, inputs(), 1);
  p.terminate();
  EXPECT_THROW(res.get(), cancelled_error);
  EXPECT_EQ(log.finals(), 1u);
  EXPECT_TRUE(log.reports().back().finished);
  p.join();
}

TEST_P(progress_test, imap_learns_the_total_at_the_end_of_its_input) {
  pool p{workers()};
  report_log log;
  auto opts = call_options{}.on_progress(log.observer(), 0ms);
  int n = 0;
  for (int x : p.imap(opts, slow_cube, counter(items), 3)) {
    EXPECT_EQ(x, n * n * n);
    ++n;
  }
  EXPECT_EQ(n, items);
  expect_full_run(log, items);
}

TEST_P(progress_test, imap_unordered_reports_a_sized_input) {
  pool p{workers()};
  report_log log;
  auto xs = inputs();
  auto opts = call_options{}.on_progress(log.observer(), 0ms);
  int n = 0;
  for (int x : p.imap_unordered(opts, slow_cube, xs)) {
    (void)x;
    ++n;
  }
  EXPECT_EQ(n, items);
  expect_full_run(log, items);
  for (auto& r : log.reports()) {
    ASSERT_TRUE(r.total.has_value());
    EXPECT_EQ(*r.total, static_cast<uint64_t>(items));
  }
}

TEST_P(progress_test, an_imap_dropped_early_reports_when_dropped) {
  pool p{workers()};
  report_log log;
  {
    auto res = p.imap(call_options{}.on_progress(log.observer(), 0ms),
                      slow_cube, counter(1000000));
    for (int i = 0; i < 5; ++i)
      EXPECT_EQ(res.next(), i * i * i);
  }
  EXPECT_EQ(log.finals(), 1u);
  auto last = log.reports().back();
  EXPECT_TRUE(last.finished);
  EXPECT_GE(last.completed, 5u);
  EXPECT_FALSE(last.total.has_value());
}

TEST_P(progress_test, an_imap_outliving_its_pool_reports_to_the_end) {
  report_log log;
  auto res = [&] {
    pool p{workers()};
    return p.imap(call_options{}.on_progress(log.observer(), 0ms), slow_cube,
                  counter(items));
  }(); // the pool is gone
  int n = 0;
  while (res.next())
    ++n;
  EXPECT_EQ(n, items);
  expect_full_run(log, items);
}

TEST_P(progress_test, a_stream_reports_what_was_put) {
  pool p{workers()};
  report_log log;
  auto s = p.stream(slow_cube,
                    stream_options{}.on_progress(log.observer(), 0ms));
  std::thread producer{[&] {
    for (int i = 0; i < items; ++i)
      s.put(i);
    s.close();
  }};
  int n = 0;
  for (int x : s) {
    (void)x;
    ++n;
  }
  producer.join();
  EXPECT_EQ(n, items);
  expect_full_run(log, items);
}

TEST_P(progress_test, a_search_over_a_generator_learns_its_total) {
  pool p{workers()};
  report_log log;
  auto opts = find_options{}.on_progress(log.observer(), 0ms);
  auto r = p.find_first(
    slow_cube, counter(items), [](int) { return false; }, opts);
  EXPECT_FALSE(r.found());
  expect_full_run(log, items);
}

TEST_P(progress_test, a_cancelled_search_reports_before_get_throws) {
  pool p{workers()};
  report_log log;
  auto opts = find_options{}.on_progress(log.observer(), 0ms);
  auto r = p.find_first_async(
    sleepy, irange(0, 100000), [](int) { return false; }, opts);
  r.cancel();
  EXPECT_THROW(r.get(), cancelled_error);
  EXPECT_EQ(log.finals(), 1u);
}

INSTANTIATE_TEST_SUITE_P(progress, progress_test,
                         ::testing::ValuesIn(worker_counts()), worker_name);

} // namespace
