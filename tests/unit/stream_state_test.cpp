#include "actorpool/detail/stream_state.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "actorpool/errc.hpp"

using namespace std::chrono_literals;

using actorpool::errc;
using actorpool::detail::stream_chunk;
using actorpool::detail::stream_state;
using kind = stream_chunk::kind;

namespace {

std::shared_ptr<stream_state> make_stream(bool ordered) {
  return std::make_shared<stream_state>(ordered);
}

/// Takes the next chunk, which must already be there.
stream_chunk take(stream_state& st) {
  stream_chunk c;
  EXPECT_TRUE(st.next(c, 0ns)) << "no chunk available";
  return c;
}

/// Takes chunks until the end; returns payloads, "error" for task errors and
/// "input error" / "end" / "end: <error>" for the terminal chunk.
std::vector<std::string> drain(stream_state& st) {
  std::vector<std::string> result;
  for (;;) {
    auto c = take(st);
    switch (c.what) {
      case kind::values:
        result.push_back(c.payload);
        break;
      case kind::task_error:
        result.push_back("error");
        break;
      case kind::input_error:
        result.push_back("input error");
        return result;
      case kind::end:
        result.push_back(c.err ? "end: " + actorpool::render(c.err) : "end");
        return result;
    }
  }
}

caf::error task_failure() {
  return actorpool::make_error(errc::task_failed, std::string{"T"},
                               std::string{"m"}, int32_t{1});
}

/// Records the credit a stream sends.
struct credit_log {
  std::vector<size_t> sent;

  std::function<void(size_t)> sink() {
    return [this](size_t n) {
      sent.push_back(n);
    };
  }
};

} // namespace

TEST(stream_state, ordered_delivery_follows_indexes) {
  auto st = make_stream(true);
  st->deliver(2, 1, "c");
  st->deliver(0, 1, "a");
  st->deliver(1, 1, "b");
  st->end(3);
  EXPECT_EQ(drain(*st), (std::vector<std::string>{"a", "b", "c", "end"}));
}

TEST(stream_state, ordered_waits_for_missing_index) {
  auto st = make_stream(true);
  st->deliver(1, 1, "b");
  stream_chunk c;
  EXPECT_FALSE(st->next(c, 1ms));
  st->deliver(0, 1, "a");
  EXPECT_EQ(take(*st).payload, "a");
  EXPECT_EQ(take(*st).payload, "b");
}

TEST(stream_state, unordered_delivery_follows_arrival) {
  auto st = make_stream(false);
  st->deliver(2, 1, "c");
  st->deliver(0, 1, "a");
  st->end(3);
  st->deliver(1, 1, "b");
  EXPECT_EQ(drain(*st), (std::vector<std::string>{"c", "a", "b", "end"}));
}

TEST(stream_state, chunk_carries_count_and_payload) {
  auto st = make_stream(true);
  st->deliver(0, 3, "xyz");
  auto c = take(*st);
  EXPECT_EQ(c.what, kind::values);
  EXPECT_EQ(c.count, 3u);
  EXPECT_EQ(c.payload, "xyz");
}

TEST(stream_state, task_error_at_its_position_then_continues) {
  auto st = make_stream(true);
  auto err = task_failure();
  st->deliver(2, 1, "c");
  st->fail(1, err);
  st->deliver(0, 1, "a");
  st->end(3);
  EXPECT_EQ(take(*st).payload, "a");
  auto c = take(*st);
  EXPECT_EQ(c.what, kind::task_error);
  EXPECT_EQ(c.err, err);
  EXPECT_EQ(drain(*st), (std::vector<std::string>{"c", "end"}));
}

TEST(stream_state, unordered_task_error_in_arrival_order) {
  auto st = make_stream(false);
  st->fail(1, task_failure());
  st->deliver(0, 1, "a");
  st->end(2);
  EXPECT_EQ(drain(*st), (std::vector<std::string>{"error", "a", "end"}));
}

TEST(stream_state, end_waits_for_all_chunks) {
  auto st = make_stream(true);
  st->end(2);
  st->deliver(0, 1, "a");
  EXPECT_EQ(take(*st).payload, "a");
  stream_chunk c;
  EXPECT_FALSE(st->next(c, 1ms));
  st->deliver(1, 1, "b");
  EXPECT_EQ(drain(*st), (std::vector<std::string>{"b", "end"}));
}

TEST(stream_state, empty_stream_ends_at_once) {
  auto st = make_stream(true);
  st->end(0);
  EXPECT_EQ(drain(*st), (std::vector<std::string>{"end"}));
}

