// Where queued chunks go, measured against Python's pool: a task never waits
// behind a busy worker while another worker is free. Pools run on the fake
// clock (coordinator_simulation.hpp); Python's schedule is computed.

#include "coordinator/coordinator_core.hpp"

#include <random>
#include <sstream>

#include "coordinator_simulation.hpp"

using namespace actorpool::test;
using actorpool::detail::coordinator_core;

namespace {

using ids = std::vector<uint64_t>;

std::vector<us> in_ms(std::initializer_list<long> xs) {
  std::vector<us> result;
  for (auto x : xs)
    result.push_back(std::chrono::milliseconds{x});
  return result;
}

/// A draw of `n` tasks: instant ones (under 50 us), a few of some
/// milliseconds, and long ones (0.1 to 3 s).
std::vector<us> draw_tasks(std::mt19937& rng, size_t n) {
  std::vector<us> result;
  for (size_t i = 0; i < n; ++i) {
    auto kind = rng() % 10;
    if (kind < 4)
      result.push_back(us{rng() % 50});
    else if (kind < 5)
      result.push_back(std::chrono::milliseconds{1 + rng() % 20});
    else
      result.push_back(std::chrono::milliseconds{100 + rng() % 2900});
  }
  return result;
}

std::string describe(const std::vector<us>& ds) {
  std::ostringstream out;
  for (auto d : ds)
    out << d.count() << "us ";
  return out.str();
}

} // namespace

// The users' report: pool p{4}; apply_async of sleeps 3000, 3000, 1000, 0,
// 3000, 3000, 0, 0 ms; close(); join(). Python's pool takes 4 s.
TEST(coordinator_dispatch, a_queued_task_goes_to_the_first_free_worker) {
  auto ds = in_ms({3000, 3000, 1000, 0, 3000, 3000, 0, 0});
  ASSERT_EQ(fifo_makespan(ds, 4), std::chrono::milliseconds{4000});
  simulation sim{config(4, 0)};
  sim.submit_each(ds);
  // One chunk per worker while the tasks look long; the instant one pulls
  // the running mean down, the window grows to 2, and the rest go ahead.
  sim.run_until(us{0});
  EXPECT_EQ(sim.h.env.sent_to(1), (ids{1, 6}));
  EXPECT_EQ(sim.h.env.sent_to(2), (ids{2, 7}));
  EXPECT_EQ(sim.h.env.sent_to(3), (ids{3, 8}));
  EXPECT_EQ(sim.h.env.sent_to(4), (ids{4, 5}));
  EXPECT_TRUE(sim.h.env.revokes.empty());
  // At 1 s worker 3 is done with 3 and 8: the chunks behind the 3 s tasks of
  // workers 1 and 2 are taken back, and 6 goes to worker 3.
  sim.run_until(std::chrono::milliseconds{1000});
  EXPECT_EQ(sim.h.env.revokes,
            (std::vector<std::pair<uint64_t, ids>>{{1, {6}}, {2, {7}}}));
  EXPECT_EQ(sim.h.env.sent_to(3), (ids{3, 8, 6}));
  EXPECT_EQ(sim.h.core.stats().revoked, 2u);
  auto total = sim.run();
  EXPECT_LE(total, fifo_makespan(ds, 4));
  EXPECT_EQ(sim.ran_on.at(6), 3u);
  EXPECT_EQ(sim.h.core.stats().completed, 8u);
}

// Whatever the window, and however long and short tasks mix, the pool ends
// no later than Python's FIFO schedule of the same tasks plus one task.
TEST(coordinator_dispatch, random_mixes_end_within_python_time_plus_one_task) {
  size_t revoking_draws = 0;
  for (uint32_t seed = 1; seed <= 400; ++seed) {
    std::mt19937 rng{seed};
    size_t workers = 1 + rng() % 4;
    auto ds = draw_tasks(rng, 1 + rng() % 24);
    size_t windows[] = {0, 2, 8};
    auto window = windows[seed % 3];
    simulation sim{config(workers, window)};
    sim.submit_each(ds);
    auto ours = sim.run();
    auto python = fifo_makespan(ds, workers);
    auto longest = *std::max_element(ds.begin(), ds.end());
    EXPECT_LE(ours, python + longest)
      << "seed " << seed << ", " << workers << " workers, window " << window
      << ": " << describe(ds) << "(python: " << python.count()
      << " us); ours: " << sim.schedule();
    EXPECT_EQ(sim.h.core.stats().completed, ds.size()) << "seed " << seed;
    if (sim.h.core.stats().revoked > 0)
      ++revoking_draws;
  }
  EXPECT_GT(revoking_draws, 0u); // the draws do exercise taking back
}

// Tiny tasks are still sent ahead in large windows, and none is ever taken
// back: the chunk in front of them never runs long.
TEST(coordinator_dispatch, tiny_tasks_are_sent_ahead_and_never_taken_back) {
  std::vector<us> ds(2000, us{5});
  simulation sim{config(2, 0)};
  sim.submit_each(ds);
  auto total = sim.run();
  EXPECT_TRUE(sim.h.env.revokes.empty());
  EXPECT_GT(sim.h.core.stats().window, 16u);
  EXPECT_LT(sim.h.env.batches.size(), ds.size() / 4); // several per frame
  EXPECT_LE(total, fifo_makespan(ds, 2) + coordinator_core::revoke_after);
}

// Tiny tasks sent ahead behind a long one while it was young are taken
// back together (one frame), and all of them run in the other worker.
TEST(coordinator_dispatch, tiny_tasks_behind_a_long_one_come_back_together) {
  std::vector<us> ds(501, us{5});
  ds[0] = std::chrono::milliseconds{1000};
  simulation sim{config(2, 0)};
  sim.submit_each(ds);
  sim.run();
  EXPECT_EQ(sim.ran_on.at(1), 1u);
  for (uint64_t id = 2; id <= ds.size(); ++id)
    EXPECT_EQ(sim.ran_on.at(id), 2u) << "chunk " << id;
  ASSERT_EQ(sim.h.env.revokes.size(), 1u);
  EXPECT_EQ(sim.h.env.revokes[0].second.size(), sim.h.core.stats().revoked);
  EXPECT_GT(sim.h.core.stats().revoked, 10u);
}
