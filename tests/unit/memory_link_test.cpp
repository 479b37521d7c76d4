// The real coordinator core driven through the in-memory worker link: the
// core knows workers by id only, so a second kind of worker runs its tasks
// end to end, dies, and is replaced, with no process in sight.

#include "links/memory_link.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <stdexcept>
#include <string>

#include "coordinator_harness.hpp"

namespace actorpool::test {
namespace {

using actorpool::detail::coordinator_core;
using actorpool::detail::memory_link;

/// Chunk payloads are "c0", "c1", ...; a chunk's result is "r:" + payload.
/// Payloads in `poison` kill their worker every time, those in `crash_once`
/// the first time only; "fail" throws.
struct scripted_tasks {
  std::set<std::string> poison;
  std::set<std::string> crash_once;
  std::vector<std::string> runs;

  std::string operator()(const task_msg& t) {
    runs.push_back(t.payload);
    if (poison.count(t.payload) != 0)
      throw memory_link::crash{};
    if (crash_once.erase(t.payload) != 0)
      throw memory_link::crash{};
    if (t.payload == "fail")
      throw std::runtime_error("task failed on purpose");
    return "r:" + t.payload;
  }
};

struct memory_pool {
  scripted_tasks tasks;
  fake_env env; // timers and the clock only: the workers are `link`'s
  memory_link link{[this](const task_msg& t) {
    return tasks(t);
  }};
  coordinator_core core;

  explicit memory_pool(pool_config cfg) : core(std::move(cfg), env, link) {
    core.start();
    link.run();
  }

  job_ptr submit(size_t n) {
    auto job = std::make_shared<fake_job>();
    EXPECT_FALSE(core.submit("t", make_chunks(n), job));
    link.run();
    return job;
  }
};

std::vector<std::string> payloads(const fake_job& job) {
  std::vector<std::pair<size_t, std::string>> got;
  for (auto& d : job.delivered)
    got.emplace_back(d.index, d.payload);
  std::sort(got.begin(), got.end());
  std::vector<std::string> result;
  for (auto& g : got)
    result.push_back(g.second);
  return result;
}

TEST(memory_link, runs_tasks_through_the_coordinator) {
  memory_pool p{config(2)};
  bool ready = false;
  p.core.when_ready([&](const caf::error& err) { ready = !err; });
  EXPECT_TRUE(ready);
  EXPECT_EQ(p.core.stats().ready_pids, (std::vector<int>{1, 2}));
  auto job = p.submit(5);
  EXPECT_EQ(payloads(*job),
            (std::vector<std::string>{"r:c0", "r:c1", "r:c2", "r:c3", "r:c4"}));
  EXPECT_TRUE(job->failed.empty());
  p.core.close();
  bool joined = false;
  EXPECT_FALSE(p.core.join([&] { joined = true; }));
  p.link.run();
  EXPECT_TRUE(joined);
  auto st = p.core.stats();
  EXPECT_EQ(st.workers_started, 2u);
  EXPECT_EQ(st.workers_died, 0u);
  EXPECT_EQ(p.link.gone_clients(), (std::vector<uint64_t>{1, 2}));
}

TEST(memory_link, a_dead_worker_is_replaced_and_its_tasks_resubmitted) {
  memory_pool p{config(1, 4)};
  p.tasks.crash_once = {"c2"};
  auto job = p.submit(6);
  EXPECT_EQ(payloads(*job), (std::vector<std::string>{"r:c0", "r:c1", "r:c2",
                                                      "r:c3", "r:c4", "r:c5"}));
  EXPECT_TRUE(job->failed.empty());
  auto st = p.core.stats();
  EXPECT_EQ(st.workers_started, 2u);
  EXPECT_EQ(st.workers_died, 1u);
  EXPECT_EQ(st.pids, (std::vector<int>{2}));
  // c2 ran twice: in the worker that died, and in its replacement.
  EXPECT_EQ(std::count(p.tasks.runs.begin(), p.tasks.runs.end(), "c2"), 2);
}

TEST(memory_link, a_worker_crashing_on_its_own_is_replaced) {
  memory_pool p{config(2)};
  p.link.crash_worker(1);
  p.link.run();
  EXPECT_EQ(p.core.stats().workers_died, 1u);
  EXPECT_EQ(p.core.stats().pids, (std::vector<int>{2, 3}));
  auto job = p.submit(3);
  EXPECT_EQ(payloads(*job), (std::vector<std::string>{"r:c0", "r:c1", "r:c2"}));
}

TEST(memory_link, a_poison_task_fails_with_how_its_workers_died) {
  auto cfg = config(1, 1);
  cfg.max_retries = 1;
  memory_pool p{cfg};
  p.tasks.poison = {"c1"};
  auto job = p.submit(3);
  EXPECT_EQ(payloads(*job), (std::vector<std::string>{"r:c0", "r:c2"}));
  ASSERT_EQ(job->failed.size(), 1u);
  EXPECT_EQ(job->failed[0].first, 1u);
  EXPECT_EQ(code_of(job->failed[0].second), errc::worker_died);
  auto text = actorpool::render(job->failed[0].second);
  EXPECT_NE(text.find("worker 2 killed by signal 9 while running this task"),
            std::string::npos)
    << text;
  EXPECT_EQ(p.core.stats().workers_died, 2u);
}

TEST(memory_link, a_failing_task_fails_alone) {
  memory_pool p{config(1)};
  auto job = std::make_shared<fake_job>();
  std::vector<encoded_chunk> chunks{{"c0", 1}, {"fail", 1}};
  EXPECT_FALSE(p.core.submit("t", std::move(chunks), job));
  p.link.run();
  EXPECT_EQ(payloads(*job), (std::vector<std::string>{"r:c0"}));
  ASSERT_EQ(job->failed.size(), 1u);
  EXPECT_EQ(code_of(job->failed[0].second), errc::task_failed);
  EXPECT_EQ(p.core.stats().workers_died, 0u);
}

TEST(memory_link, terminate_stops_the_workers_and_join_returns) {
  memory_pool p{config(2)};
  auto job = std::make_shared<fake_job>();
  EXPECT_FALSE(p.core.submit("t", make_chunks(4), job));
  p.core.terminate(); // before any worker ran anything
  bool joined = false;
  EXPECT_FALSE(p.core.join([&] { joined = true; }));
  p.link.run();
  EXPECT_TRUE(joined);
  EXPECT_EQ(job->failed.size(), 4u);
  EXPECT_EQ(p.core.stats().workers_died, 0u);
  EXPECT_TRUE(p.link.alive(1) == false && p.link.alive(2) == false);
}

} // namespace
} // namespace actorpool::test
