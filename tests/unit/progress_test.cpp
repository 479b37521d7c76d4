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

TEST(progress_bar, renders_an_unknown_total_as_completed_of_read_so_far) {
  progress_bar bar;
  progress p;
  p.completed = 1234;
  p.read = 1300;
  p.rate = 617;
  EXPECT_EQ(bar.render(p), "1234/1300+ 617/s");
}

TEST(progress_bar, an_unknown_total_shortens_and_never_reads_less) {
  progress_bar bar{"in"};
  progress p;
  p.completed = 12000;
  p.rate = 3;
  EXPECT_EQ(bar.render(p), "in 12.0k/12.0k+ 3/s");
  p.read = 2000000;
  EXPECT_EQ(bar.render(p, 30), "in 12.0k/2.00M+ 3/s");
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

TEST(progress_bar, shortens_large_numbers) {
  EXPECT_EQ(progress_bar::short_number(0), "0");
  EXPECT_EQ(progress_bar::short_number(9999), "9999");
  EXPECT_EQ(progress_bar::short_number(10000), "10.0k");
  EXPECT_EQ(progress_bar::short_number(12345), "12.3k");
  EXPECT_EQ(progress_bar::short_number(999999), "1.00M");
  EXPECT_EQ(progress_bar::short_number(13.8e6), "13.8M");
  EXPECT_EQ(progress_bar::short_number(1.05e9), "1.05G");
  EXPECT_EQ(progress_bar::short_number(250e9), "250G");
}

TEST(progress_bar, large_figures_are_short) {
  progress_bar bar{"scan"};
  progress p;
  p.completed = 1'500'000;
  p.total = 50'000'000;
  p.rate = 13.8e6;
  p.eta = std::chrono::duration<double>{3.5};
  EXPECT_EQ(bar.render(p), "scan [#...................] 3% 1.50M/50.0M "
                           "13.8M/s ETA 3.5s");
}

TEST(progress_bar, the_line_fits_the_terminal) {
  progress_bar bar{"a long label for the work"};
  progress p;
  p.completed = 500;
  p.total = 1000;
  p.rate = 100;
  p.eta = std::chrono::duration<double>{5};
  for (size_t columns : {120u, 80u, 60u, 40u, 20u}) {
    auto line = bar.render(p, columns);
    EXPECT_LE(line.size(), columns - 1) << line;
    EXPECT_NE(line.find("ETA 5.0s"), std::string::npos) << line;
  }
  // A wide terminal gets a wider bar than the default; a narrow one none.
  auto wide = "[" + std::string(20, '#') + std::string(20, '.') + "]";
  EXPECT_NE(bar.render(p, 120).find(wide), std::string::npos);
  EXPECT_EQ(bar.render(p, 40).find('['), std::string::npos);
}
