// Port of CPython's _TestPool (Lib/test/_test_multiprocessing.py): the
// semantics of Pool.apply/map/starmap/imap/... on a process pool and on a
// thread pool (multiprocessing.dummy), for 1, 2 and 4 workers. Every case
// runs through `pool&`; where threads differ by design (README, "Threads
// instead of processes"), a case asserts the documented behaviour per kind.

#include "actorpool/pool.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <numeric>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "actorpool/thread_pool.hpp"
#include "support/leak_check.hpp"
#include "support/pool_kinds.hpp"
#include "support/process_helpers.hpp"
#include "support/test_tasks.hpp"

using namespace actorpool;
using namespace actorpool::test;
using namespace std::chrono_literals;

namespace {

using clock_type = std::chrono::steady_clock;

std::vector<std::tuple<int, int>> mul_args(int n) {
  std::vector<std::tuple<int, int>> xs;
  for (int i = 0; i < n; ++i)
    xs.emplace_back(i, n - 1 - i);
  return xs;
}

std::vector<int> mul_results(int n) {
  std::vector<int> xs;
  for (int i = 0; i < n; ++i)
    xs.push_back(i * (n - 1 - i));
  return xs;
}

double seconds_since(clock_type::time_point t0) {
  return std::chrono::duration<double>(clock_type::now() - t0).count();
}

/// Every case over both kinds of pool.
class pool_test : public pool_kind_test_p {};

} // namespace

TEST_P(pool_test, apply) {
  auto pp = make_pool();
  pool& p = *pp;
  EXPECT_EQ(p.apply(sqr, 5), 25);
  EXPECT_EQ(p.apply(mul, 3, 4), 12);
}

TEST_P(pool_test, map) {
  auto pp = make_pool();
  pool& p = *pp;
  EXPECT_EQ(p.map(sqr, iota_vec(10)), squares(10));
  EXPECT_EQ(p.map(sqr, iota_vec(100), 20), squares(100));
}

// Per-worker figures: one entry per live worker, their chunks adding up to
// the pool's, their memory measured (threads: unknown, 0, as they share the
// process's memory).
TEST_P(pool_test, stats_show_each_worker) {
  auto pp = make_pool();
  pool& p = *pp;
  EXPECT_EQ(p.map(sqr, iota_vec(100), 1), squares(100));
  auto st = p.stats();
  ASSERT_EQ(st.workers.size(), static_cast<size_t>(workers()));
  uint64_t chunks = 0;
  for (size_t i = 0; i < st.workers.size(); ++i) {
    auto& w = st.workers[i];
    EXPECT_EQ(w.slot, i);
    EXPECT_EQ(w.restarts, 0u);
    EXPECT_NE(std::find(st.pids.begin(), st.pids.end(), w.pid), st.pids.end());
    if (threads()) {
      EXPECT_EQ(w.resident_bytes, 0u);
    } else {
      EXPECT_GT(w.resident_bytes, 0u);
    }
    chunks += w.chunks;
  }
  EXPECT_EQ(chunks, st.completed);
  EXPECT_NE(to_string(st).find("restarts"), std::string::npos);
  if (threads()) { // pids number the threads
    auto pids = st.pids;
    std::sort(pids.begin(), pids.end());
    std::vector<int32_t> numbers(static_cast<size_t>(workers()));
    std::iota(numbers.begin(), numbers.end(), 1);
    EXPECT_EQ(pids, numbers);
  }
}

TEST_P(pool_test, starmap) {
  auto pp = make_pool();
  pool& p = *pp;
  EXPECT_EQ(p.starmap(mul, mul_args(10)), mul_results(10));
  EXPECT_EQ(p.starmap(mul, mul_args(100), 20), mul_results(100));
}

TEST_P(pool_test, starmap_async) {
  auto pp = make_pool();
  pool& p = *pp;
  EXPECT_EQ(p.starmap_async(mul, mul_args(100)).get(), mul_results(100));
}

TEST_P(pool_test, map_async) {
  auto pp = make_pool();
  pool& p = *pp;
  EXPECT_EQ(p.map_async(sqr, iota_vec(10)).get(), squares(10));
}