TEST(stream_state, end_is_repeated) {
  auto st = make_stream(false);
  st->end(0);
  EXPECT_EQ(take(*st).what, kind::end);
  EXPECT_EQ(take(*st).what, kind::end);
}

TEST(stream_state, input_failed_ends_after_chunks_before_it) {
  auto st = make_stream(true);
  auto ep = std::make_exception_ptr(std::runtime_error("input broke"));
  st->deliver(1, 1, "b");
  st->input_failed(2, ep);
  stream_chunk c;
  EXPECT_FALSE(st->next(c, 1ms)); // chunk 0 is still missing
  st->deliver(0, 1, "a");
  EXPECT_EQ(take(*st).payload, "a");
  EXPECT_EQ(take(*st).payload, "b");
  c = take(*st);
  EXPECT_EQ(c.what, kind::input_error);
  EXPECT_THROW(std::rethrow_exception(c.input_error), std::runtime_error);
}

TEST(stream_state, unordered_input_failed_after_chunks_before_it) {
  auto st = make_stream(false);
  st->input_failed(1, std::make_exception_ptr(1));
  stream_chunk c;
  EXPECT_FALSE(st->next(c, 1ms));
  st->deliver(0, 1, "a");
  EXPECT_EQ(drain(*st), (std::vector<std::string>{"a", "input error"}));
}

TEST(stream_state, input_failed_at_start) {
  auto st = make_stream(true);
  st->input_failed(0, std::make_exception_ptr(1));
  EXPECT_EQ(drain(*st), (std::vector<std::string>{"input error"}));
}

TEST(stream_state, abort_ends_with_the_error) {
  auto st = make_stream(true);
  st->deliver(0, 1, "a");
  st->abort(actorpool::make_error(errc::terminated));
  EXPECT_EQ(drain(*st),
            (std::vector<std::string>{"a", "end: actorpool::terminated"}));
}

TEST(stream_state, abort_does_not_wait_for_missing_chunks) {
  auto st = make_stream(true);
  st->deliver(1, 1, "b");
  st->abort(actorpool::make_error(errc::terminated));
  auto c = take(*st);
  EXPECT_EQ(c.what, kind::end);
  EXPECT_EQ(c.err, actorpool::make_error(errc::terminated));
}

TEST(stream_state, unordered_abort) {
  auto st = make_stream(false);
  st->deliver(3, 1, "d");
  st->abort(actorpool::make_error(errc::worker_start_failed));
  EXPECT_EQ(drain(*st),
            (std::vector<std::string>{"d",
                                      "end: actorpool::worker_start_failed"}));
}

TEST(stream_state, input_error_stays_the_reason_after_abort) {
  auto st = make_stream(true);
  st->input_failed(0, std::make_exception_ptr(1));
  st->abort(actorpool::make_error(errc::terminated));
  EXPECT_EQ(drain(*st), (std::vector<std::string>{"input error"}));
}

TEST(stream_state, next_with_timeout_on_empty_stream) {
  auto st = make_stream(true);
  stream_chunk c;
  EXPECT_FALSE(st->next(c, 0ns));
  EXPECT_FALSE(st->next(c, 1ms));
}

TEST(stream_state, credit_is_sent_in_batches) {
  auto st = make_stream(true);
  credit_log log;
  st->set_credit_sink(log.sink(), 3);
  for (size_t i = 0; i < 7; ++i)
    st->deliver(i, 1, "x");
  take(*st);
  take(*st);
  EXPECT_TRUE(log.sent.empty());
  take(*st);
  EXPECT_EQ(log.sent, (std::vector<size_t>{3}));
  for (int i = 0; i < 4; ++i)
    take(*st);
  EXPECT_EQ(log.sent, (std::vector<size_t>{3, 3}));
}

TEST(stream_state, credit_is_flushed_before_blocking) {
  auto st = make_stream(true);
  credit_log log;
  st->set_credit_sink(log.sink(), 10);
  st->deliver(0, 1, "a");
  st->deliver(1, 1, "b");
  take(*st);
  take(*st);
  EXPECT_TRUE(log.sent.empty());
  stream_chunk c;
  EXPECT_FALSE(st->next(c, 1ms));
  EXPECT_EQ(log.sent, (std::vector<size_t>{2}));
  EXPECT_FALSE(st->next(c, 1ms));
  EXPECT_EQ(log.sent, (std::vector<size_t>{2})); // nothing new to send
}

