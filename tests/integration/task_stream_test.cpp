// Producer/consumer streams over real worker processes: a producer thread
// faster than the workers is held back by the window, results come while
// the producer runs, a stop ends both sides, and a push search stops its
// producer at the first match.

#include "actorpool/task_stream.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>
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

int slow_sqr(int x) {
  this_task::sleep_for(1ms);
  return x * x;
}
ACTORPOOL_TASK(slow_sqr)

bool is_777(int x) {
  return x == 777;
}
ACTORPOOL_TASK(is_777)

class task_stream_test : public process_test_p {};

} // namespace

TEST_P(task_stream_test, a_fast_producer_is_held_to_the_window) {
  pool p{workers()};
  auto s = p.stream(slow_sqr, stream_options{}.window(8));
  const int n = 300;
  std::thread producer([&] {
    for (int i = 0; i < n; ++i)
      ASSERT_TRUE(s.put(i));
    s.close();
  });
  std::vector<int> got;
  for (auto y : s) {
    EXPECT_LE(s.in_flight(), 8u);
    got.push_back(y);
  }
  producer.join();
  EXPECT_LE(s.peak_in_flight(), 8u);
  EXPECT_EQ(s.peak_in_flight(), 8u); // the producer did run ahead
  ASSERT_EQ(got.size(), static_cast<size_t>(n));
  std::sort(got.begin(), got.end());
  for (int i = 0; i < n; ++i)
    EXPECT_EQ(got[static_cast<size_t>(i)], i * i);
}

TEST_P(task_stream_test, a_full_window_times_out_a_timed_put) {
  pool p{workers()};
  auto s = p.stream(slow_sqr, stream_options{}.window(2));
  ASSERT_TRUE(s.put(1));
  ASSERT_TRUE(s.put(2));
  // Nobody consumes: the window stays full.
  EXPECT_THROW(s.put_for(20ms, 3), timeout_error);
  auto first = s.next(); // unordered: 1 or 4
  ASSERT_TRUE(first.has_value());
  EXPECT_TRUE(*first == 1 || *first == 4);
  EXPECT_TRUE(s.put_for(10s, 3));
  s.close();
  int rest = 0;
  while (s.next())
    ++rest;
  EXPECT_EQ(rest, 2);
}

TEST_P(task_stream_test, ordered_streams_keep_the_input_order) {
  pool p{workers()};
  auto s = p.stream(sqr, stream_options{}.ordered(true).window(16));
  std::thread producer([&] {
    for (int i = 0; i < 200; ++i)
      s.put(i);
    s.close();
  });
  int i = 0;
  for (auto y : s) {
    EXPECT_EQ(y, i * i);
    ++i;
  }
  producer.join();
  EXPECT_EQ(i, 200);
}

TEST_P(task_stream_test, several_producers_share_one_stream) {
  pool p{workers()};
  auto s = p.stream(sqr, stream_options{}.window(32));
  std::vector<std::thread> producers;
  for (int k = 0; k < 3; ++k)
    producers.emplace_back([&s, k] {
      for (int i = 0; i < 100; ++i)
        s.put(k * 100 + i);
    });
  long sum = 0;
  for (int i = 0; i < 300; ++i)
    sum += *s.next();
  for (auto& t : producers)
    t.join();
  s.close();
  EXPECT_FALSE(s.next().has_value());
  long expected = 0;
  for (long x = 0; x < 300; ++x)
    expected += x * x;
  EXPECT_EQ(sum, expected);
}

TEST_P(task_stream_test, stop_ends_producer_and_consumer) {
  pool p{workers()};
  auto s = p.stream(slow_sqr, stream_options{}.window(16));
  std::atomic<int> put{0};
  std::thread producer([&] {
    for (int i = 0;; ++i) {
      if (!s.put(i))
        return; // stopped
      ++put;
    }
  });
  for (int i = 0; i < 20; ++i)
    ASSERT_TRUE(s.next().has_value());
  s.stop();
  producer.join();
  int after = 0;
  while (s.next())
    ++after;
  EXPECT_LE(after, 16); // what had arrived by the stop, at most
  EXPECT_EQ(p.apply(sqr, 3), 9);
}

TEST_P(task_stream_test, a_task_error_arrives_at_its_place) {
  pool p{workers()};
  auto s = p.stream(parse_int, stream_options{}.ordered(true));
  s.put(std::string{"1"});
  s.put(std::string{"x"});
  s.put(std::string{"3"});
  s.close();
  EXPECT_EQ(s.next(), 1);
  EXPECT_THROW(s.next(), value_error);
  EXPECT_EQ(s.next(), 3);
  EXPECT_FALSE(s.next().has_value());
}

TEST_P(task_stream_test, a_push_search_stops_its_producer) {
  pool p{workers()};
  auto s = p.search(
    is_777, [](bool yes) { return yes; }, find_options{}.window(32));
  std::atomic<int> put{0};
  std::thread producer([&] {
    for (int i = 0; i < 1'000'000; ++i) {
      if (!s.put(i))
        return;
      ++put;
    }
    s.close();
  });
  auto r = s.result().get();
  producer.join();
  ASSERT_TRUE(r.found());
  EXPECT_EQ(r.index(), 777u);
  // At most a window in flight at any time (how far past the match the
  // producer got depends on how long the match itself took).
  EXPECT_LE(s.peak_in_flight(), 32u);
  EXPECT_GE(put.load(), 778);
}

TEST_P(task_stream_test, a_closed_push_search_without_a_match) {
  pool p{workers()};
  auto s = p.search(is_777, [](bool yes) { return yes; });
  for (int i = 0; i < 100; ++i)
    s.put(i);
  s.close();
  EXPECT_FALSE(s.put(5));
  auto r = s.result().get();
  EXPECT_FALSE(r.found());
  EXPECT_EQ(r.completed(), 100u);
}

TEST_P(task_stream_test, a_callback_consumes_every_result) {
  pool p{workers()};
  long sum = 0;
  size_t calls = 0;
  auto r = p.for_each_result(sqr, irange(0, 500), [&](int y) {
    sum += y;
    ++calls;
    return true;
  });
  EXPECT_FALSE(r.found());
  EXPECT_EQ(calls, 500u);
  long expected = 0;
  for (long x = 0; x < 500; ++x)
    expected += x * x;
  EXPECT_EQ(sum, expected);
}

TEST_P(task_stream_test, a_callback_that_says_stop_stops_the_stream) {
  pool p{workers()};
  size_t calls = 0;
  auto r = p.for_each_result(sqr, irange(0, 100000),
                             [&](int) { return ++calls < 50; });
  ASSERT_TRUE(r.found());
  EXPECT_EQ(calls, 50u);
  EXPECT_LT(r.started(), 100000u);
}

INSTANTIATE_TEST_SUITE_P(streams, task_stream_test, ::testing::Values(1, 2, 4),
                         worker_name);
