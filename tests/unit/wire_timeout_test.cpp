// The one timeout encoding of service calls: nanoseconds, clamped.

#include "actorpool/detail/wire_timeout.hpp"

#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>

#include <gtest/gtest.h>

using namespace actorpool::detail;
using namespace std::chrono_literals;

namespace {

TEST(wire_timeout, durations_become_nanoseconds) {
  EXPECT_EQ(wire_timeout(1ns), 1);
  EXPECT_EQ(wire_timeout(7us), 7000);
  EXPECT_EQ(wire_timeout(15ms), 15000000);
  EXPECT_EQ(wire_timeout(2s), 2000000000);
  EXPECT_EQ(wire_timeout(std::chrono::duration<double>{0.25}), 250000000);
  EXPECT_EQ(wire_timeout(std::chrono::minutes{3}), 180000000000);
}

TEST(wire_timeout, zero_and_negative_mean_do_not_wait) {
  EXPECT_EQ(wire_timeout(0us), 0);
  EXPECT_EQ(wire_timeout(-1us), 0);
  EXPECT_EQ(wire_timeout(-5s), 0);
  EXPECT_EQ(wire_timeout(std::chrono::duration<double>{-0.5}), 0);
  EXPECT_EQ(wire_timeout(std::chrono::microseconds::min()), 0);
  auto nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(wire_timeout(std::chrono::duration<double>{nan}), 0);
}

TEST(wire_timeout, huge_durations_mean_forever) {
  EXPECT_EQ(wire_timeout(std::chrono::microseconds::max()), wait_forever);
  EXPECT_EQ(wire_timeout(std::chrono::hours::max()), wait_forever);
  EXPECT_EQ(wire_timeout(std::chrono::hours{24 * 365 * 40}), wait_forever);
  auto inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(wire_timeout(std::chrono::duration<double>{inf}), wait_forever);
  // Ten years still count.
  EXPECT_EQ(wire_timeout(std::chrono::hours{24 * 365 * 10}),
            int64_t{24 * 365 * 10} * 3600 * 1000000000);
}

TEST(wire_timeout, no_timeout_means_forever) {
  using opt_us = std::optional<std::chrono::microseconds>;
  EXPECT_EQ(wire_timeout(opt_us{}), wait_forever);
  EXPECT_EQ(wire_timeout(opt_us{0us}), 0);
  EXPECT_EQ(wire_timeout(opt_us{-3us}), 0);
  EXPECT_EQ(wire_timeout(opt_us{250us}), 250000);
  EXPECT_EQ(wire_timeout(opt_us{std::chrono::microseconds::max()}),
            wait_forever);
  using opt_s = std::optional<std::chrono::duration<double>>;
  EXPECT_EQ(wire_timeout(opt_s{}), wait_forever);
  EXPECT_EQ(wire_timeout(opt_s{1.5}), 1500000000);
}

} // namespace
