// The producer gate of task_stream and task_search: the window, timed
// puts, close and stop, without processes (no thread ever waits here: a
// full window is shown with timed puts that time out).

#include "actorpool/task_stream.hpp"

#include <gtest/gtest.h>

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

TEST(stream_options, defaults_and_setters) {
  stream_options o;
  EXPECT_EQ(o.window(), 0u);
  EXPECT_FALSE(o.ordered());
  o.window(8).ordered(true).task_timeout(5ms);
  EXPECT_EQ(o.window(), 8u);
  EXPECT_TRUE(o.ordered());
  EXPECT_EQ(o.task_timeout(), 5ms);
}
