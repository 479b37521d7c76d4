// thread_pool: every member function of pool on worker threads of this
// process, for 1, 2 and 4 threads; what threads change (a task past its
// timeout is let go, not killed; terminate); code generic over both kinds.

#include "actorpool/thread_pool.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <numeric>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>
#include <gtest/gtest.h>

#include "actorpool/cpu_count.hpp"
#include "actorpool/ranges.hpp"
#include "actorpool/this_task.hpp"
#include "actorpool/wait.hpp"
#include "support/leak_check.hpp"
#include "support/process_helpers.hpp"
#include "support/test_tasks.hpp"

using namespace actorpool;
using namespace actorpool::test;
using namespace std::chrono_literals;

namespace {

/// Tasks that block until the test opens the gate, ignoring cancellation:
/// what a thread cannot be stopped from doing.
class gate {
public:
  void close() {
    std::lock_guard<std::mutex> guard{mtx_};
    open_ = false;
    inside_ = 0;
  }

  void open() {
    std::lock_guard<std::mutex> guard{mtx_};
    open_ = true;
    cv_.notify_all();
  }

  /// Blocks until the gate opens (at most 30 s, so that nothing hangs).
  void pass() {
    std::unique_lock<std::mutex> guard{mtx_};
    ++inside_;
    cv_.notify_all();
    cv_.wait_for(guard, 30s, [this] { return open_; });
    --inside_;
    cv_.notify_all();
  }

  /// Waits until `n` tasks are held at the gate; false after 10 s.
  bool await_inside(int n) {
    std::unique_lock<std::mutex> guard{mtx_};
    return cv_.wait_for(guard, 10s, [this, n] { return inside_ == n; });
  }

  int inside() {
    std::lock_guard<std::mutex> guard{mtx_};
    return inside_;
  }

private:
  std::mutex mtx_;
  std::condition_variable cv_;
  bool open_ = true;
  int inside_ = 0;
};

gate the_gate;

int held(int x) {
  the_gate.pass();
  return x;
}
ACTORPOOL_TASK(held)

/// Input -1 matches after 20 ms; the others wait (at most 10 s) until they
/// are cancelled.
bool patient(int x) {
  if (x == -1) {
    this_task::sleep_for(20ms);
    return true;
  }
  auto end = std::chrono::steady_clock::now() + 10s;
  while (!this_task::cancelled() && std::chrono::steady_clock::now() < end)
    this_task::sleep_for(1s);
  return false;
}
ACTORPOOL_TASK(patient)

bool is_77(int x) {
  return x == 77;
}
ACTORPOOL_TASK(is_77)

/// Waits until the pool counts `n` stuck threads; false after 10 s.
bool await_stuck(const thread_pool& p, uint64_t n) {
  auto end = std::chrono::steady_clock::now() + 10s;
  while (p.stats().stuck_threads != n)
    if (std::chrono::steady_clock::now() > end)
      return false;
  return true;
}

class thread_pool_test : public process_test_p {
protected:
  void SetUp() override {
    process_test_p::SetUp();
    the_gate.open();
  }

  void TearDown() override {
    the_gate.open(); // let every held task return
    process_test_p::TearDown();
  }

  size_t threads() const {
    return static_cast<size_t>(workers());
  }
};

} // namespace

TEST_P(thread_pool_test, apply_and_apply_async) {
  thread_pool p{workers()};
  EXPECT_EQ(p.size(), threads());
  EXPECT_EQ(p.apply(sqr, 5), 25);
  EXPECT_EQ(p.apply(mul, 3, 4), 12);
  std::atomic<int> seen{0};
  auto r = p.apply_async(sqr, 7);
  r.on_success([&](int x) { seen = x; });
  EXPECT_EQ(r.get(), 49);
  auto bad = p.apply_async(raising);
  std::atomic<bool> failed{false};
  bad.on_error([&](const std::exception& e) {
    failed = dynamic_cast<const key_error*>(&e) != nullptr;
  });
  EXPECT_THROW(bad.get(), key_error);
  p.close();
  p.join(); // callbacks have run once the pool is joined
  EXPECT_EQ(seen.load(), 49);
  EXPECT_TRUE(failed.load());
}

TEST_P(thread_pool_test, maps) {
  thread_pool p{workers()};
  EXPECT_EQ(p.map(sqr, iota_vec(100)), squares(100));
  EXPECT_EQ(p.map(sqr, iota_vec(100), 7), squares(100));
  EXPECT_EQ(p.map_async(sqr, iota_vec(30), 1).get(), squares(30));
  std::vector<std::tuple<int, int>> pairs{{1, 2}, {3, 4}, {5, 6}};
  EXPECT_EQ(p.starmap(mul, pairs), (std::vector<int>{2, 12, 30}));
  EXPECT_EQ(p.starmap_async(mul, pairs, 2).get(),
            (std::vector<int>{2, 12, 30}));
}

