#include "actorpool/pool_stats.hpp"

#include <string>

#include <gtest/gtest.h>

using namespace actorpool;

TEST(pool_stats, to_string_shows_counters_and_a_row_per_worker) {
  pool_stats x;
  x.pids = {4001, 4002};
  x.ready_pids = {4001, 4002};
  x.submitted = 20'000;
  x.completed = 19'990;
  x.window = 2;
  x.workers_started = 3;
  x.workers_died = 1;
  x.workers.push_back(worker_stats{4001, 0, 0, 12'345, 2'500'000, 13'800'000});
  x.workers.push_back(worker_stats{4002, 1, 1, 7'645, 900, 0});
  auto text = to_string(x);
  EXPECT_EQ(text.rfind("pool: 2 workers (2 ready), window 2\n", 0), 0u) << text;
  EXPECT_NE(text.find("20.0k submitted, 20.0k completed"), std::string::npos)
    << text;
  EXPECT_NE(text.find("3 started, 1 died"), std::string::npos) << text;
  EXPECT_NE(text.find(
              "      0     4001        0    12.3k      2.5s   13.8MB\n"),
            std::string::npos)
    << text;
  EXPECT_NE(text.find(
              "      1     4002        1     7645     0.9ms        ?\n"),
            std::string::npos)
    << text;
}
