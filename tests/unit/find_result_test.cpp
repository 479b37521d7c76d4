// The decisions of a find_first, without processes: results, errors and
// the settlement are fed to a find_state as the coordinator would, with an
// executor that runs callbacks at once.

#include "actorpool/find_result.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "actorpool/detail/codec.hpp"
#include "actorpool/detail/find_state.hpp"
#include "actorpool/errc.hpp"

using namespace actorpool;
using namespace actorpool::detail;

namespace {

class inline_executor : public callback_executor {
public:
  void post(std::function<void()> fn) override {
    fn();
  }
};

struct recorder {
  std::vector<std::optional<size_t>> stops;
  std::vector<size_t> credit;
};

/// A search for results equal to 1 over `int` results.
struct search {
  recorder rec;
  std::shared_ptr<find_state<int, bool (*)(const int&)>> st;

  explicit search(find_options opts = {}, std::optional<uint64_t> total = {}) {
    st = std::make_shared<find_state<
      int, bool (*)(const int&)>>(std::make_shared<inline_executor>(), opts,
                                  total, [](const int& x) { return x == 1; });
    st->set_stopper(
      [this](std::optional<size_t> k) { rec.stops.push_back(k); });
    st->set_credit_sink([this](size_t n) { rec.credit.push_back(n); });
  }

  void values(size_t chunk, std::vector<int> xs) {
    std::string payload;
    for (auto x : xs)
      encode_into(payload, x);
    st->deliver(chunk, static_cast<uint32_t>(xs.size()), std::move(payload));
  }

  void settle(uint64_t completed, uint64_t cancelled, uint64_t never) {
    st->settled(stream_counts{completed, cancelled, never});
  }

  const find_result<int>& result() {
    return st->out()->value();
  }
};

} // namespace

TEST(find_state, the_first_match_to_arrive_wins_and_stops_everything) {
  search s;
  s.values(3, {0});
  s.values(5, {1});
  s.values(2, {1}); // arrives later: not the winner
  ASSERT_EQ(s.rec.stops.size(), 1u);
  EXPECT_FALSE(s.rec.stops[0].has_value());
  EXPECT_FALSE(s.st->out()->ready());
  s.settle(3, 1, 4);
  auto& r = s.result();
  ASSERT_TRUE(r.found());
  EXPECT_EQ(r.index(), 5u);
  EXPECT_EQ(r.value(), 1);
  EXPECT_EQ(r.completed(), 3u);
  EXPECT_EQ(r.cancelled(), 1u);
  EXPECT_EQ(r.never_started(), 4u);
  EXPECT_EQ(r.started(), 4u);
}

TEST(find_state, lowest_index_keeps_earlier_chunks_and_takes_the_lowest) {
  search s{find_options{}.policy(find_policy::lowest_index)};
  s.values(5, {1});
  s.values(7, {1});
  s.values(2, {1});
  s.values(1, {0});
  EXPECT_EQ(s.rec.stops,
            (std::vector<std::optional<size_t>>{size_t{5}, size_t{2}}));
  s.settle(4, 0, 0);
  EXPECT_EQ(s.result().index(), 2u);
}

TEST(find_state, indexes_count_items_across_chunks) {
  search s{find_options{}.chunksize(4)};
  s.values(0, {0, 0, 0, 0});
  s.values(1, {0, 0, 1, 1});
  s.settle(8, 0, 0);
  EXPECT_EQ(s.result().index(), 6u);
}

TEST(find_state, no_match_is_not_found) {
  search s{find_options{}, uint64_t{2}};
  s.values(0, {0});
  s.values(1, {0});
  EXPECT_TRUE(s.rec.stops.empty());
  EXPECT_EQ(s.rec.credit, (std::vector<size_t>{1, 1}));
  s.settle(2, 0, 0);
  EXPECT_FALSE(s.result().found());
  EXPECT_THROW(s.result().value(), state_error);
}

TEST(find_state, a_task_error_ends_the_search_with_that_error) {
  search s;
  s.st->fail(0, make_error(errc::task_failed, std::string{"std::out_of_range"},
                           std::string{"boom"}, int32_t{42}));
  EXPECT_EQ(s.rec.stops.size(), 1u);
  s.settle(1, 0, 0);
  EXPECT_THROW(s.st->out()->value(), std::out_of_range);
}

TEST(find_state, with_lowest_index_an_earlier_match_beats_a_later_error) {
  search s{find_options{}.policy(find_policy::lowest_index)};
  s.st->fail(4, make_error(errc::task_failed, std::string{"std::logic_error"},
                           std::string{"late"}, int32_t{1}));
  s.values(2, {1});
  s.settle(2, 0, 0);
  EXPECT_EQ(s.result().index(), 2u);
}

TEST(find_state, an_abort_without_a_match_fails_the_search) {
  search s;
  s.st->abort(make_error(errc::terminated, std::string{"pool terminated"}));
  s.settle(0, 0, 3);
  EXPECT_THROW(s.st->out()->value(), cancelled_error);
}

TEST(find_state, an_abort_after_the_match_keeps_the_match) {
  search s;
  s.values(0, {1});
  s.st->abort(make_error(errc::terminated, std::string{"pool terminated"}));
  s.settle(1, 0, 0);
  EXPECT_TRUE(s.result().found());
}

TEST(find_state, an_undecodable_result_is_an_encoding_error) {
  search s;
  s.st->deliver(0, 1, std::string{"\x01", 1});
  s.settle(1, 0, 0);
  EXPECT_THROW(s.st->out()->value(), encoding_error);
}

TEST(find_state, events_after_the_settlement_are_ignored) {
  search s;
  s.settle(0, 0, 0);
  s.values(0, {1});
  EXPECT_FALSE(s.result().found());
}

TEST(find_state, cancelling_the_result_stops_the_stream) {
  search s;
  EXPECT_TRUE(s.st->out()->cancel());
  ASSERT_EQ(s.rec.stops.size(), 1u);
  EXPECT_FALSE(s.rec.stops[0].has_value());
}

TEST(find_state, progress_reports_end_with_a_final_one) {
  std::vector<progress> reports;
  auto opts = find_options{}
                .on_progress([&](const progress& p) { reports.push_back(p); },
                             std::chrono::milliseconds{0});
  search s{opts, uint64_t{4}};
  s.values(0, {0});
  s.values(1, {0});
  s.settle(2, 0, 0);
  ASSERT_GE(reports.size(), 2u);
  EXPECT_EQ(reports[0].completed, 1u);
  EXPECT_EQ(*reports[0].total, 4u);
  EXPECT_TRUE(reports.back().finished);
  EXPECT_EQ(reports.back().completed, 2u);
}
