#include "actorpool/detail/stream_openers.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <vector>

#include "actorpool/ranges.hpp"
#include "recording_channel.hpp"
#include "support/test_tasks.hpp"

using actorpool::call_options;
using actorpool::find_options;
using actorpool::generate;
using actorpool::progress;
using actorpool::stream_options;
using actorpool::test::recording_channel;
namespace detail = actorpool::detail;

namespace {

using sqr_t = decltype(actorpool::test::sqr);

TEST(stream_openers, imap_pulls_its_input_lazily_in_chunks) {
  recording_channel ch;
  std::vector<int> xs(5, 1);
  auto res = detail::open_imap<int, sqr_t>(ch, actorpool::test::sqr, xs, 2,
                                           true, call_options{});
  EXPECT_EQ(ch.name, "actorpool::test::sqr");
  EXPECT_EQ(ch.input.gate, nullptr);
  ASSERT_NE(ch.stream, nullptr);
  EXPECT_EQ(ch.drain_input(), (std::vector<uint32_t>{2, 2, 1}));
}

TEST(stream_openers, find_first_pulls_chunks_of_the_options_chunksize) {
  recording_channel ch;
  std::vector<int> xs(7, 1);
  auto res = detail::open_find_first<int, sqr_t>(
    ch, actorpool::test::sqr, xs, [](int) { return false; },
    find_options{}.chunksize(3));
  EXPECT_EQ(ch.input.gate, nullptr);
  ASSERT_NE(ch.search, nullptr);
  EXPECT_EQ(ch.drain_input(), (std::vector<uint32_t>{3, 3, 1}));
  EXPECT_FALSE(res.ready());
}

TEST(stream_openers, task_stream_is_fed_through_a_gate_of_the_pool_window) {
  recording_channel ch;
  auto s = detail::open_task_stream<int, sqr_t>(ch, actorpool::test::sqr,
                                                stream_options{});
  ASSERT_NE(ch.input.gate, nullptr);
  EXPECT_FALSE(ch.input.source);
  EXPECT_EQ(ch.input.gate->window(), 7u);
  s.stop();
  EXPECT_EQ(ch.stops, 1);
}

TEST(stream_openers, task_search_is_fed_through_a_gate_of_its_window) {
  recording_channel ch;
  auto s = detail::open_task_search<int, sqr_t>(
    ch, actorpool::test::sqr, [](int) { return true; },
    find_options{}.window(3));
  ASSERT_NE(ch.input.gate, nullptr);
  ASSERT_NE(ch.search, nullptr);
  EXPECT_EQ(ch.input.gate->window(), 3u);
}

TEST(stream_openers, imap_counts_what_it_reads_for_progress) {
  recording_channel ch;
  std::vector<progress> reports;
  auto opts = call_options{}
                .on_progress([&](const progress& p) { reports.push_back(p); },
                             std::chrono::hours{1});
  auto xs = generate([i = 0]() mutable -> std::optional<int> {
    return i < 5 ? std::optional<int>{i++} : std::nullopt;
  });
  auto res = detail::open_imap<int, sqr_t>(ch, actorpool::test::sqr,
                                           std::move(xs), 2, true, opts);
  EXPECT_EQ(ch.drain_input(), (std::vector<uint32_t>{2, 2, 1}));
  ch.stream->settled({});
  ch.exec->drain();
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_TRUE(reports[0].finished);
  EXPECT_EQ(reports[0].read, 5u);
  ASSERT_TRUE(reports[0].total.has_value());
  EXPECT_EQ(*reports[0].total, 5u);
}

} // namespace
