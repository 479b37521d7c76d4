#include "actorpool/detail/progress_reporter.hpp"

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "manual_executor.hpp"

using namespace actorpool;
using namespace actorpool::detail;
using namespace std::chrono_literals;

namespace {

using clock_type = progress_meter::clock_type;

/// Records every report it gets.
struct recorder {
  std::vector<progress> reports;

  progress_observer observer() {
    return [this](const progress& p) {
      reports.push_back(p);
    };
  }

  size_t finals() const {
    size_t n = 0;
    for (auto& p : reports)
      n += p.finished ? 1 : 0;
    return n;
  }
};

TEST(progress_meter, a_known_total_gives_a_rate_and_an_eta) {
  auto t0 = clock_type::now();
  progress_meter m{100, t0};
  m.add_read(100);
  m.add_completed(25);
  auto p = m.snapshot(t0 + 5s, false);
  EXPECT_EQ(p.completed, 25u);
  EXPECT_EQ(p.read, 100u);
  ASSERT_TRUE(p.total.has_value());
  EXPECT_EQ(*p.total, 100u);
  EXPECT_DOUBLE_EQ(p.elapsed.count(), 5.0);
  EXPECT_DOUBLE_EQ(p.rate, 5.0);
  ASSERT_TRUE(p.eta.has_value());
  EXPECT_DOUBLE_EQ(p.eta->count(), 15.0);
  EXPECT_FALSE(p.finished);
}

TEST(progress_meter, an_unknown_total_becomes_the_items_read_at_the_end) {
  auto t0 = clock_type::now();
  progress_meter m{std::nullopt, t0};
  m.add_read(30);
  m.add_completed(10);
  auto before = m.snapshot(t0 + 2s, false);
  EXPECT_FALSE(before.total.has_value());
  EXPECT_FALSE(before.eta.has_value());
  EXPECT_EQ(before.read, 30u);
  m.add_read(10);
  m.end_of_input();
  auto after = m.snapshot(t0 + 2s, false);
  ASSERT_TRUE(after.total.has_value());
  EXPECT_EQ(*after.total, 40u);
  ASSERT_TRUE(after.eta.has_value()); // 30 to go at 5/s
  EXPECT_DOUBLE_EQ(after.eta->count(), 6.0);
}

TEST(progress_meter, the_end_keeps_a_known_total) {
  auto t0 = clock_type::now();
  progress_meter m{50, t0};
  m.add_read(20);
  m.end_of_input();
  EXPECT_EQ(*m.snapshot(t0, false).total, 50u);
}

TEST(progress_meter, read_is_never_below_completed) {
  auto t0 = clock_type::now();
  progress_meter m{std::nullopt, t0};
  m.add_completed(3);
  EXPECT_EQ(m.snapshot(t0, false).read, 3u);
}

TEST(progress_meter, no_rate_and_no_eta_at_time_zero) {
  auto t0 = clock_type::now();
  progress_meter m{10, t0};
  m.add_completed(1);
  auto p = m.snapshot(t0, false);
  EXPECT_EQ(p.rate, 0.0);
  EXPECT_FALSE(p.eta.has_value());
}

TEST(progress_reporter, reports_on_the_executor_then_once_finished) {
  auto exec = test::make_exec();
  recorder rec;
  auto rep = progress_reporter::make(rec.observer(), 0ms, 3, exec);
  rep->add_read(3);
  rep->add_completed(1);
  rep->add_completed(1);
  EXPECT_TRUE(rec.reports.empty()); // nothing runs off the executor
  exec->drain();
  ASSERT_EQ(rec.reports.size(), 2u);
  EXPECT_LE(rec.reports[0].completed, rec.reports[1].completed);
  rep->add_completed(1);
  rep->finish();
  rep->finish();
  exec->drain();
  EXPECT_EQ(rec.finals(), 1u);
  EXPECT_TRUE(rec.reports.back().finished);
  EXPECT_EQ(rec.reports.back().completed, 3u);
  EXPECT_TRUE(rep->finished());
}

TEST(progress_reporter, nothing_comes_after_the_final_report) {
  auto exec = test::make_exec();
  recorder rec;
  auto rep = progress_reporter::make(rec.observer(), 0ms, std::nullopt, exec);
  rep->add_completed(1); // posts a report that runs after the final one
  rep->finish_here();
  rep->add_completed(1);
  rep->finish();
  exec->drain();
  ASSERT_EQ(rec.reports.size(), 1u);
  EXPECT_TRUE(rec.reports[0].finished);
}

TEST(progress_reporter, the_interval_holds_back_interim_reports) {
  auto exec = test::make_exec();
  recorder rec;
  auto rep = progress_reporter::make(rec.observer(), 1h, 5, exec);
  for (int i = 0; i < 5; ++i)
    rep->add_completed(1);
  EXPECT_EQ(exec->pending(), 0u);
  rep->finish();
  exec->drain();
  ASSERT_EQ(rec.reports.size(), 1u);
  EXPECT_TRUE(rec.reports[0].finished);
  EXPECT_EQ(rec.reports[0].completed, 5u);
}

TEST(progress_reporter, no_observer_no_reporter) {
  EXPECT_EQ(progress_reporter::make(nullptr, 0ms, 1, test::make_exec()),
            nullptr);
}

TEST(progress_reporter, finish_and_wait_waits_for_the_executor) {
  auto exec = test::make_exec();
  recorder rec;
  auto rep = progress_reporter::make(rec.observer(), 0ms, 1, exec);
  std::atomic<bool> returned{false};
  std::thread waiter{[&] {
    rep->finish_and_wait();
    returned = true;
  }};
  while (exec->pending() == 0) // the final report is posted
    std::this_thread::yield();
  EXPECT_FALSE(returned.load());
  exec->drain();
  waiter.join();
  EXPECT_TRUE(returned.load());
  EXPECT_EQ(rec.finals(), 1u);
}

TEST(progress_reporter, finish_and_wait_on_the_executor_reports_at_once) {
  auto exec = test::make_exec();
  recorder rec;
  auto rep = progress_reporter::make(rec.observer(), 0ms, 1, exec);
  size_t seen_inside = 0;
  exec->post([&] {
    rep->finish_and_wait();
    seen_inside = rec.reports.size();
  });
  exec->drain();
  EXPECT_EQ(seen_inside, 1u);
  EXPECT_EQ(rec.finals(), 1u);
}

TEST(progress_reporter, an_observer_that_throws_is_not_called_again) {
  auto exec = test::make_exec();
  int calls = 0;
  auto rep = progress_reporter::make(
    [&](const progress&) {
      ++calls;
      throw std::runtime_error("observer");
    },
    0ms, 2, exec);
  rep->add_completed(1);
  rep->add_completed(1);
  rep->finish();
  exec->drain();
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(rep->finished());
}

TEST(progress_reporter, without_an_executor_it_reports_inline) {
  recorder rec;
  auto rep = progress_reporter::make(rec.observer(), 0ms, std::nullopt,
                                     nullptr);
  rep->add_read(2);
  rep->add_completed(2);
  rep->end_of_input();
  rep->finish_and_wait();
  ASSERT_EQ(rec.reports.size(), 2u);
  EXPECT_EQ(*rec.reports.back().total, 2u);
  EXPECT_TRUE(rec.reports.back().finished);
}

} // namespace
