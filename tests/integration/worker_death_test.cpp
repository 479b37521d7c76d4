// Workers that die: a poison task that kills every worker it touches fails
// alone, after its retry budget, with an error naming the signal; the work
// around it completes exactly once.

#include <signal.h>
#include <unistd.h>

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "actorpool/pool.hpp"
#include "actorpool/ranges.hpp"
#include "support/process_helpers.hpp"
#include "support/test_tasks.hpp"

using namespace actorpool;
using namespace actorpool::test;
using namespace std::chrono_literals;

namespace {

/// Input 13 kills its worker; the others are returned.
int poison_13(int x) {
  if (x == 13)
    raise(SIGKILL);
  return x;
}
ACTORPOOL_TASK(poison_13)

class worker_death_test : public process_test_p {};

} // namespace

TEST_P(worker_death_test, a_poison_task_fails_alone) {
  pool p{workers()};
  std::vector<int> got;
  int failures = 0;
  auto results = p.imap(poison_13, irange(0, 300));
  for (;;) {
    try {
      auto y = results.next();
      if (!y)
        break;
      got.push_back(*y);
    } catch (const worker_died_error& e) {
      ++failures;
      std::string what = e.what();
      EXPECT_NE(what.find("killed by signal 9"), std::string::npos) << what;
      EXPECT_NE(what.find("3 attempts"), std::string::npos) << what;
    }
  }
  EXPECT_EQ(failures, 1);
  std::vector<int> expected;
  for (int i = 0; i < 300; ++i)
    if (i != 13)
      expected.push_back(i);
  EXPECT_EQ(got, expected); // in order, each once
  // Three deaths with the poison alone in its worker, and perhaps one
  // before, with other chunks beside it (that one counts for nobody).
  EXPECT_GE(p.stats().workers_died, 3u);
  EXPECT_LE(p.stats().workers_died, 4u);
  EXPECT_EQ(p.apply(sqr, 4), 16);
}

TEST_P(worker_death_test, poison_among_many_async_calls) {
  pool p{workers()};
  std::vector<async_result<int>> rs;
  for (int i = 0; i < 200; ++i)
    rs.push_back(p.apply_async(poison_13, i));
  for (int i = 0; i < 200; ++i) {
    auto& r = rs[static_cast<size_t>(i)];
    if (i == 13)
      EXPECT_THROW(r.get(), worker_died_error);
    else
      EXPECT_EQ(r.get(), i);
  }
}

TEST_P(worker_death_test, a_killed_idle_worker_is_replaced) {
  pool p{workers()};
  auto before = p.stats();
  ASSERT_EQ(kill(before.pids[0], SIGKILL), 0);
  auto t0 = std::chrono::steady_clock::now();
  for (;;) {
    auto st = p.stats();
    if (st.workers_died == 1
        && st.ready_pids.size() == before.ready_pids.size())
      break;
    ASSERT_LT(std::chrono::steady_clock::now() - t0, 10s);
  }
  EXPECT_EQ(p.map(sqr, std::vector<int>{1, 2}), (std::vector<int>{1, 4}));
}

INSTANTIATE_TEST_SUITE_P(deaths, worker_death_test,
                         ::testing::ValuesIn(worker_counts()), worker_name);
