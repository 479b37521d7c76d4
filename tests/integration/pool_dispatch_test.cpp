// Where calls run, over real worker processes: a call never waits behind a
// busy worker while another one is free, whatever the window, and a result
// never waits in its worker behind the long task after it. No timing is
// asserted: which worker ran what, and what is done while another task
// still blocks, tell.

#include "actorpool/pool.hpp"

#include <unistd.h>

#include <chrono>
#include <optional>
#include <vector>

#include <gtest/gtest.h>

#include "actorpool/event.hpp"
#include "support/leak_check.hpp"
#include "support/process_helpers.hpp"
#include "support/test_tasks.hpp"

using namespace actorpool;
using namespace actorpool::test;
using namespace std::chrono_literals;

namespace {

/// Tells the parent it runs, then waits for `go`; returns its worker's pid.
int hold_until(event started, event go) {
  started.set();
  check(go.wait(patience), "go within the patience bound");
  return static_cast<int>(getpid());
}
ACTORPOOL_TASK(hold_until)

/// Set in every worker by the pool's initializer.
std::optional<event> go_event;

void remember_go(event go) {
  go_event = go;
}
ACTORPOOL_TASK(remember_go)

/// Returns `x` at once, except 1, which first waits for the remembered `go`.
int wait_for_go_if_one(int x) {
  if (x == 1)
    check(go_event && go_event->wait(patience), "go within the patience bound");
  return x;
}
ACTORPOOL_TASK(wait_for_go_if_one)

class dispatch_test : public process_test_p {};

class dispatch_single_test : public process_test {};

} // namespace

// Every worker holds a task; one more call comes (sent ahead to worker 1,
// behind its task, when the window allows). Once the last worker is free,
// the call runs there, while worker 1 still holds its task.
TEST_P(dispatch_test, a_call_behind_a_busy_worker_moves_to_a_free_one) {
  auto n = static_cast<size_t>(workers());
  pool p{pool_options{}.processes(workers()).window(4)};
  std::vector<event> started(n);
  std::vector<event> go(n);
  std::vector<async_result<int>> holders;
  for (size_t k = 0; k < n; ++k)
    holders.push_back(p.apply_async(hold_until, started[k], go[k]));
  auto call = p.apply_async(worker_pid);
  for (auto& e : started)
    ASSERT_TRUE(e.wait(10s));
  go[n - 1].set();
  auto free_pid = holders[n - 1].get();
  bool moved = call.wait(10s);
  for (auto& e : go)
    e.set();
  ASSERT_TRUE(moved) << "the call waited behind a busy worker";
  EXPECT_EQ(call.get(), free_pid);
  std::vector<int> pids;
  for (auto& h : holders)
    pids.push_back(h.get());
  EXPECT_NE(pids[0], free_pid);
}

// Two calls in one frame to one worker: the first returns at once, the
// second blocks until the parent has seen the first result.
TEST_F(dispatch_single_test, a_result_does_not_wait_behind_the_next_task) {
  event go;
  pool p{pool_options{}.processes(1).window(4).initializer(remember_go, go)};
  auto results = p.imap_unordered(wait_for_go_if_one, std::vector<int>{0, 1});
  std::optional<int> first;
  try {
    first = results.next(10s);
  } catch (const timeout_error&) {
    // the first result waited for the second task: checked below
  }
  go.set();
  EXPECT_EQ(first, std::optional<int>{0});
  EXPECT_EQ(results.next(), std::optional<int>{first ? 1 : 0});
}

INSTANTIATE_TEST_SUITE_P(dispatch, dispatch_test, ::testing::Values(2, 4),
                         worker_name);
