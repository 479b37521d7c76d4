// Producer/consumer streams over real worker processes: a producer thread
// faster than the workers is held back by the window, results come while
// the producer runs, a stop ends both sides, a push search stops its
// producer at the first match, and the end of the pool (terminate, close,
// its destructor, a break) releases producers waiting for room.

#include "actorpool/task_stream.hpp"

#include <signal.h>
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "actorpool/event.hpp"
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

/// Squares `x` once `go` is set: a search's window stays full until then.
int sqr_after(event go, int x) {
  go.wait();
  return x * x;
}
ACTORPOOL_TASK(sqr_after)

class task_stream_test : public process_test_p {};

/// Waits until `n` producers wait for room in `s` (at most 10 s).
template <class Stream>
bool producers_wait(const Stream& s, size_t n) {
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (s.waiting_producers() < n) {
    if (std::chrono::steady_clock::now() > deadline)
      return false;
    std::this_thread::yield();
  }
  return true;
}

/// Runs a put in another thread. A `put_for` that times out fails the test:
/// it should have been refused.
template <class F>
std::future<bool> put_in_thread(F put) {
  return std::async(std::launch::async, [put]() mutable {
    try {
      return put();
    } catch (const timeout_error&) {
      ADD_FAILURE() << "put_for timed out instead of being refused";
      return false;
    }
  });
}

/// What `f` returned within 10 s; nothing if it is still waiting.
std::optional<bool> within_10s(std::future<bool>& f) {
  if (f.wait_for(10s) != std::future_status::ready)
    return std::nullopt;
  return f.get();
}

/// Fills the window of 2 of `s` with inputs 1 and 2, then starts a `put`
/// and a `put_for` that wait for room; returns once both wait. `first`
/// are the task's arguments before the input.
template <class Stream, class... Ts>
std::vector<std::future<bool>>
block_two_producers(Stream& s, const Ts&... first) {
  std::vector<std::future<bool>> result;
  EXPECT_TRUE(s.put(first..., 1));
  EXPECT_TRUE(s.put(first..., 2));
  result.push_back(
    put_in_thread([&s, first...] { return s.put(first..., 3); }));
  result.push_back(
    put_in_thread([&s, first...] { return s.put_for(30s, first..., 4); }));
  EXPECT_TRUE(producers_wait(s, 2));
  return result;
}

/// Expects the blocked puts to return false within 10 s, and a later `put`
/// and `put_for` too. Then closes `s`, which releases producers still
/// waiting where the pool did not (so that such a test fails and ends).
template <class Stream, class... Ts>
void expect_refused(Stream& s, std::vector<std::future<bool>>& blocked,
                    const Ts&... first) {
  for (auto& f : blocked)
    EXPECT_EQ(within_10s(f), std::optional<bool>{false});
  auto later = put_in_thread([&s, first...] { return s.put(first..., 5); });
  auto later_timed = put_in_thread(
    [&s, first...] { return s.put_for(30s, first..., 6); });
  EXPECT_EQ(within_10s(later), std::optional<bool>{false});
  EXPECT_EQ(within_10s(later_timed), std::optional<bool>{false});
  s.close();
}

/// The results left in `s`, sorted.
template <class Stream>
std::vector<int> rest_of(Stream& s) {
  std::vector<int> got;
  for (auto y : s)
    got.push_back(y);
  std::sort(got.begin(), got.end());
  return got;
}

class broken_pool_stream : public process_test {};

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

// -- the end of the pool releases waiting producers --------------------------

TEST_P(task_stream_test, terminate_refuses_blocked_and_later_puts) {
  pool p{workers()};
  auto s = p.stream(sqr, stream_options{}.window(2));
  auto blocked = block_two_producers(s);
  p.terminate();
  expect_refused(s, blocked);
  p.join();
}

// The predicate is held up, so the window stays full of results not yet
// checked: the end must not wait for the callback thread.
TEST_P(task_stream_test, terminate_refuses_puts_of_a_search_whose_checks_lag) {
  pool p{workers()};
  std::promise<void> checks;
  auto checks_may_go = checks.get_future().share();
  auto s = p.search(
    sqr,
    [checks_may_go](int) {
      checks_may_go.wait();
      return false;
    },
    find_options{}.window(2));
  auto blocked = block_two_producers(s);
  p.terminate();
  expect_refused(s, blocked);
  checks.set_value();
  EXPECT_THROW(s.result().get(10s), cancelled_error);
  p.join();
}

TEST_P(task_stream_test, close_refuses_puts_and_keeps_what_was_put) {
  pool p{workers()};
  auto s = p.stream(sqr, stream_options{}.window(2));
  auto blocked = block_two_producers(s);
  p.close();
  expect_refused(s, blocked);
  EXPECT_EQ(rest_of(s), (std::vector<int>{1, 4})); // then the end
  p.join();
}

TEST_P(task_stream_test, close_ends_a_search_without_a_match) {
  pool p{workers()};
  event go;
  auto s = p.search(
    sqr_after, [](int) { return false; }, find_options{}.window(2));
  auto blocked = block_two_producers(s, go);
  p.close();
  expect_refused(s, blocked, go);
  go.set();
  auto r = s.result().get(10s);
  EXPECT_FALSE(r.found());
  EXPECT_EQ(r.completed(), 2u);
  p.join();
}

TEST_P(task_stream_test, destroying_the_pool_releases_a_blocked_producer) {
  auto p = std::make_unique<pool>(workers());
  auto s = p->stream(sqr, stream_options{}.window(2));
  auto blocked = block_two_producers(s);
  auto destroyed = std::async(std::launch::async, [&p] { p.reset(); });
  bool returned = destroyed.wait_for(10s) == std::future_status::ready;
  EXPECT_TRUE(returned) << "~pool waits for the stream's producers";
  expect_refused(s, blocked); // its close lets ~pool return if it waits
  destroyed.get();
  EXPECT_EQ(rest_of(s), (std::vector<int>{1, 4}));
}

// Replacements of a killed worker that cannot start break the pool (after
// 5 failures in a row, about 1 s): its streams end, and so do their puts.
TEST_F(broken_pool_stream, a_broken_pool_refuses_blocked_and_later_puts) {
  pool p{1};
  auto s = p.stream(sqr, stream_options{}.window(2));
  auto blocked = block_two_producers(s);
  scoped_env env{"ACTORPOOL_TEST_WORKER_EXIT", "3"};
  auto pids = p.stats().pids;
  EXPECT_EQ(pids.size(), 1u);
  EXPECT_TRUE(!pids.empty() && ::kill(pids[0], SIGKILL) == 0);
  expect_refused(s, blocked);
}

INSTANTIATE_TEST_SUITE_P(streams, task_stream_test,
                         ::testing::ValuesIn(worker_counts()), worker_name);
