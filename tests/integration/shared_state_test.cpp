// Port of CPython's _TestValue and _TestArray over real processes and pool
// workers, plus the atomic read-modify-write messages (fetch_add, update)
// that make Python's `with v.get_lock(): v.value += 1` unnecessary.

#include <unistd.h>

#include <cstdint>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "actorpool/array.hpp"
#include "actorpool/async_result.hpp"
#include "actorpool/exceptions.hpp"
#include "actorpool/lock.hpp"
#include "actorpool/pool.hpp"
#include "actorpool/process.hpp"
#include "actorpool/value.hpp"
#include "support/process_helpers.hpp"

using namespace actorpool;
using namespace actorpool::test;

namespace {

/// Python's codes_values: ('i', 4343, 24234), ('d', 3.625, -4.25),
/// ('h', -232, 234), ('q', 2**33, 2**34), ('c', 'x', 'y').
struct typed_values {
  value<int32_t> i{4343};
  value<double> d{3.625};
  value<int16_t> h{-232};
  value<int64_t> q{int64_t{1} << 33};
  value<char> c{'x'};

  template <class Inspector>
  friend typename Inspector::result_type
  inspect(Inspector& f, typed_values& x) {
    return f(caf::meta::type_name("typed_values"), x.i, x.d, x.h, x.q, x.c);
  }
};

void set_typed_values(typed_values vs) {
  vs.i.set(24234);
  vs.d.set(-4.25);
  vs.h.set(234);
  vs.q.set(int64_t{1} << 34);
  vs.c.set('y');
}

void add_100(value<int> v) {
  v.fetch_add(100);
}

void add_100_at(array<int> a, size_t i) {
  a.fetch_add(i, 100);
}

int increment(int x) {
  return x + 1;
}

int refuse_odd(int x) {
  if (x % 2 != 0)
    throw std::invalid_argument("odd");
  return x;
}

void increment_n(value<int> v, int n) {
  for (int i = 0; i < n; ++i)
    v.update(increment);
}

bool update_throws(value<int> v) {
  try {
    v.update(refuse_odd);
  } catch (const remote_failure&) {
    return true;
  } catch (const std::invalid_argument&) {
    return true;
  }
  return false;
}

void add_under_lock(value<int> v, int n) {
  auto l = v.get_lock();
  for (int i = 0; i < n; ++i) {
    lock_guard<lock> guard{l};
    v.set(v.get() + 1);
  }
}

// Python's _TestArray.f: a running sum, element by element.
void running_sum(array<int> seq) {
  for (size_t i = 1; i < seq.size(); ++i)
    seq.set(i, seq.get(i) + seq.get(i - 1));
}

std::string index_error(array<int> a) {
  try {
    a.get(a.size());
  } catch (const bad_argument&) {
    return "bad_argument";
  }
  return "no error";
}

bool value_made_in_worker() {
  value<int> v{1};
  try {
    v.get();
  } catch (const state_error&) {
    return true;
  }
  return false;
}

} // namespace

ACTORPOOL_TASK(set_typed_values)
ACTORPOOL_TASK(add_100)
ACTORPOOL_TASK(add_100_at)
ACTORPOOL_TASK(increment)
ACTORPOOL_TASK(refuse_odd)
ACTORPOOL_TASK(increment_n)
ACTORPOOL_TASK(update_throws)
ACTORPOOL_TASK(add_under_lock)
ACTORPOOL_TASK(running_sum)
ACTORPOOL_TASK(index_error)
ACTORPOOL_TASK(value_made_in_worker)

namespace {

class shared_state_test : public test::process_test_p {};

} // namespace

// -- _TestValue ---------------------------------------------------------------

TEST_P(shared_state_test, values_like_python) {
  typed_values vs;
  EXPECT_EQ(vs.i.get(), 4343);
  EXPECT_EQ(vs.d.get(), 3.625);
  EXPECT_EQ(vs.h.get(), -232);
  EXPECT_EQ(vs.q.get(), int64_t{1} << 33);
  EXPECT_EQ(vs.c.get(), 'x');
  std::vector<process> ps;
  for (int i = 0; i < workers(); ++i)
    ps.emplace_back(set_typed_values, vs);
  EXPECT_EQ(run_all(ps), 0);
  EXPECT_EQ(vs.i.get(), 24234);
  EXPECT_EQ(vs.d.get(), -4.25);
  EXPECT_EQ(vs.h.get(), 234);
  EXPECT_EQ(vs.q.get(), int64_t{1} << 34);
  EXPECT_EQ(vs.c.get(), 'y');
}

TEST_P(shared_state_test, get_lock_like_python) {
  value<int> v1{5};
  lock l;
  value<int> v3{5, l};
  EXPECT_TRUE(v3.get_lock() == l);
  EXPECT_FALSE(v1.get_lock() == l);
  array<int> a3{std::vector<int>(10), l};
  EXPECT_TRUE(a3.get_lock() == l);
}