TEST(stream_state, credit_counts_task_errors_but_not_the_end) {
  auto st = make_stream(true);
  credit_log log;
  st->set_credit_sink(log.sink(), 1);
  st->fail(0, task_failure());
  st->end(1);
  EXPECT_EQ(take(*st).what, kind::task_error);
  EXPECT_EQ(take(*st).what, kind::end);
  EXPECT_EQ(log.sent, (std::vector<size_t>{1}));
}

TEST(stream_state, credit_batch_zero_means_one) {
  auto st = make_stream(false);
  credit_log log;
  st->set_credit_sink(log.sink(), 0);
  st->deliver(0, 1, "a");
  take(*st);
  EXPECT_EQ(log.sent, (std::vector<size_t>{1}));
}

TEST(stream_state, abandon_sends_pending_credit) {
  auto st = make_stream(true);
  credit_log log;
  st->set_credit_sink(log.sink(), 10);
  st->deliver(0, 1, "a");
  take(*st);
  EXPECT_FALSE(st->abandoned());
  st->abandon();
  EXPECT_TRUE(st->abandoned());
  EXPECT_EQ(log.sent, (std::vector<size_t>{1}));
}

TEST(stream_state, abandon_notifies_even_without_pending_credit) {
  auto st = make_stream(true);
  credit_log log;
  st->set_credit_sink(log.sink(), 10);
  st->abandon();
  EXPECT_TRUE(st->abandoned());
  EXPECT_EQ(log.sent, (std::vector<size_t>{0}));
}

TEST(stream_state, abandon_without_credit_sink) {
  auto st = make_stream(false);
  st->abandon();
  EXPECT_TRUE(st->abandoned());
}

TEST(stream_state, chunk_arriving_while_credit_is_sent_is_not_missed) {
  // Sending credit releases the lock; a chunk delivered in that window (here:
  // by the credit sink itself) must be seen before next() goes to sleep.
  // next() without a timeout would block forever otherwise.
  auto st = make_stream(false);
  std::weak_ptr<stream_state> weak = st;
  st->set_credit_sink(
    [weak](size_t) {
      auto self = weak.lock();
      if (!self || self->abandoned())
        return;
      self->deliver(1, 1, "late");
      self->end(2);
    },
    100);
  st->deliver(0, 1, "first");
  stream_chunk c;
  ASSERT_TRUE(st->next(c));
  EXPECT_EQ(c.payload, "first");
  ASSERT_TRUE(st->next(c));
  EXPECT_EQ(c.payload, "late");
  ASSERT_TRUE(st->next(c));
  EXPECT_EQ(c.what, kind::end);
  st->abandon();
}

// -- progress
// -------------------------------------------------------------------

namespace {

using actorpool::progress;
using actorpool::detail::progress_reporter;

/// Logs "<completed>/<total or ?>" per report, "done " before the final one.
actorpool::progress_observer logger(std::vector<std::string>& log) {
  return [&log](const progress& p) {
    log.push_back((p.finished ? "done " : "") + std::to_string(p.completed)
                  + "/"
                  + (p.total ? std::to_string(*p.total) : std::string{"?"}));
  };
}

} // namespace

TEST(stream_state, the_consumer_sees_the_end_after_the_final_report) {
  auto st = make_stream(true);
  std::vector<std::string> log;
  auto rep = progress_reporter::make(logger(log), 1h, std::nullopt, nullptr);
  st->set_progress(rep);
  rep->add_read(2);
  st->deliver(1, 1, "b");
  st->deliver(0, 1, "a");
  rep->end_of_input();
  st->end(2);
  EXPECT_EQ(take(*st).payload, "a");
  EXPECT_EQ(take(*st).payload, "b");
  EXPECT_TRUE(log.empty());
  EXPECT_EQ(take(*st).what, kind::end);
  EXPECT_EQ(log, (std::vector<std::string>{"done 2/2"}));
  st->settled({});
  st->abandon();
  EXPECT_EQ(log.size(), 1u);
}

TEST(stream_state, abandoning_the_stream_makes_the_final_report) {
  auto st = make_stream(false);
  std::vector<std::string> log;
  st->set_progress(
    progress_reporter::make(logger(log), 1h, std::nullopt, nullptr));
  st->deliver(0, 3, "abc");
  st->abandon();
  EXPECT_EQ(log, (std::vector<std::string>{"done 3/?"}));
}

TEST(stream_state, a_settled_stream_makes_the_final_report) {
  auto st = make_stream(false);
  std::vector<std::string> log;
  st->set_progress(progress_reporter::make(logger(log), 1h, 4, nullptr));
  st->fail(0, actorpool::make_error(errc::task_failed, std::string{"x"}));
  st->settled({});
  EXPECT_EQ(log, (std::vector<std::string>{"done 1/4"}));
}