TEST_P(pool_test, map_async_callbacks) {
  auto pp = make_pool();
  pool& p = *pp;
  std::vector<std::vector<int>> values;
  std::vector<std::string> errors;
  p.map_async(parse_int, std::vector<std::string>{"1"})
    .on_success([&](const std::vector<int>& v) { values.push_back(v); })
    .on_error([&](const std::exception& e) { errors.push_back(e.what()); })
    .wait();
  ASSERT_EQ(values.size(), 1u);
  EXPECT_EQ(values[0], std::vector<int>{1});
  EXPECT_TRUE(errors.empty());
  bool was_value_error = false;
  p.map_async(parse_int, std::vector<std::string>{"a"})
    .on_success([&](const std::vector<int>& v) { values.push_back(v); })
    .on_error([&](const std::exception& e) {
      was_value_error = dynamic_cast<const value_error*>(&e) != nullptr;
      errors.push_back(e.what());
    })
    .wait();
  EXPECT_EQ(values.size(), 1u);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_TRUE(was_value_error);
}

TEST_P(pool_test, map_unsendable) {
  // Python issue #19425: failing to serialize must not hang.
  auto pp = make_pool();
  pool& p = *pp;
  std::vector<unsendable> xs(10);
  EXPECT_THROW(p.map(accepts_unsendable, xs), encoding_error);
  EXPECT_EQ(p.apply(sqr, 3), 9);
}

TEST_P(pool_test, map_chunksize) {
  auto pp = make_pool();
  pool& p = *pp;
  auto res = p.map_async(sqr, std::vector<int>{}, 1);
  EXPECT_TRUE(res.wait(5s)) << "map_async with chunksize stalled on empty list";
  EXPECT_EQ(res.get(), std::vector<int>{});
}

TEST_P(pool_test, map_handle_iterable_exception) {
  auto pp = make_pool();
  pool& p = *pp;
  // The exception seen at the very first item, twice (reentrancy).
  EXPECT_THROW(p.map(sqr, throwing_range(1, -1), 1), say_when_error);
  EXPECT_THROW(p.map(sqr, throwing_range(1, -1), 1), say_when_error);
  EXPECT_THROW(p.map(sqr, throwing_range(10, 3), 1), say_when_error);
  // Python's SpecialIterable: its length says 1, reading it raises; twice.
  EXPECT_THROW(p.map(sqr, special_iterable{}, 1), say_when_error);
  EXPECT_THROW(p.map(sqr, special_iterable{}, 1), say_when_error);
  // The same through map_async and starmap: the call throws, nothing is
  // submitted, and the pool goes on serving.
  EXPECT_THROW(p.map_async(sqr, special_iterable{}, 1), say_when_error);
  EXPECT_THROW(p.map(sqr, special_iterable{}), say_when_error);
  EXPECT_EQ(p.map(sqr, iota_vec(3)), squares(3));
}

TEST_P(pool_test, async) {
  auto pp = make_pool();
  pool& p = *pp;
  auto res = p.apply_async(sqr_wait, 7, 0.2);
  auto t0 = clock_type::now();
  EXPECT_EQ(res.get(), 49);
  auto elapsed = seconds_since(t0);
  EXPECT_GT(elapsed, 0.1);
  EXPECT_LT(elapsed, 2.0);
}

TEST_P(pool_test, async_timeout) {
  auto pp = make_pool();
  pool& p = *pp;
  auto res = p.apply_async(held_sqr, 6, 30.0);
  auto t0 = clock_type::now();
  EXPECT_THROW(res.get(200ms), timeout_error);
  auto elapsed = seconds_since(t0);
  EXPECT_GE(elapsed, 0.19);
  EXPECT_LT(elapsed, 2.0);
  EXPECT_FALSE(res.ready());
  p.terminate();
  p.join();
  EXPECT_THROW(res.get(), cancelled_error);
  if (threads()) { // a running thread is let go; join() does not wait for it
    EXPECT_EQ(the_hold().inside(), 1);
  }
}

TEST_P(pool_test, imap) {
  auto pp = make_pool();
  pool& p = *pp;
  std::vector<int> got;
  for (auto x : p.imap(sqr, iota_vec(10)))
    got.push_back(x);
  EXPECT_EQ(got, squares(10));
  auto it = p.imap(sqr, iota_vec(10));
  for (int i = 0; i < 10; ++i)
    EXPECT_EQ(it.next(), i * i);
  EXPECT_EQ(it.next(), std::nullopt);
  auto it2 = p.imap(sqr, iota_vec(1000), 100);
  for (int i = 0; i < 1000; ++i)
    ASSERT_EQ(it2.next(), i * i);
  EXPECT_EQ(it2.next(), std::nullopt);
}

