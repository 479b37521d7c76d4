#include "actorpool/progress.hpp"

#include <gtest/gtest.h>

#include <cstdio>

using namespace actorpool;
using namespace std::chrono_literals;

TEST(progress_bar, renders_a_known_total_as_a_bar) {
  progress_bar bar{"work"};
  progress p;
  p.completed = 25;
  p.total = 100;
  p.rate = 50;
  p.eta = std::chrono::duration<double>{1.5};
  EXPECT_EQ(bar.render(p),
            "work [#####...............] 25% 25/100 50/s ETA 1.5s");
}

TEST(progress_bar, renders_an_unknown_total_as_a_count) {
  progress_bar bar;
  progress p;
  p.completed = 1234;
  p.rate = 617;
  EXPECT_EQ(bar.render(p), "1234 617/s");
}

TEST(progress_bar, the_last_report_shows_the_elapsed_time) {
  progress_bar bar{"x"};
  progress p;
  p.completed = 10;
  p.total = 10;
  p.rate = 5;
  p.elapsed = 2s;
  p.finished = true;
  EXPECT_EQ(bar.render(p), "x [####################] 100% 10/10 5/s in 2.0s");
}

TEST(progress_bar, draws_nothing_when_not_on_a_terminal) {
  auto f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  progress_bar bar{"x", f};
  EXPECT_FALSE(bar.enabled());
  progress p;
  p.completed = 1;
  bar(p);
  EXPECT_EQ(std::ftell(f), 0);
  std::fclose(f);
}
