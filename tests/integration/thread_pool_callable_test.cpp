// thread_pool with callables that are not registered: lambdas with
// captures, function objects, std::function; arguments and results moved,
// never encoded (std::unique_ptr, a type without inspect, std::ref to the
// caller's data); a task's exception as the object thrown; lazy maps
// (imap, imap_unordered) of such callables, their closures dropped with an
// abandoned result; for 1, 2 and 4 threads.

#include "actorpool/thread_pool.hpp"

#include <algorithm>
#include <atomic>
#include <functional>
#include <memory>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "actorpool/detail/closure.hpp"
#include "actorpool/ranges.hpp"
#include "actorpool/wait.hpp"
#include "support/leak_check.hpp"
#include "support/process_helpers.hpp"
#include "support/test_tasks.hpp"

using namespace actorpool;
using namespace actorpool::test;

namespace {

class thread_pool_callable_test : public process_test_p {};

} // namespace

namespace {

/// A function object, not registered.
struct scaler {
  int factor;
  int operator()(int x) const {
    return x * factor;
  }
};

/// A result type with no inspect overload, and not copyable.
struct opaque {
  explicit opaque(int v) : value(v) {
    // nop
  }
  opaque(opaque&&) = default;
  opaque(const opaque&) = delete;
  int value;
};

/// An exception type of the user's, not derived from std::exception.
struct user_failure {
  int code;
};

/// One derived from std::exception, caught by its type in on_error.
struct user_error : std::runtime_error {
  explicit user_error(int c) : std::runtime_error("user error"), code(c) {
    // nop
  }
  int code;
};

} // namespace

// Through pool& a registered task's exception travels as in a process
// pool; on the thread_pool itself it is the object thrown.
TEST_P(thread_pool_callable_test, exceptions_of_maps) {
  thread_pool p{workers()};
  std::vector<std::string> xs{"1", "x", "3"};
  pool& any = p;
  try {
    any.map(parse_int, xs, 1);
    FAIL() << "expected value_error";
  } catch (const remote_failure& e) {
    EXPECT_NE(e.type_name().find("value_error"), std::string::npos);
  }
  try {
    p.map(parse_int, xs, 1);
    FAIL() << "expected value_error";
  } catch (const value_error& e) {
    EXPECT_EQ(dynamic_cast<const remote_failure*>(&e), nullptr);
  }
  EXPECT_EQ(p.apply(sqr, 3), 9); // the thread goes on
}

TEST_P(thread_pool_callable_test, maps_of_any_callable) {
  thread_pool p{workers()};
  int k = 2;
  auto doubled = p.map([k](int x) { return x * k; }, iota_vec(50), 3);
  std::vector<int> expected;
  for (int i = 0; i < 50; ++i)
    expected.push_back(2 * i);
  EXPECT_EQ(doubled, expected);
  EXPECT_EQ(p.map(scaler{1}, std::vector<int>{}), std::vector<int>{});
  std::vector<std::tuple<int, std::string>> pairs{{1, "a"}, {2, "b"}};
  auto joined = p.starmap([](int n,
                             std::string s) { return std::to_string(n) + s; },
                          pairs);
  EXPECT_EQ(joined, (std::vector<std::string>{"1a", "2b"}));
  auto boxes = p.map_async([](int v) { return opaque{v}; }, iota_vec(10), 1);
  ASSERT_EQ(boxes.get().size(), 10u);
  EXPECT_EQ(boxes.get()[9].value, 9);
  std::vector<int> data(20, 0);
  p.map([&data](int i) { data[static_cast<size_t>(i)] = i * i; }, iota_vec(20));
  EXPECT_EQ(data, squares(20));
  EXPECT_THROW(p.map(
                 [](int x) {
                   if (x == 7)
                     throw user_failure{x};
                   return x;
                 },
                 iota_vec(20), 2),
               user_failure);
}

TEST_P(thread_pool_callable_test, any_callable_runs_without_registration) {
  thread_pool p{workers()};
  int k = 3;
  EXPECT_EQ(p.apply([k](int x) { return x * k; }, 5), 15);
  std::function<int(int, int)> add = [](int a, int b) {
    return a + b;
  };
  EXPECT_EQ(p.apply(add, 2, 40), 42);
  EXPECT_EQ(p.apply(scaler{7}, 6), 42);
  EXPECT_EQ(p.apply_async([] { return std::string{"no arguments"}; }).get(),
            "no arguments");
  std::atomic<int> calls{0};
  p.apply([&calls] { ++calls; }); // void, and a capture by reference
  EXPECT_EQ(calls.load(), 1);
}

