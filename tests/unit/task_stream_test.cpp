// The options of task_stream (the producer gate behind it has its own
// tests, in push_gate_test.cpp).

#include "actorpool/task_stream.hpp"

#include <gtest/gtest.h>

using namespace actorpool;
using namespace std::chrono_literals;

TEST(stream_options, defaults_and_setters) {
  stream_options o;
  EXPECT_EQ(o.window(), 0u);
  EXPECT_FALSE(o.ordered());
  o.window(8).ordered(true).task_timeout(5ms);
  EXPECT_EQ(o.window(), 8u);
  EXPECT_TRUE(o.ordered());
  EXPECT_EQ(o.task_timeout(), 5ms);
}