TEST_P(thread_pool_test, lazy_maps) {
  thread_pool p{workers()};
  std::vector<int> ordered;
  for (auto x : p.imap(sqr, irange(0, 50), 3))
    ordered.push_back(x);
  EXPECT_EQ(ordered, squares(50));
  std::vector<int> any;
  for (auto x : p.imap_unordered(sqr, irange(0, 50)))
    any.push_back(x);
  std::sort(any.begin(), any.end());
  EXPECT_EQ(any, squares(50));
}

TEST_P(thread_pool_test, early_termination) {
  thread_pool p{workers()};
  auto r = p.find_first(is_77, irange(0, 1000), [](bool b) { return b; });
  ASSERT_TRUE(r.found());
  EXPECT_EQ(r.index(), 77u);
  auto none = p.find_first_async(is_77, irange(0, 50), [](bool b) { return b; })
                .get();
  EXPECT_FALSE(none.found());
  EXPECT_EQ(none.completed(), 50u);
  long sum = 0;
  auto each = p.for_each_result(sqr, irange(0, 10), [&](int x) {
    sum += x;
    return true;
  });
  EXPECT_FALSE(each.found());
  EXPECT_EQ(sum, 285);
}

// The cancellation of the tasks still running after a match reaches them
// through this_task on their own threads.
TEST_P(thread_pool_test, cancellation_reaches_the_tasks_cooperatively) {
  thread_pool p{workers()};
  std::vector<int> xs;
  for (int i = 0; i + 1 < workers(); ++i)
    xs.push_back(i);
  xs.push_back(-1);
  auto t0 = std::chrono::steady_clock::now();
  auto r = p.find_first(patient, xs, [](bool b) { return b; });
  ASSERT_TRUE(r.found());
  EXPECT_EQ(r.index(), xs.size() - 1);
  // The others returned when cancelled: no thread was let go.
  EXPECT_EQ(p.stats().stuck_threads, 0u);
  p.close();
  p.join();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 9s);
}

TEST_P(thread_pool_test, push_streams_and_searches) {
  thread_pool p{workers()};
  auto s = p.stream(sqr, stream_options{}.ordered(true).window(8));
  std::thread producer([&s] {
    for (int i = 0; i < 40; ++i)
      s.put(i);
    s.close();
  });
  std::vector<int> got;
  for (auto x : s)
    got.push_back(x);
  producer.join();
  EXPECT_EQ(got, squares(40));
  auto search = p.search(is_77, [](bool b) { return b; });
  for (int i = 0; i < 100; ++i)
    search.put(i);
  search.close();
  auto r = search.result().get();
  ASSERT_TRUE(r.found());
  EXPECT_EQ(r.index(), 77u);
}

TEST_P(thread_pool_test, wait_and_as_completed) {
  thread_pool p{workers()};
  std::vector<async_result<int>> rs;
  for (int i = 0; i < 8; ++i)
    rs.push_back(p.apply_async(sqr, i));
  wait(rs);
  int sum = 0;
  for (auto& r : as_completed(rs))
    sum += r.get();
  EXPECT_EQ(sum, 140);
}

TEST_P(thread_pool_test, initializer_runs_in_every_thread) {
  thread_pool p{
    pool_options{}.processes(workers()).initializer(set_marker, 42)};
  EXPECT_EQ(p.map(read_marker_of, iota_vec(20), 1), std::vector<int>(20, 42));
  EXPECT_THROW(thread_pool{pool_options{}.processes(workers()).initializer(
                 failing_initializer)},
               start_error);
}

TEST_P(thread_pool_test, max_tasks_per_child_replaces_threads) {
  thread_pool p{pool_options{}.processes(workers()).max_tasks_per_child(2)};
  EXPECT_EQ(p.map(sqr, iota_vec(20), 1), squares(20));
  p.close();
  auto st = p.stats();
  p.join();
  // Twenty chunks, at most two per thread.
  EXPECT_GE(st.workers_started, 10u);
  EXPECT_EQ(st.workers_died, 0u);
}