TEST_P(thread_pool_callable_test, arguments_and_results_are_moved) {
  thread_pool p{workers()};
  auto up = p.apply(
    [](std::unique_ptr<int> x) {
      *x += 1;
      return x;
    },
    std::make_unique<int>(41));
  ASSERT_NE(up, nullptr);
  EXPECT_EQ(*up, 42);
  auto r = p.apply_async([](int v) { return opaque{v}; }, 9);
  EXPECT_EQ(r.get().value, 9);
  EXPECT_EQ(p.apply([] { return opaque{5}; }).value, 5);
}

TEST_P(thread_pool_callable_test, std_ref_reaches_the_callers_data) {
  thread_pool p{workers()};
  std::vector<int> data(16, 0);
  std::vector<async_result<void>> rs;
  for (int i = 0; i < 16; ++i)
    rs.push_back(p.apply_async([](std::vector<int>& d,
                                  int j) { d[static_cast<size_t>(j)] = j * j; },
                               std::ref(data), i));
  wait(rs);
  EXPECT_EQ(data, squares(16));
}

TEST_P(thread_pool_callable_test, a_tasks_exception_is_the_object_thrown) {
  thread_pool p{workers()};
  try {
    p.apply([] { throw user_failure{7}; });
    FAIL() << "expected user_failure";
  } catch (const user_failure& e) {
    EXPECT_EQ(e.code, 7);
  }
  auto r = p.apply_async([](int c) -> int { throw user_error{c}; }, 11);
  std::atomic<int> seen{0};
  r.on_error([&seen](const std::exception& e) {
    if (auto u = dynamic_cast<const user_error*>(&e))
      seen = u->code;
  });
  try {
    r.get();
    FAIL() << "expected user_error";
  } catch (const user_error& e) {
    EXPECT_EQ(e.code, 11);
  }
  EXPECT_FALSE(r.successful());
  p.close();
  p.join();
  EXPECT_EQ(seen.load(), 11);
}

TEST_P(thread_pool_callable_test, lazy_maps_of_any_callable) {
  thread_pool p{workers()};
  int k = 3;
  std::vector<int> ordered;
  for (auto y : p.imap([k](int x) { return x * k; }, iota_vec(50), 4))
    ordered.push_back(y);
  std::vector<int> expected;
  for (int i = 0; i < 50; ++i)
    expected.push_back(3 * i);
  EXPECT_EQ(ordered, expected);
  std::vector<int> any;
  for (auto y : p.imap_unordered([k](int x) { return x * k; }, irange(0, 50)))
    any.push_back(y);
  std::sort(any.begin(), any.end());
  EXPECT_EQ(any, expected);
  std::vector<int> none;
  for (auto y : p.imap(scaler{2}, std::vector<int>{}))
    none.push_back(y);
  EXPECT_TRUE(none.empty());
  std::vector<int> timed;
  for (auto y : p.imap(call_options{}.timeout(std::chrono::seconds{30}),
                       scaler{2}, iota_vec(5), 2))
    timed.push_back(y);
  EXPECT_EQ(timed, (std::vector<int>{0, 2, 4, 6, 8}));
}

// Items of an rvalue range are moved to the task, results moved back: a
// std::unique_ptr, a type without inspect and not copyable.
TEST_P(thread_pool_callable_test, lazy_maps_move_items_and_results) {
  thread_pool p{workers()};
  std::vector<std::unique_ptr<int>> boxes;
  for (int i = 0; i < 20; ++i)
    boxes.push_back(std::make_unique<int>(i));
  auto twice = [](std::unique_ptr<int> x) {
    *x *= 2;
    return x;
  };
  int expected = 0;
  for (auto& y : p.imap(twice, std::move(boxes), 3)) {
    ASSERT_NE(y, nullptr);
    EXPECT_EQ(*y, 2 * expected++);
  }
  EXPECT_EQ(expected, 20);
  int sum = 0;
  for (auto& o :
       p.imap_unordered([](int v) { return opaque{v}; }, iota_vec(10), 2))
    sum += o.value;
  EXPECT_EQ(sum, 45);
}

// A failed chunk raises the object its task threw at its position (in
// order) and the sequence goes on, as with pool::imap.
TEST_P(thread_pool_callable_test, a_lazy_maps_exception_is_the_object_thrown) {
  thread_pool p{workers()};
  auto odd_fails = [](int x) {
    if (x % 7 == 3)
      throw user_failure{x};
    return x;
  };
  auto r = p.imap(odd_fails, iota_vec(20));
  std::vector<int> got;
  std::vector<int> failed;
  for (int i = 0; i < 20; ++i) {
    try {
      got.push_back(r.next().value());
    } catch (const user_failure& e) {
      failed.push_back(e.code);
      EXPECT_EQ(i % 7, 3);
    }
  }
  EXPECT_EQ(r.next(), std::nullopt);
  EXPECT_EQ(failed, (std::vector<int>{3, 10, 17}));
  EXPECT_EQ(got.size(), 17u);
  auto u = p.imap_unordered([](int c) -> int { throw user_error{c}; },
                            iota_vec(4), 2);
  for (int i = 0; i < 2; ++i)
    EXPECT_THROW(u.next(), user_error);
  EXPECT_EQ(u.next(), std::nullopt);
}

