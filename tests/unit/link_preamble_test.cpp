#include "remote/link_preamble.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

using actorpool::detail::link_mode;
using actorpool::detail::link_version;
using actorpool::detail::make_preamble;
using actorpool::detail::preamble_parser;
using actorpool::detail::preamble_size;
using status = preamble_parser::status;

namespace {

std::vector<uint8_t> bytes(std::initializer_list<int> xs) {
  std::vector<uint8_t> out;
  for (auto x : xs)
    out.push_back(static_cast<uint8_t>(x));
  return out;
}

preamble_parser::result feed_all(preamble_parser& p,
                                 const std::vector<uint8_t>& in) {
  return p.feed(in.data(), in.size());
}

} // namespace

TEST(link_preamble, layout_is_magic_version_mode) {
  auto p = make_preamble(link_mode::tls);
  EXPECT_EQ(std::string(p.begin(), p.begin() + 6), std::string("APOOL\0", 6));
  EXPECT_EQ(p[6], link_version);
  EXPECT_EQ(p[7], 1);
  EXPECT_EQ(make_preamble(link_mode::plain)[7], 0);
}

TEST(link_preamble, byte_by_byte_needs_more_then_ok) {
  for (auto mode : {link_mode::plain, link_mode::tls}) {
    preamble_parser parser{mode};
    auto p = make_preamble(mode);
    for (size_t i = 0; i + 1 < preamble_size; ++i) {
      auto r = parser.feed(&p[i], 1);
      EXPECT_EQ(r.verdict, status::need_more);
      EXPECT_EQ(r.consumed, 1u);
    }
    auto r = parser.feed(&p[preamble_size - 1], 1);
    EXPECT_EQ(r.verdict, status::ok);
    EXPECT_EQ(r.version, link_version);
    EXPECT_EQ(r.mode, mode);
  }
}

TEST(link_preamble, bytes_after_the_preamble_are_left_to_the_next_layer) {
  preamble_parser parser{link_mode::plain};
  auto p = make_preamble(link_mode::plain);
  std::vector<uint8_t> in(p.begin(), p.end());
  in.insert(in.end(), {1, 2, 3});
  auto r = feed_all(parser, in);
  EXPECT_EQ(r.verdict, status::ok);
  EXPECT_EQ(r.consumed, preamble_size);
  auto again = feed_all(parser, in);
  EXPECT_EQ(again.verdict, status::ok);
  EXPECT_EQ(again.consumed, 0u);
}

TEST(link_preamble, tls_client_hello_at_a_plain_listener_is_named) {
  preamble_parser parser{link_mode::plain};
  auto r = feed_all(parser, bytes({0x16, 0x03, 0x01, 0x02, 0x00}));
  EXPECT_EQ(r.verdict, status::rejected);
  EXPECT_EQ(r.consumed, 1u); // rejected at the first byte
  EXPECT_EQ(r.reason, "the peer speaks TLS, this listener is plain");
}

TEST(link_preamble, tls_preamble_at_a_plain_listener_is_named) {
  preamble_parser parser{link_mode::plain};
  auto p = make_preamble(link_mode::tls);
  auto r = parser.feed(p.data(), p.size());
  EXPECT_EQ(r.verdict, status::rejected);
  EXPECT_EQ(r.reason, "the peer speaks TLS, this listener is plain");
}

TEST(link_preamble, plain_preamble_at_a_tls_listener_is_named) {
  preamble_parser parser{link_mode::tls};
  auto p = make_preamble(link_mode::plain);
  auto r = parser.feed(p.data(), p.size());
  EXPECT_EQ(r.verdict, status::rejected);
  EXPECT_EQ(r.reason, "the peer speaks plain, this listener requires TLS");
}

TEST(link_preamble, bare_tls_at_a_tls_listener_is_rejected) {
  preamble_parser parser{link_mode::tls};
  auto r = feed_all(parser, bytes({0x16, 0x03, 0x01}));
  EXPECT_EQ(r.verdict, status::rejected);
  EXPECT_NE(r.reason.find("without the actorpool preamble"), std::string::npos);
}

TEST(link_preamble, garbage_is_rejected_at_its_first_wrong_byte) {
  preamble_parser parser{link_mode::plain};
  std::string http = "GET / HTTP/1.1\r\n";
  auto r = parser.feed(reinterpret_cast<const uint8_t*>(http.data()),
                       http.size());
  EXPECT_EQ(r.verdict, status::rejected);
  EXPECT_EQ(r.consumed, 1u);
  preamble_parser late{link_mode::plain};
  auto r2 = feed_all(late, bytes({'A', 'P', 'O', 'O', 'L', 'X'}));
  EXPECT_EQ(r2.verdict, status::rejected);
  EXPECT_EQ(r2.consumed, 6u);
}

TEST(link_preamble, unknown_version_and_mode_are_rejected) {
  preamble_parser v0{link_mode::plain};
  auto r = feed_all(v0, bytes({'A', 'P', 'O', 'O', 'L', 0, 0, 0}));
  EXPECT_EQ(r.verdict, status::rejected);
  EXPECT_NE(r.reason.find("link version 0"), std::string::npos) << r.reason;
  preamble_parser v9{link_mode::plain};
  EXPECT_EQ(feed_all(v9, bytes({'A', 'P', 'O', 'O', 'L', 0, 9, 0})).verdict,
            status::rejected);
  preamble_parser m2{link_mode::plain};
  auto r3 = feed_all(m2, bytes({'A', 'P', 'O', 'O', 'L', 0, link_version, 2}));
  EXPECT_EQ(r3.verdict, status::rejected);
  EXPECT_NE(r3.reason.find("unknown link mode 2"), std::string::npos);
}

TEST(link_preamble, nothing_is_accepted_after_a_rejection) {
  preamble_parser parser{link_mode::plain};
  auto first = feed_all(parser, bytes({'X'}));
  ASSERT_EQ(first.verdict, status::rejected);
  auto p = make_preamble(link_mode::plain);
  auto r = parser.feed(p.data(), p.size());
  EXPECT_EQ(r.verdict, status::rejected);
  EXPECT_EQ(r.consumed, 0u);
  EXPECT_EQ(r.reason, first.reason);
}

TEST(link_preamble, empty_feed_needs_more) {
  preamble_parser parser{link_mode::plain};
  auto r = parser.feed(nullptr, 0);
  EXPECT_EQ(r.verdict, status::need_more);
  EXPECT_EQ(r.consumed, 0u);
}
