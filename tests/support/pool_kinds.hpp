#pragma once

// Helpers of the tests that run one body over both kinds of pool (worker
// processes and worker threads): the instances' parameters and names, a
// fixture making a pool of either kind, a task a test can hold and let go,
// and a type counting its instances.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <caf/meta/type_name.hpp>
#include <gtest/gtest.h>

#include "actorpool/pool.hpp"

namespace actorpool::test {

enum class pool_kind { processes, threads };

/// One instance of a test: the kind of pool and its number of workers.
struct pool_case {
  pool_kind kind;
  int workers;
};

/// The instances of a test over `kinds`: each kind with each of
/// `worker_counts()`.
std::vector<pool_case> pool_cases(std::vector<pool_kind> kinds);

/// "processes_<n>" or "threads_<n>": the instance names of such a test.
std::string pool_case_name(const ::testing::TestParamInfo<pool_case>& info);

/// Holds tasks (`held_sqr`, `held_sleep`) until the test process releases
/// them or their time is up. Worker processes have their own copy, never
/// released, so there they are plain slow tasks; on a thread pool the test
/// ends them when it is done.
class task_hold {
public:
  void reset();

  void release();

  /// Blocks for at most `seconds`, until released.
  void wait(double seconds);

  /// How many tasks of this process wait right now.
  int inside();

private:
  std::mutex mtx_;
  std::condition_variable cv_;
  bool released_ = false;
  int inside_ = 0;
};

/// The hold of this process.
task_hold& the_hold();

/// `x * x` after the hold (at most `wait_s`).
int held_sqr(int x, double wait_s);

/// Returns after the hold (at most `wait_s`).
void held_sleep(double wait_s);

/// Counts its live instances in this process (Python's CountedObject).
struct counted {
  counted() {
    ++live;
  }

  counted(const counted& other) : value(other.value) {
    ++live;
  }

  counted& operator=(const counted&) = default;

  ~counted() {
    --live;
  }

  int value = 0;
  static inline std::atomic<int> live{0};
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, counted& x) {
  return f(caf::meta::type_name("counted"), x.value);
}

/// Returns its argument.
counted counted_identity(counted x);

/// Waits until `done()` holds; false after 10 s (a leak fails rather than
/// hangs).
template <class Predicate>
bool await_true(Predicate done) {
  auto end = std::chrono::steady_clock::now() + std::chrono::seconds{10};
  while (!done() && std::chrono::steady_clock::now() < end)
    std::this_thread::yield();
  return done();
}

/// Base fixture over both kinds of pool, with the leak checks of
/// `process_test_p`; releases the hold when the test ends.
class pool_kind_test_p : public ::testing::TestWithParam<pool_case> {
protected:
  void SetUp() override;

  void TearDown() override;

  int workers() const {
    return GetParam().workers;
  }

  bool threads() const {
    return GetParam().kind == pool_kind::threads;
  }

  /// A pool of this instance's kind and size (a `thread_pool` for threads).
  std::unique_ptr<pool> make_pool() const;

private:
  std::set<int> baseline_;
};

} // namespace actorpool::test