TEST_P(pool_test, imap_handle_iterable_exception) {
  auto pp = make_pool();
  pool& p = *pp;
  auto it = p.imap(sqr, throwing_range(1, -1), 1);
  EXPECT_THROW(it.next(), say_when_error);
  auto it2 = p.imap(sqr, throwing_range(1, -1), 1);
  EXPECT_THROW(it2.next(), say_when_error);
  for (int i = 0; i < 2; ++i) {
    auto special = p.imap(sqr, special_iterable{}, 1);
    EXPECT_THROW(special.next(), say_when_error);
  }
  auto it3 = p.imap(sqr, throwing_range(10, 3), 1);
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(it3.next(), i * i);
  EXPECT_THROW(it3.next(), say_when_error);
  // The exception comes at the start of the failing chunk's results.
  auto it4 = p.imap(sqr, throwing_range(20, 7), 2);
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(it4.next(), i * i);
  EXPECT_THROW(it4.next(), say_when_error);
  auto it5 = p.imap(sqr, throwing_range(20, 7), 4);
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(it5.next(), i * i);
  EXPECT_THROW(it5.next(), say_when_error);
}

TEST_P(pool_test, imap_unordered) {
  auto pp = make_pool();
  pool& p = *pp;
  std::vector<int> got;
  for (auto x : p.imap_unordered(sqr, iota_vec(10)))
    got.push_back(x);
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, squares(10));
  got.clear();
  for (auto x : p.imap_unordered(sqr, iota_vec(1000), 100))
    got.push_back(x);
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, squares(1000));
}

TEST_P(pool_test, imap_unordered_handle_iterable_exception) {
  auto pp = make_pool();
  pool& p = *pp;
  auto it = p.imap_unordered(sqr, throwing_range(1, -1), 1);
  EXPECT_THROW(it.next(), say_when_error);
  auto it2 = p.imap_unordered(sqr, throwing_range(1, -1), 1);
  EXPECT_THROW(it2.next(), say_when_error);
  for (int i = 0; i < 2; ++i) {
    auto special = p.imap_unordered(sqr, special_iterable{}, 1);
    EXPECT_THROW(special.next(), say_when_error);
  }
  for (auto [total, when, chunksize] :
       {std::tuple{10, 3, 1}, std::tuple{20, 7, 2}}) {
    auto expected = squares(total);
    auto it3 = p.imap_unordered(sqr, throwing_range(total, when), chunksize);
    auto consume = [&] {
      for (int i = 0; i < total; ++i) {
        auto value = it3.next();
        ASSERT_TRUE(value.has_value());
        auto pos = std::find(expected.begin(), expected.end(), *value);
        ASSERT_NE(pos, expected.end());
        expected.erase(pos);
      }
    };
    EXPECT_THROW(consume(), say_when_error);
  }
}

TEST(pool_make, rejects_bad_process_counts) {
  EXPECT_THROW(pool{-1}, bad_argument);
  EXPECT_THROW(pool{0}, bad_argument);
  EXPECT_THROW(thread_pool{-1}, bad_argument);
  EXPECT_THROW(thread_pool{0}, bad_argument);
}

TEST_P(pool_test, make_pool) {
  auto pp = make_pool();
  pool& p = *pp;
  EXPECT_EQ(p.size(), static_cast<size_t>(workers()));
  EXPECT_EQ(p.stats().pids.size(), static_cast<size_t>(workers()));
  p.close();
  p.join();
}

TEST_P(pool_test, terminate) {
  // Slow tasks that take "forever": terminate must not wait for them.
  auto pp = make_pool();
  pool& p = *pp;
  auto res = p.map_async(held_sleep, std::vector<double>(10000, 60.0), 1);
  auto t0 = clock_type::now();
  p.terminate();
  p.join();
  EXPECT_LT(seconds_since(t0), 10.0);
  EXPECT_THROW(res.get(), cancelled_error);
  if (threads()) { // threads running a task are let go, not waited for
    EXPECT_LE(the_hold().inside(), workers());
  }
}