TEST_P(shared_state_test, ten_fetch_adds_from_processes_end_at_1001) {
  value<int> v{1};
  std::vector<process> ps;
  for (int i = 0; i < 10; ++i)
    ps.emplace_back(add_100, v);
  EXPECT_EQ(run_all(ps), 0);
  EXPECT_EQ(v.get(), 1001);
}

TEST_P(shared_state_test, fetch_adds_from_pool_workers_are_atomic) {
  value<int> v{1};
  pool p{workers()};
  std::vector<async_result<void>> rs;
  for (int i = 0; i < 10 * workers(); ++i)
    rs.push_back(p.apply_async(add_100, v));
  for (auto& r : rs)
    r.get();
  EXPECT_EQ(v.get(), 1 + 1000 * workers());
  EXPECT_EQ(v.fetch_add(-1), 1 + 1000 * workers());
}

TEST_P(shared_state_test, updates_run_a_registered_task_atomically) {
  value<int> v{0};
  std::vector<process> ps;
  for (int i = 0; i < workers(); ++i)
    ps.emplace_back(increment_n, v, 20);
  EXPECT_EQ(run_all(ps), 0);
  EXPECT_EQ(v.get(), 20 * workers());
  EXPECT_EQ(v.update(increment), 20 * workers() + 1);
}

TEST_P(shared_state_test, a_throwing_update_is_an_error_and_changes_nothing) {
  value<int> v{3};
  EXPECT_THROW(v.update(refuse_odd), std::invalid_argument);
  pool p{workers()};
  EXPECT_TRUE(p.apply(update_throws, v));
  EXPECT_EQ(v.get(), 3);
}

TEST_P(shared_state_test, get_lock_guards_compound_operations) {
  value<int> v{0};
  std::vector<process> ps;
  for (int i = 0; i < workers(); ++i)
    ps.emplace_back(add_under_lock, v, 25);
  EXPECT_EQ(run_all(ps), 0);
  EXPECT_EQ(v.get(), 25 * workers());
}

TEST_P(shared_state_test, values_are_created_in_the_parent) {
  pool p{workers()};
  EXPECT_TRUE(p.apply(value_made_in_worker));
}

// -- _TestArray ---------------------------------------------------------------

TEST_P(shared_state_test, array_like_python) {
  std::vector<int> seq{680, 626, 934, 821, 150, 233, 548, 982, 714, 831};
  array<int> arr{seq};
  EXPECT_EQ(arr.size(), seq.size());
  EXPECT_EQ(arr.get(3), seq[3]);
  EXPECT_EQ(arr.slice(2, 7),
            std::vector<int>(seq.begin() + 2, seq.begin() + 7));
  arr.assign(4, {1, 2, 3, 4});
  std::copy_n(std::vector<int>{1, 2, 3, 4}.begin(), 4, seq.begin() + 4);
  EXPECT_EQ(arr.to_vector(), seq);
  std::partial_sum(seq.begin(), seq.end(), seq.begin());
  pool p{workers()};
  p.apply(running_sum, arr);
  EXPECT_EQ(arr.to_vector(), seq);
}

TEST_P(shared_state_test, array_from_size_is_zeroed) {
  for (int round = 0; round < 3; ++round) {
    array<int> arr(10);
    EXPECT_EQ(arr.size(), 10u);
    EXPECT_EQ(arr.to_vector(), std::vector<int>(10, 0));
    std::vector<int> xs(10);
    std::iota(xs.begin(), xs.end(), 0);
    arr.assign(0, xs);
    EXPECT_EQ(arr.to_vector(), xs);
  }
}

TEST_P(shared_state_test, the_shared_array_counter) {
  array<int> temp{std::vector<int>{1}};
  std::vector<process> ps;
  for (int i = 0; i < 10; ++i)
    ps.emplace_back(add_100_at, temp, size_t{0});
  EXPECT_EQ(run_all(ps), 0);
  EXPECT_EQ(temp.get(0), 1001);
}

TEST_P(shared_state_test, fetch_add_by_index_from_workers) {
  array<int> counts(4);
  pool p{workers()};
  std::vector<async_result<void>> rs;
  for (int i = 0; i < 8 * workers(); ++i)
    rs.push_back(p.apply_async(add_100_at, counts, static_cast<size_t>(i % 4)));
  for (auto& r : rs)
    r.get();
  EXPECT_EQ(counts.to_vector(), std::vector<int>(4, 200 * workers()));
}

TEST_P(shared_state_test, array_indexes_are_checked_in_workers_too) {
  array<int> arr(3);
  EXPECT_THROW(arr.get(3), bad_argument);
  EXPECT_THROW(arr.assign(2, {1, 2}), bad_argument);
  pool p{workers()};
  EXPECT_EQ(p.apply(index_error, arr), "bad_argument");
}

INSTANTIATE_TEST_SUITE_P(shared_state, shared_state_test,
                         ::testing::ValuesIn(worker_counts()), worker_name);
