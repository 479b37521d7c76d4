// The producer gate of push streams: the window, timed puts, close and stop,
// and producers waiting for room, released by a stop or a close. Without
// processes; a producer thread is seen waiting through `waiting()`.

#include "actorpool/detail/push_gate.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "actorpool/exceptions.hpp"

using namespace actorpool;
using namespace actorpool::detail;
using namespace std::chrono_literals;

namespace {

struct sent {
  std::vector<encoded_chunk> inputs;
  int ends = 0;
};

std::shared_ptr<push_gate> make_gate(size_t window, sent& out) {
  auto g = std::make_shared<push_gate>(window);
  g->set_sender([&out](encoded_chunk&& c, bool end) {
    if (end)
      ++out.ends;
    else
      out.inputs.push_back(std::move(c));
  });
  return g;
}

std::chrono::steady_clock::time_point soon() {
  return std::chrono::steady_clock::now() + 5ms;
}

/// Waits until a producer waits in `g.put` (at most 10 s).
bool producer_waits(const push_gate& g) {
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (g.waiting() == 0) {
    if (std::chrono::steady_clock::now() > deadline)
      return false;
    std::this_thread::yield();
  }
  return true;
}

/// Puts one input from another thread, with `deadline` (none: no limit).
std::future<bool>
put_async(push_gate& g,
          std::optional<std::chrono::steady_clock::time_point> deadline) {
  return std::async(std::launch::async, [&g, deadline] {
    return g.put(encoded_chunk{"late", 1}, deadline);
  });
}

} // namespace

TEST(push_gate, admits_up_to_the_window) {
  sent out;
  auto g = make_gate(2, out);
  EXPECT_TRUE(g->put(encoded_chunk{"a", 1}, soon()));
  EXPECT_TRUE(g->put(encoded_chunk{"b", 1}, soon()));
  EXPECT_THROW(g->put(encoded_chunk{"c", 1}, soon()), timeout_error);
  EXPECT_EQ(out.inputs.size(), 2u);
  EXPECT_EQ(g->in_flight(), 2u);
  g->release(1);
  EXPECT_TRUE(g->put(encoded_chunk{"c", 1}, soon()));
  EXPECT_EQ(out.inputs.back().payload, "c");
  EXPECT_EQ(g->peak_in_flight(), 2u);
}

TEST(push_gate, close_sends_the_end_once_and_refuses_more) {
  sent out;
  auto g = make_gate(4, out);
  g->close();
  g->close();
  EXPECT_EQ(out.ends, 1);
  EXPECT_FALSE(g->put(encoded_chunk{"a", 1}, soon()));
  EXPECT_TRUE(out.inputs.empty());
}

TEST(push_gate, stop_refuses_puts_even_with_a_full_window) {
  sent out;
  auto g = make_gate(1, out);
  EXPECT_TRUE(g->put(encoded_chunk{"a", 1}, soon()));
  g->stop();
  EXPECT_FALSE(g->put(encoded_chunk{"b", 1}, soon())); // no timeout: refused
  g->close();
  EXPECT_EQ(out.ends, 0); // a stopped stream needs no end
}

TEST(push_gate, a_window_of_zero_means_one) {
  sent out;
  auto g = make_gate(0, out);
  EXPECT_EQ(g->window(), 1u);
}

TEST(push_gate, waiting_counts_producers_held_by_a_full_window) {
  sent out;
  auto g = make_gate(1, out);
  EXPECT_TRUE(g->put(encoded_chunk{"a", 1}, soon()));
  EXPECT_EQ(g->waiting(), 0u);
  auto late = put_async(*g, std::nullopt);
  ASSERT_TRUE(producer_waits(*g));
  EXPECT_EQ(g->waiting(), 1u);
  g->release(1);
  ASSERT_EQ(late.wait_for(10s), std::future_status::ready);
  EXPECT_TRUE(late.get());
  EXPECT_EQ(g->waiting(), 0u);
  EXPECT_EQ(out.inputs.size(), 2u);
}

TEST(push_gate, stop_releases_a_waiting_producer_with_false) {
  sent out;
  auto g = make_gate(1, out);
  EXPECT_TRUE(g->put(encoded_chunk{"a", 1}, soon()));
  auto late = put_async(*g, std::nullopt);
  auto timed = put_async(*g, std::chrono::steady_clock::now() + 60s);
  ASSERT_TRUE(producer_waits(*g));
  g->stop();
  ASSERT_EQ(late.wait_for(10s), std::future_status::ready);
  ASSERT_EQ(timed.wait_for(10s), std::future_status::ready);
  EXPECT_FALSE(late.get());
  EXPECT_FALSE(timed.get()); // refused, not timed out
  EXPECT_EQ(out.inputs.size(), 1u);
}

TEST(push_gate, close_releases_a_waiting_producer_with_false) {
  sent out;
  auto g = make_gate(1, out);
  EXPECT_TRUE(g->put(encoded_chunk{"a", 1}, soon()));
  auto late = put_async(*g, std::nullopt);
  ASSERT_TRUE(producer_waits(*g));
  g->close();
  ASSERT_EQ(late.wait_for(10s), std::future_status::ready);
  EXPECT_FALSE(late.get());
  EXPECT_EQ(out.inputs.size(), 1u);
  EXPECT_EQ(out.ends, 1);
}

TEST(push_gate, counts_what_is_put_and_the_close_for_progress) {
  sent out;
  auto g = make_gate(8, out);
  std::vector<progress> reports;
  auto rep = progress_reporter::make([&](const progress&
                                           p) { reports.push_back(p); },
                                     1h, std::nullopt, nullptr);
  g->set_progress(rep);
  EXPECT_TRUE(g->put(encoded_chunk{"a", 1}, soon()));
  EXPECT_TRUE(g->put(encoded_chunk{"b", 1}, soon()));
  g->close();
  EXPECT_FALSE(g->put(encoded_chunk{"c", 1}, soon()));
  rep->finish();
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].read, 2u);
  ASSERT_TRUE(reports[0].total.has_value());
  EXPECT_EQ(*reports[0].total, 2u);
}