// Destroying the result early stops reading an endless input; the closures
// not run yet are dropped and the pool goes on serving.
TEST_P(thread_pool_callable_test, an_abandoned_lazy_map_drops_its_closures) {
  auto before = detail::stored_closures();
  thread_pool p{workers()};
  std::atomic<int> reads{0};
  auto endless = [&reads] {
    return generate([&reads]() -> std::optional<int> { return reads++; });
  };
  int k = 5;
  {
    auto r = p.imap([k](int x) { return x + k; }, endless(), 2);
    for (int i = 0; i < 10; ++i)
      EXPECT_EQ(r.next(), i + k);
  }
  EXPECT_EQ(detail::stored_closures(), before);
  EXPECT_EQ(p.apply([k] { return k; }), 5);
  {
    auto u = p.imap_unordered([](int x) { return x; }, endless());
    EXPECT_TRUE(u.next().has_value());
  }
  EXPECT_EQ(detail::stored_closures(), before);
  p.close();
  p.join(); // only returns once both streams are over
  EXPECT_LT(reads.load(), 1'000'000);
  EXPECT_EQ(detail::stored_closures(), before);
}

TEST_P(thread_pool_callable_test, find_first_of_any_callable) {
  auto before = detail::stored_closures();
  thread_pool p{workers()};
  int k = 3;
  auto r = p.find_first([k](int x) { return x * k; }, irange(0, 1000),
                        [](int y) { return y == 231; });
  ASSERT_TRUE(r.found());
  EXPECT_EQ(r.index(), 77u);
  EXPECT_EQ(r.value(), 231);
  auto boxed = p.find_first([](int x) { return std::make_unique<int>(x); },
                            iota_vec(100),
                            [](const std::unique_ptr<int>& b) {
                              return *b == 42;
                            },
                            find_options{}.chunksize(4));
  ASSERT_TRUE(boxed.found());
  EXPECT_EQ(*boxed.value(), 42);
  EXPECT_EQ(boxed.index(), 42u);
  auto none = p.find_first_async(scaler{2}, irange(0, 50),
                                 [](int y) { return y < 0; })
                .get();
  EXPECT_FALSE(none.found());
  EXPECT_EQ(none.completed(), 50u);
  std::atomic<int> reads{0};
  auto endless = generate([&reads]() -> std::optional<int> { return reads++; });
  auto far = p.find_first([](int x) { return x; }, std::move(endless),
                          [](int y) { return y == 20; });
  EXPECT_EQ(far.index(), 20u);
  EXPECT_EQ(detail::stored_closures(), before); // the rest were dropped
  EXPECT_EQ(p.apply([k] { return k; }), 3);
}

TEST_P(thread_pool_callable_test, find_firsts_exception_is_the_object_thrown) {
  thread_pool p{workers()};
  auto fails_at_5 = [](int x) {
    if (x == 5)
      throw user_failure{x};
    return x;
  };
  try {
    p.find_first(fails_at_5, iota_vec(40), [](int y) { return y < 0; });
    FAIL() << "expected user_failure";
  } catch (const user_failure& e) {
    EXPECT_EQ(e.code, 5);
  }
  auto r = p.find_first_async([](int c) -> int { throw user_error{c}; },
                              iota_vec(1), [](int) { return true; });
  EXPECT_THROW(r.get(), user_error);
  EXPECT_EQ(p.apply(scaler{6}, 7), 42); // the threads go on
}

TEST_P(thread_pool_callable_test, for_each_result_of_any_callable) {
  thread_pool p{workers()};
  int k = 2;
  long sum = 0;
  auto all = p.for_each_result([k](int x) { return opaque{x * k}; },
                               irange(0, 10),
                               [&sum](const opaque& o) {
                                 sum += o.value;
                                 return true;
                               });
  EXPECT_FALSE(all.found());
  EXPECT_EQ(sum, 90);
  auto stopped = p.for_each_result([k](int x) { return x * k; }, iota_vec(50),
                                   [](int y) { return y < 10; });
  ASSERT_TRUE(stopped.found());
  EXPECT_GE(stopped.value(), 10);
  EXPECT_EQ(stopped.value(), 2 * static_cast<int>(stopped.index()));
}

INSTANTIATE_TEST_SUITE_P(threads, thread_pool_callable_test,
                         ::testing::ValuesIn(worker_counts()));
