// Waiting inside a callback: `get()` and `wait()` on results of the same pool
// return once the value is known (the results' own callbacks run after the
// current one), and a search, decided on the callback thread itself, throws
// `state_error` instead of hanging. Python's pool deadlocks in each case.

#include "actorpool/async_result.hpp"

#include <chrono>
#include <future>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "actorpool/event.hpp"
#include "actorpool/pool.hpp"
#include "actorpool/ranges.hpp"
#include "actorpool/wait.hpp"
#include "support/leak_check.hpp"
#include "support/process_helpers.hpp"
#include "support/test_tasks.hpp"

using namespace actorpool;
using namespace actorpool::test;
using namespace std::chrono_literals;

namespace {

/// Squares `x` once `go` is set: its result's callbacks are registered
/// before it can finish, so they run on the pool's callback thread.
int sqr_when_set(event go, int x) {
  go.wait();
  return x * x;
}
ACTORPOOL_TASK(sqr_when_set)

class callback_test : public process_test_p {};

/// What the callback reported within 10 s ("hangs" if nothing).
std::string within_10s(std::future<std::string>& f) {
  if (f.wait_for(10s) != std::future_status::ready)
    return "hangs";
  return f.get();
}

} // namespace

TEST_P(callback_test, a_callback_gets_its_own_result) {
  pool p{workers()};
  event go;
  std::promise<std::string> seen;
  auto r = p.apply_async(sqr_when_set, go, 7);
  r.on_success([r, &seen](int) { seen.set_value(std::to_string(r.get())); });
  go.set();
  auto got = seen.get_future();
  EXPECT_EQ(within_10s(got), "49");
  EXPECT_EQ(r.get(), 49);
}

TEST_P(callback_test, a_callback_gets_another_result_before_its_callbacks) {
  pool p{workers()};
  event first_go;
  event second_go;
  std::vector<std::string> order; // callback thread only, until `done`
  std::promise<std::string> done;
  // Submitted first, so that one worker runs it first.
  auto first = p.apply_async(sqr_when_set, first_go, 3);
  auto second = p.apply_async(sqr_when_set, second_go, 4);
  second.on_success([&](int) {
    order.push_back("second's callback");
    std::string line;
    for (auto& x : order)
      line += x + "; ";
    done.set_value(line);
  });
  first.on_success([&, second](int) {
    second_go.set();
    order.push_back("first got " + std::to_string(second.get()));
  });
  first_go.set();
  auto got = done.get_future();
  EXPECT_EQ(within_10s(got), "first got 16; second's callback; ");
}

TEST_P(callback_test, wait_inside_a_callback_sees_finished_results) {
  pool p{workers()};
  event first_go;
  event second_go;
  std::promise<std::string> seen;
  auto first = p.apply_async(sqr_when_set, first_go, 3);
  auto second = p.apply_async(sqr_when_set, second_go, 4);
  second.on_success([](int) {});
  first.on_success([&, second](int) {
    second_go.set();
    auto w = actorpool::wait(std::vector<async_result<int>>{second});
    seen.set_value(std::to_string(w.done.size()) + " done");
  });
  first_go.set();
  auto got = seen.get_future();
  EXPECT_EQ(within_10s(got), "1 done");
}

TEST_P(callback_test, find_first_inside_a_callback_throws_state_error) {
  pool p{workers()};
  event go;
  std::promise<std::string> seen;
  auto r = p.apply_async(sqr_when_set, go, 2);
  r.on_success([&](int) {
    try {
      p.find_first(sqr, irange(0, 100), [](int y) { return y == 25; });
      seen.set_value("found");
    } catch (const state_error&) {
      seen.set_value("state_error");
    }
  });
  go.set();
  auto got = seen.get_future();
  EXPECT_EQ(within_10s(got), "state_error");
  EXPECT_EQ(p.find_first(sqr, irange(0, 100), [](int y) { return y == 25; })
              .index(),
            5u);
}

TEST_P(callback_test, waiting_inside_a_callback_for_a_search_throws) {
  pool p{workers()};
  event go;
  auto s = p.search(sqr, [](int y) { return y == 9; });
  std::promise<std::string> seen;
  auto r = p.apply_async(sqr_when_set, go, 2);
  r.on_success([&](int) {
    try {
      s.result().get();
      seen.set_value("got it");
    } catch (const state_error&) {
      seen.set_value("state_error");
    }
  });
  go.set();
  auto got = seen.get_future();
  EXPECT_EQ(within_10s(got), "state_error");
  s.put(2);
  s.put(3);
  auto found = s.result().get(10s);
  ASSERT_TRUE(found.found());
  EXPECT_EQ(found.index(), 1u);
}

INSTANTIATE_TEST_SUITE_P(callbacks, callback_test,
                         ::testing::ValuesIn(worker_counts()), worker_name);
