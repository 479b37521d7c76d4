#include "remote/tcp_address.hpp"

#include <gtest/gtest.h>

#include <string>

using actorpool::detail::is_loopback_address;
using actorpool::detail::parse_tcp_address;

TEST(tcp_address, parses_host_and_port) {
  auto a = parse_tcp_address("tcp://pool-host:7878");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->host, "pool-host");
  EXPECT_EQ(a->port, 7878);
  auto b = parse_tcp_address("tcp://[::1]:1");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->host, "::1");
  EXPECT_EQ(b->port, 1);
  auto c = parse_tcp_address("tcp://:65535");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->host, "");
  EXPECT_EQ(c->port, 65535);
}

TEST(tcp_address, malformed_addresses_are_errors) {
  for (auto bad : {"", "tcp://", "udp://1.2.3.4:5", "tcp://host", "tcp://host:",
                   "tcp://host:65536", "tcp://host:12a", "tcp://[::1:7",
                   "tcp://[::1]7", "tcp://::1:7", "127.0.0.1:7878"})
    EXPECT_FALSE(parse_tcp_address(bad)) << bad;
}

TEST(tcp_address, loopback_addresses_are_recognised) {
  for (auto yes :
       {"tcp://127.0.0.1:7878", "tcp://127.1.2.3:1", "tcp://localhost:7878",
        "tcp://LocalHost:7878", "tcp://[::1]:1", "tcp://[0:0:0:0:0:0:0:1]:1",
        "tcp://[::ffff:127.0.0.1]:1"})
    EXPECT_TRUE(is_loopback_address(yes)) << yes;
}

TEST(tcp_address, other_addresses_are_not_loopback) {
  for (auto no : {"tcp://0.0.0.0:7878", "tcp://[::]:7878", "tcp://:7878",
                  "tcp://10.0.0.1:7878", "tcp://128.0.0.1:1", "tcp://[::2]:1",
                  "tcp://[::ffff:10.0.0.1]:1", "tcp://pool-host:7878",
                  "tcp://localhost.example:1", "tcp://127.0.0.1.example:1",
                  "tcp://127.0.0.1", "127.0.0.1:7878"})
    EXPECT_FALSE(is_loopback_address(no)) << no;
}