TEST_P(pool_test, empty_iterable) {
  auto pp = make_pool();
  pool& p = *pp;
  std::vector<int> empty;
  EXPECT_EQ(p.map(sqr, empty), std::vector<int>{});
  EXPECT_EQ(p.imap(sqr, empty).next(), std::nullopt);
  EXPECT_EQ(p.imap_unordered(sqr, empty).next(), std::nullopt);
  EXPECT_EQ(p.map_async(sqr, empty).get(), std::vector<int>{});
  p.close();
  p.join();
}

TEST_P(pool_test, context) {
  // Python: `with Pool(2) as p: r = p.map_async(sqr, L); r.get() == expected`,
  // then p.join() and map_async raises ValueError. Python's `with` block
  // terminates the pool; our destructor closes and joins it, so work that
  // is still running when the scope ends completes, and its result stays
  // readable after the pool is gone.
  auto expected = squares(10);
  async_result<std::vector<int>> r;
  async_result<std::vector<int>> pending;
  {
    auto pp = make_pool();
    pool& p = *pp;
    r = p.map_async(sqr, iota_vec(10));
    EXPECT_EQ(r.get(), expected);
    pending = p.map_async(sqr, iota_vec(10));
  }
  EXPECT_EQ(r.get(), expected);
  EXPECT_TRUE(pending.ready());
  EXPECT_EQ(pending.get(), expected);
  auto pp = make_pool();
  pool& p = *pp;
  p.close();
  p.join();
  EXPECT_THROW(p.map_async(sqr, iota_vec(10)), pool_not_running);
}

TEST_P(pool_test, traceback) {
  auto pp = make_pool();
  pool& p = *pp;
  try {
    p.apply(raise_runtime_error, std::string{"123"});
    FAIL() << "expected std::runtime_error";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "123");
    auto info = dynamic_cast<const remote_failure*>(&e);
    ASSERT_NE(info, nullptr);
    EXPECT_EQ(info->type_name(), "std::runtime_error");
    EXPECT_EQ(info->message(), "123");
    auto pids = p.stats().pids;
    if (threads()) { // the process id of the program, where the threads run
      EXPECT_EQ(info->pid(), static_cast<int>(getpid()));
    } else {
      EXPECT_NE(std::find(pids.begin(), pids.end(), info->pid()), pids.end());
    }
  }
  // An exception of the input itself is raised here, not in a worker.
  try {
    p.map(sqr, throwing_range(1, -1), 1);
    FAIL() << "expected say_when_error";
  } catch (const say_when_error& e) {
    EXPECT_EQ(dynamic_cast<const remote_failure*>(&e), nullptr);
  }
}

TEST_P(pool_test, wrapped_exception) {
  auto pp = make_pool();
  pool& p = *pp;
  EXPECT_THROW(p.apply(raise_runtime_error, std::string{"foo"}),
               std::runtime_error);
}

TEST_P(pool_test, map_no_failfast) {
  // Python issue #23992: a failing map must not make join() deadlock.
  auto t0 = clock_type::now();
  auto pp = make_pool();
  pool& p = *pp;
  EXPECT_THROW(p.map(raise_large_value_error, std::vector<double>{0.0, 0.3}),
               value_error);
  p.close();
  p.join();
  EXPECT_GT(seconds_since(t0), 0.25); // join waited for the slow task
}

// Python's test_release_task_refs: neither the arguments nor the copies
// returned outlive the call and their holders.
TEST_P(pool_test, release_task_refs) {
  auto pp = make_pool();
  pool& p = *pp;
  {
    std::vector<counted> objs(10);
    for (int i = 0; i < 10; ++i)
      objs[static_cast<size_t>(i)].value = i;
    auto ys = p.map(counted_identity, objs);
    ASSERT_EQ(ys.size(), objs.size());
    EXPECT_EQ(ys[9].value, 9);
    EXPECT_EQ(p.apply(counted_identity, objs[3]).value, 3);
  }
  EXPECT_TRUE(await_true([] { return counted::live == 0; }))
    << counted::live << " instances left";
}

TEST_P(pool_test, enter_after_terminate) {
  auto pp = make_pool();
  pool& p = *pp;
  p.terminate();
  EXPECT_THROW(p.apply(sqr, 1), pool_not_running);
  p.join();
}

INSTANTIATE_TEST_SUITE_P(cpython, pool_test,
                         ::testing::ValuesIn(pool_cases({pool_kind::processes,
                                                         pool_kind::threads})),
                         pool_case_name);