// The chunk fails at its deadline; a new thread takes the slot while the old
// one stays held, counted as stuck, and join() does not wait for it.
TEST_P(thread_pool_test, a_task_past_its_timeout_is_let_go) {
  the_gate.close();
  thread_pool p{workers()};
  auto r = p.apply_async(call_options{}.timeout(100ms), held, 7);
  EXPECT_THROW(r.get(), timeout_error);
  auto st = p.stats();
  EXPECT_EQ(st.timed_out, 1u);
  EXPECT_EQ(st.stuck_threads, 1u);
  EXPECT_EQ(st.pids.size(), threads());
  EXPECT_EQ(p.map(sqr, iota_vec(20), 1), squares(20));
  EXPECT_EQ(the_gate.inside(), 1);
  the_gate.open();
  EXPECT_TRUE(await_stuck(p, 0)); // back once its task returned
  p.close();
  p.join();
}

TEST_P(thread_pool_test, join_does_not_wait_for_a_stuck_thread) {
  the_gate.close();
  thread_pool p{pool_options{}.processes(workers()).task_timeout(100ms)};
  auto r = p.apply_async(held, 1);
  EXPECT_THROW(r.get(), timeout_error);
  p.close();
  p.join();
  EXPECT_EQ(the_gate.inside(), 1); // still running after join
}

TEST_P(thread_pool_test, terminate_lets_running_threads_go) {
  the_gate.close();
  thread_pool p{workers()};
  std::vector<int> xs(threads() * 3, 1);
  auto r = p.map_async(held, xs, 1);
  ASSERT_TRUE(the_gate.await_inside(workers()));
  p.terminate();
  EXPECT_THROW(r.get(), cancelled_error);
  p.join();
  EXPECT_EQ(the_gate.inside(), workers());
}

TEST_P(thread_pool_test, the_actor_interface) {
  thread_pool p{workers()};
  caf::scoped_actor self{p.system()};
  int y = 0;
  self->request(p.actor(), 30s, make_call(sqr, 9))
    .receive([&](const task_reply& r) { y = r.as<int>(); },
             [&](caf::error& err) { FAIL() << render(err); });
  EXPECT_EQ(y, 81);
}

TEST_P(thread_pool_test, a_lambda_past_its_timeout_is_let_go) {
  the_gate.close();
  thread_pool p{workers()};
  auto r = p.apply_async(call_options{}.timeout(100ms), [] {
    the_gate.pass();
    return 1;
  });
  EXPECT_THROW(r.get(), timeout_error);
  EXPECT_EQ(p.apply([] { return 2; }), 2);
  EXPECT_EQ(p.stats().stuck_threads, 1u);
  the_gate.open();
  EXPECT_TRUE(await_stuck(p, 0));
}

INSTANTIATE_TEST_SUITE_P(threads, thread_pool_test,
                         ::testing::ValuesIn(worker_counts()));

namespace {

/// Code written once for either kind of pool.
int sum_of_squares(pool& p, int n) {
  auto ys = p.map(sqr, iota_vec(n));
  return std::accumulate(ys.begin(), ys.end(), 0);
}

class thread_pool_kinds_test : public process_test {};

} // namespace

TEST_F(thread_pool_kinds_test, generic_code_runs_on_either_kind) {
  pool processes{2};
  thread_pool threads{2};
  EXPECT_EQ(sum_of_squares(processes, 10), 285);
  EXPECT_EQ(sum_of_squares(threads, 10), 285);
}

TEST_F(thread_pool_kinds_test, in_a_user_system_without_middleman) {
  caf::actor_system_config cfg;
  cfg.set("scheduler.max-threads", 2);
  caf::actor_system sys{cfg};
  thread_pool p{sys, pool_options{}.processes(2)};
  EXPECT_EQ(p.apply(sqr, 12), 144);
  EXPECT_EQ(&p.system(), &sys);
}

TEST_F(thread_pool_kinds_test, a_spawned_thread_pool_actor) {
  caf::actor_system_config cfg;
  cfg.set("scheduler.max-threads", 2);
  caf::actor_system sys{cfg};
  auto p = spawn_thread_pool(sys, pool_options{}.processes(2));
  caf::scoped_actor self{sys};
  std::vector<int> ys;
  self->request(p, 30s, make_map_call(sqr, iota_vec(10), 3))
    .receive([&](const task_reply& r) { ys = r.as<std::vector<int>>(); },
             [&](caf::error& err) { FAIL() << render(err); });
  EXPECT_EQ(ys, squares(10));
  self->send(p, close_atom::value);
  self->request(p, 30s, join_atom::value)
    .receive([](const pool_stats& st) { EXPECT_EQ(st.completed, 4u); },
             [&](caf::error& err) { FAIL() << render(err); });
}

TEST_F(thread_pool_kinds_test, default_size_is_the_cpu_count) {
  thread_pool p;
  EXPECT_EQ(p.size(), static_cast<size_t>(cpu_count()));
  EXPECT_THROW(thread_pool{0}, bad_argument);
}
