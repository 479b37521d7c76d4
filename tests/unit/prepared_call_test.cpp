#include "actorpool/detail/prepared_call.hpp"

#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include "recording_channel.hpp"
#include "support/test_tasks.hpp"

using actorpool::call_options;
using actorpool::detail::prepare_map;
using actorpool::detail::submit_apply;
using actorpool::detail::submit_map;
using actorpool::test::recording_channel;

namespace {

std::vector<uint32_t>
counts_of(const std::vector<actorpool::detail::encoded_chunk>& xs) {
  std::vector<uint32_t> result;
  for (auto& c : xs)
    result.push_back(c.count);
  return result;
}

TEST(prepared_call, map_chunks_hold_chunksize_items_and_the_rest) {
  std::vector<int> xs(10, 1);
  auto call = prepare_map<
    std::vector<int>, std::tuple<int>,
    false>(xs, 3, 2, std::make_shared<actorpool::test::manual_executor>());
  EXPECT_EQ(counts_of(call.chunks), (std::vector<uint32_t>{3, 3, 3, 1}));
  ASSERT_NE(call.state, nullptr);
  EXPECT_FALSE(call.state->ready());
}

TEST(prepared_call, map_without_chunksize_makes_four_chunks_per_worker) {
  std::vector<int> xs(16, 1);
  recording_channel ch;
  ch.workers = 2;
  submit_map<std::vector<int>, decltype(actorpool::test::sqr),
             false>(ch, actorpool::test::sqr, xs, 0, call_options{});
  EXPECT_EQ(ch.name, "actorpool::test::sqr");
  EXPECT_EQ(counts_of(ch.chunks), std::vector<uint32_t>(8, 2));
}

TEST(prepared_call, apply_submits_one_chunk_and_returns_its_state) {
  recording_channel ch;
  auto res = submit_apply<int,
                          decltype(actorpool::test::mul)>(ch,
                                                          actorpool::test::mul,
                                                          call_options{}, 6, 7);
  EXPECT_EQ(ch.name, "actorpool::test::mul");
  EXPECT_EQ(counts_of(ch.chunks), std::vector<uint32_t>{1});
  ASSERT_NE(ch.call, nullptr);
  EXPECT_FALSE(res.ready());
  EXPECT_TRUE(ch.call->cancel());
  EXPECT_TRUE(res.ready());
}

TEST(prepared_call, void_map_has_an_untyped_state) {
  std::vector<double> xs{0.0, 0.0, 0.0};
  recording_channel ch;
  auto res = submit_map<void, decltype(actorpool::test::sleep_seconds),
                        false>(ch, actorpool::test::sleep_seconds, xs, 2,
                               call_options{});
  static_assert(std::is_same_v<decltype(res), actorpool::async_result<void>>);
  EXPECT_EQ(counts_of(ch.chunks), (std::vector<uint32_t>{2, 1}));
}

} // namespace
