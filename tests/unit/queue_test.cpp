// The queue service on CAF's deterministic scheduler: FIFO order, blocked
// gets and puts, maxsize, timeouts, close, task_done/join and dead clients.

#include "actorpool/queue.hpp"

#include <algorithm>
#include <vector>

#include <caf/send.hpp>
#include <gtest/gtest.h>

#include "actorpool/exceptions.hpp"
#include "services/shared/queue_service.hpp"
#include "unit/service_test_support.hpp"

using namespace actorpool;
using namespace actorpool::test;
using ops = actorpool::detail::queue_op;

namespace {

constexpr int64_t forever = -1;
constexpr int64_t no_wait = 0;
constexpr int64_t fifty_ms = 50000000;

std::string put_payload(int x, int64_t wait = forever) {
  return encode(wait, x);
}

std::string get_payload(int64_t wait = forever) {
  return encode(wait);
}

class queue_test : public ::testing::Test {
protected:
  caf::actor spawn(uint64_t maxsize = 0, bool joinable = false) {
    return detail::spawn_queue_service(ts.sys(), {maxsize, joinable});
  }

  void SetUp() override {
    q = spawn();
  }

  test_system ts;
  caf::actor q;
};

TEST_F(queue_test, items_come_out_in_the_order_they_went_in) {
  client producer{ts, q, 10};
  client consumer{ts, q, 11};
  EXPECT_TRUE(consumer.call(ops::empty).as<bool>());
  for (int i = 1; i <= 3; ++i)
    EXPECT_TRUE(producer.call(ops::put, put_payload(i)).ok());
  EXPECT_EQ(consumer.call(ops::qsize).as<uint64_t>(), 3u);
  EXPECT_FALSE(consumer.call(ops::empty).as<bool>());
  EXPECT_FALSE(consumer.call(ops::full).as<bool>());
  for (int i = 1; i <= 3; ++i)
    EXPECT_EQ(consumer.call(ops::get, get_payload()).as<int>(), i);
  EXPECT_EQ(consumer.call(ops::qsize).as<uint64_t>(), 0u);
}

TEST_F(queue_test, a_blocked_get_is_answered_by_a_later_put) {
  client producer{ts, q, 10};
  client consumer{ts, q, 11};
  consumer.send(ops::get, get_payload());
  EXPECT_FALSE(consumer.poll());
  EXPECT_TRUE(producer.call(ops::put, put_payload(7)).ok());
  auto got = consumer.poll();
  ASSERT_TRUE(got && got->ok());
  EXPECT_EQ(got->as<int>(), 7);
  EXPECT_EQ(producer.call(ops::qsize).as<uint64_t>(), 0u);
}

TEST_F(queue_test, blocked_gets_are_served_first_come_first_served) {
  client producer{ts, q, 10};
  client first{ts, q, 11};
  client second{ts, q, 12};
  first.send(ops::get, get_payload());
  second.send(ops::get, get_payload());
  producer.call(ops::put, put_payload(1));
  producer.call(ops::put, put_payload(2));
  EXPECT_EQ(first.poll()->as<int>(), 1);
  EXPECT_EQ(second.poll()->as<int>(), 2);
}

TEST_F(queue_test, an_item_too_long_for_the_caller_fails_its_get_and_stays) {
  // A worker receives replies up to its frame size limit: the item is left
  // for a caller that can take it, in its place.
  client producer{ts, q, 10};
  client worker{ts, q, 11};
  worker.limit_replies(4);
  EXPECT_TRUE(
    producer.call(ops::put, encode(forever, std::string(10, 'x'))).ok());
  EXPECT_TRUE(producer.call(ops::put, put_payload(2)).ok());
  auto refused = worker.call(ops::get, get_payload());
  EXPECT_EQ(refused.code(), errc::encoding_failed);
  EXPECT_EQ(producer.call(ops::qsize).as<uint64_t>(), 2u);
  EXPECT_EQ(producer.call(ops::get, get_payload()).as<std::string>(),
            std::string(10, 'x'));
  EXPECT_EQ(worker.call(ops::get, get_payload()).as<int>(), 2);
}

TEST_F(queue_test,
       a_waiting_get_too_short_for_the_item_fails_the_next_gets_it) {
  client producer{ts, q, 10};
  client worker{ts, q, 11};
  client other{ts, q, 12};
  worker.limit_replies(4);
  worker.send(ops::get, get_payload());
  other.send(ops::get, get_payload());
  EXPECT_TRUE(
    producer.call(ops::put, encode(forever, std::string(10, 'x'))).ok());
  auto refused = worker.poll();
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->code(), errc::encoding_failed);
  auto got = other.poll();
  ASSERT_TRUE(got && got->ok());
  EXPECT_EQ(got->as<std::string>(), std::string(10, 'x'));
}

TEST_F(queue_test, a_waiting_get_too_short_for_the_item_leaves_it_queued) {
  client producer{ts, q, 10};
  client worker{ts, q, 11};
  worker.limit_replies(4);
  worker.send(ops::get, get_payload());
  EXPECT_TRUE(
    producer.call(ops::put, encode(forever, std::string(10, 'x'))).ok());
  auto refused = worker.poll();
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->code(), errc::encoding_failed);
  EXPECT_EQ(producer.call(ops::qsize).as<uint64_t>(), 1u);
}

TEST_F(queue_test, a_full_queue_blocks_put_until_a_get_makes_room) {
  q = spawn(2);
  client producer{ts, q, 10};
  client consumer{ts, q, 11};
  producer.call(ops::put, put_payload(1));
  producer.call(ops::put, put_payload(2));
  EXPECT_TRUE(consumer.call(ops::full).as<bool>());
  auto refused = producer.call(ops::put, put_payload(3, no_wait));
  EXPECT_EQ(refused.code(), errc::full);
  producer.send(ops::put, put_payload(3));
  EXPECT_FALSE(producer.poll());
  EXPECT_EQ(consumer.call(ops::get, get_payload()).as<int>(), 1);
  auto done = producer.poll();
  ASSERT_TRUE(done && done->ok());
  EXPECT_EQ(consumer.call(ops::qsize).as<uint64_t>(), 2u);
  EXPECT_EQ(consumer.call(ops::get, get_payload()).as<int>(), 2);
  EXPECT_EQ(consumer.call(ops::get, get_payload()).as<int>(), 3);
}

TEST_F(queue_test, get_without_waiting_on_an_empty_queue_fails_at_once) {
  client consumer{ts, q, 11};
  EXPECT_EQ(consumer.call(ops::get, get_payload(no_wait)).code(), errc::empty);
}

TEST_F(queue_test, a_timed_get_fails_when_nothing_comes_in_time) {
  client producer{ts, q, 10};
  client consumer{ts, q, 11};
  consumer.send(ops::get, get_payload(fifty_ms));
  EXPECT_FALSE(consumer.poll());
  ts.sched().trigger_timeouts();
  ts.sched().run();
  auto got = consumer.poll();
  ASSERT_TRUE(got);
  EXPECT_EQ(got->code(), errc::empty);
  producer.call(ops::put, put_payload(4));
  EXPECT_EQ(producer.call(ops::qsize).as<uint64_t>(), 1u);
}

TEST_F(queue_test, a_timed_get_answered_in_time_is_answered_once) {
  client producer{ts, q, 10};
  client consumer{ts, q, 11};
  consumer.send(ops::get, get_payload(fifty_ms));
  producer.call(ops::put, put_payload(5));
  EXPECT_EQ(consumer.poll()->as<int>(), 5);
  ts.sched().trigger_timeouts();
  ts.sched().run();
  EXPECT_FALSE(consumer.poll());
}

TEST_F(queue_test, a_timed_put_fails_when_no_room_comes_in_time) {
  q = spawn(1);
  client producer{ts, q, 10};
  producer.call(ops::put, put_payload(1));
  producer.send(ops::put, put_payload(2, fifty_ms));
  EXPECT_FALSE(producer.poll());
  ts.sched().advance_time(std::chrono::milliseconds(50));
  ts.sched().run();
  auto got = producer.poll();
  ASSERT_TRUE(got);
  EXPECT_EQ(got->code(), errc::full);
  EXPECT_EQ(producer.call(ops::qsize).as<uint64_t>(), 1u);
}

TEST_F(queue_test, close_refuses_puts_and_drains_then_fails_gets) {
  client producer{ts, q, 10};
  client consumer{ts, q, 11};
  producer.call(ops::put, put_payload(1));
  EXPECT_TRUE(producer.call(ops::close).ok());
  EXPECT_TRUE(producer.call(ops::close).ok()); // idempotent
  EXPECT_EQ(producer.call(ops::put, put_payload(2)).code(), errc::end_of_file);
  EXPECT_EQ(consumer.call(ops::get, get_payload()).as<int>(), 1);
  EXPECT_EQ(consumer.call(ops::get, get_payload()).code(), errc::end_of_file);
}

TEST_F(queue_test, close_fails_the_waiting_gets_and_puts) {
  client waiting_get{ts, q, 11};
  waiting_get.send(ops::get, get_payload());
  client closer{ts, q, 10};
  closer.call(ops::close);
  EXPECT_EQ(waiting_get.poll()->code(), errc::end_of_file);
  q = spawn(1);
  client producer{ts, q, 10};
  client blocked{ts, q, 12};
  producer.call(ops::put, put_payload(1));
  blocked.send(ops::put, put_payload(2));
  client closer2{ts, q, 10};
  closer2.call(ops::close);
  EXPECT_EQ(blocked.poll()->code(), errc::end_of_file);
  EXPECT_EQ(producer.call(ops::get, get_payload()).as<int>(), 1);
}

TEST_F(queue_test, join_waits_until_every_item_is_done) {
  q = spawn(0, true);
  client producer{ts, q, 10};
  client joiner{ts, q, 12};
  EXPECT_TRUE(joiner.call(ops::join).ok()); // nothing put yet
  producer.call(ops::put, put_payload(1));
  producer.call(ops::put, put_payload(2));
  joiner.send(ops::join);
  producer.call(ops::get, get_payload());
  EXPECT_TRUE(producer.call(ops::task_done).ok());
  EXPECT_FALSE(joiner.poll());
  producer.call(ops::get, get_payload());
  EXPECT_TRUE(producer.call(ops::task_done).ok());
  auto joined = joiner.poll();
  ASSERT_TRUE(joined && joined->ok());
  EXPECT_EQ(producer.call(ops::task_done).code(), errc::invalid_state);
}

TEST_F(queue_test, task_done_on_a_plain_queue_is_a_state_error) {
  client c{ts, q, 10};
  EXPECT_EQ(c.call(ops::task_done).code(), errc::invalid_state);
  EXPECT_EQ(c.call(ops::join).code(), errc::invalid_state);
}

TEST_F(queue_test, a_dead_consumer_is_forgotten_and_loses_no_item) {
  client producer{ts, q, 10};
  client dying{ts, q, 66};
  client consumer{ts, q, 11};
  dying.send(ops::get, get_payload());
  client_down(ts, q, 66);
  auto dropped = dying.poll();
  ASSERT_TRUE(dropped);
  EXPECT_FALSE(dropped->ok());
  producer.call(ops::put, put_payload(9));
  EXPECT_EQ(consumer.call(ops::get, get_payload(no_wait)).as<int>(), 9);
}

TEST_F(queue_test, client_down_only_drops_that_process) {
  client producer{ts, q, 10};
  client dying{ts, q, 66};
  client living{ts, q, 11};
  dying.send(ops::get, get_payload());
  living.send(ops::get, get_payload());
  client_down(ts, q, 66);
  producer.call(ops::put, put_payload(3));
  EXPECT_EQ(living.poll()->as<int>(), 3);
}

TEST_F(queue_test, the_blocked_put_of_a_dead_producer_is_dropped) {
  q = spawn(1);
  client producer{ts, q, 10};
  client dying{ts, q, 66};
  producer.call(ops::put, put_payload(1));
  dying.send(ops::put, put_payload(2));
  client_down(ts, q, 66);
  EXPECT_EQ(producer.call(ops::get, get_payload()).as<int>(), 1);
  EXPECT_EQ(producer.call(ops::qsize).as<uint64_t>(), 0u);
}

TEST_F(queue_test, a_dead_joiner_is_dropped) {
  q = spawn(0, true);
  client producer{ts, q, 10};
  client dying{ts, q, 66};
  producer.call(ops::put, put_payload(1));
  dying.send(ops::join);
  client_down(ts, q, 66);
  EXPECT_FALSE(dying.poll()->ok());
  producer.call(ops::get, get_payload());
  EXPECT_TRUE(producer.call(ops::task_done).ok());
}

TEST_F(queue_test, shutting_the_service_down_fails_waiting_calls) {
  client consumer{ts, q, 11};
  consumer.send(ops::get, get_payload());
  caf::anon_send_exit(q, caf::exit_reason::user_shutdown);
  ts.sched().run();
  auto got = consumer.poll();
  ASSERT_TRUE(got);
  EXPECT_EQ(got->code(), errc::end_of_file);
}

TEST_F(queue_test, malformed_calls_are_errors) {
  client c{ts, q, 10};
  EXPECT_EQ(c.call(ops::get, "x").code(), errc::decoding_failed);
  EXPECT_EQ(c.call(99).code(), errc::protocol_error);
}

// -- calls from workers: credit, items sent ahead
// ------------------------------

std::string get_ahead_payload(uint64_t token, uint64_t want, uint64_t taken,
                              int64_t wait = forever) {
  return encode(wait, token, want, taken);
}

/// A call whose answer nobody reads, as the parent's broker makes the calls
/// a worker sends without waiting.
void cast(client& c, ops op, std::string payload) {
  c.send(op, std::move(payload));
  c.poll();
}

std::vector<int> ints_of(const answer& a) {
  return detail::decode_each<int>(a.as<std::vector<std::string>>());
}

std::vector<int> drain(client& c) {
  std::vector<int> result;
  while (!c.call(ops::empty).as<bool>())
    result.push_back(c.call(ops::get, get_payload(no_wait)).as<int>());
  return result;
}

TEST_F(queue_test, put_with_credit_grants_a_credit_on_unbounded_queues_only) {
  client producer{ts, q, 10};
  EXPECT_EQ(producer.call(ops::put_with_credit, put_payload(1)).as<uint64_t>(),
            detail::put_credit);
  q = spawn(5);
  client bounded{ts, q, 10};
  EXPECT_EQ(bounded.call(ops::put_with_credit, put_payload(1)).as<uint64_t>(),
            0u);
  EXPECT_EQ(bounded.call(ops::qsize).as<uint64_t>(), 1u);
}

TEST_F(queue_test, puts_ahead_join_the_queue_in_the_order_they_were_sent) {
  client producer{ts, q, 10};
  client consumer{ts, q, 11};
  producer.call(ops::put_with_credit, put_payload(0));
  for (int i = 1; i <= 3; ++i)
    cast(producer, ops::put_ahead, encode(i));
  producer.call(ops::put_with_credit, put_payload(4));
  EXPECT_EQ(drain(consumer), (std::vector<int>{0, 1, 2, 3, 4}));
}

TEST_F(queue_test,
       a_put_ahead_on_a_closed_queue_is_dropped_and_the_next_put_fails) {
  client producer{ts, q, 10};
  client consumer{ts, q, 11};
  producer.call(ops::put_with_credit, put_payload(1));
  consumer.call(ops::close);
  cast(producer, ops::put_ahead, encode(2));
  EXPECT_EQ(producer.call(ops::put_with_credit, put_payload(3)).code(),
            errc::end_of_file);
  EXPECT_EQ(consumer.call(ops::get, get_payload()).as<int>(), 1);
  EXPECT_EQ(consumer.call(ops::get, get_payload()).code(), errc::end_of_file);
}

TEST_F(queue_test, get_ahead_sends_at_most_half_of_what_is_left_ahead) {
  client producer{ts, q, 10};
  client consumer{ts, q, 11};
  for (int i = 0; i < 10; ++i)
    producer.call(ops::put, put_payload(i));
  // One item taken, then 3 of the 9 left (want 4).
  EXPECT_EQ(ints_of(consumer.call(ops::get_ahead, get_ahead_payload(1, 4, 0))),
            (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(producer.call(ops::qsize).as<uint64_t>(), 6u);
  // One taken, then 2 of the 5 left, however many are wanted.
  EXPECT_EQ(ints_of(consumer.call(ops::get_ahead, get_ahead_payload(1, 64, 3))),
            (std::vector<int>{4, 5, 6}));
  EXPECT_EQ(producer.call(ops::qsize).as<uint64_t>(), 3u);
}

TEST_F(queue_test, a_bounded_queue_sends_nothing_ahead) {
  q = spawn(10);
  client producer{ts, q, 10};
  client consumer{ts, q, 11};
  for (int i = 0; i < 10; ++i)
    producer.call(ops::put, put_payload(i));
  EXPECT_EQ(ints_of(consumer.call(ops::get_ahead, get_ahead_payload(1, 8, 0))),
            (std::vector<int>{0}));
  EXPECT_EQ(producer.call(ops::qsize).as<uint64_t>(), 9u);
}

TEST_F(queue_test, a_waiting_get_ahead_gets_a_list_of_the_next_item) {
  client producer{ts, q, 10};
  client consumer{ts, q, 11};
  consumer.send(ops::get_ahead, get_ahead_payload(1, 8, 0));
  EXPECT_FALSE(consumer.poll());
  producer.call(ops::put, put_payload(7));
  producer.call(ops::put, put_payload(8));
  auto got = consumer.poll();
  ASSERT_TRUE(got && got->ok());
  EXPECT_EQ(ints_of(*got), (std::vector<int>{7}));
  EXPECT_EQ(producer.call(ops::qsize).as<uint64_t>(), 1u);
}

TEST_F(queue_test, give_back_returns_what_was_not_taken_to_the_front) {
  client producer{ts, q, 10};
  client consumer{ts, q, 11};
  for (int i = 0; i < 10; ++i)
    producer.call(ops::put, put_payload(i));
  consumer.call(ops::get_ahead, get_ahead_payload(1, 8, 0)); // 0; 1 2 3 4
  cast(consumer, ops::give_back, encode(uint64_t{1}, uint64_t{1})); // took 1
  EXPECT_EQ(drain(producer), (std::vector<int>{2, 3, 4, 5, 6, 7, 8, 9}));
}

TEST_F(queue_test, a_given_back_item_goes_to_a_waiting_get) {
  client producer{ts, q, 10};
  client consumer{ts, q, 11};
  client waiting{ts, q, 12};
  for (int i = 0; i < 3; ++i)
    producer.call(ops::put, put_payload(i));
  consumer.call(ops::get_ahead, get_ahead_payload(1, 8, 0)); // 0; 1
  EXPECT_EQ(producer.call(ops::get, get_payload()).as<int>(), 2);
  waiting.send(ops::get, get_payload());
  EXPECT_FALSE(waiting.poll());
  cast(consumer, ops::give_back, encode(uint64_t{1}, uint64_t{0}));
  EXPECT_EQ(waiting.poll()->as<int>(), 1);
}

TEST_F(queue_test, items_sent_ahead_to_a_dead_consumer_go_back_unless_taken) {
  client producer{ts, q, 10};
  client dying{ts, q, 66};
  for (int i = 0; i < 10; ++i)
    producer.call(ops::put, put_payload(i));
  dying.call(ops::get_ahead, get_ahead_payload(1, 4, 0)); // 0; 1 2 3
  dying.call(ops::get_ahead, get_ahead_payload(1, 2, 3)); // 4; 5 (took 1-3)
  dying.call(ops::get_ahead, get_ahead_payload(2, 2, 0)); // 6; 7 (token 2)
  client_down(ts, q, 66);
  auto left = drain(producer);
  std::sort(left.begin(), left.end());
  EXPECT_EQ(left, (std::vector<int>{5, 7, 8, 9}));
}

TEST_F(queue_test, client_down_gives_back_only_that_process_items) {
  client producer{ts, q, 10};
  client living{ts, q, 11};
  client dying{ts, q, 66};
  for (int i = 0; i < 8; ++i)
    producer.call(ops::put, put_payload(i));
  living.call(ops::get_ahead, get_ahead_payload(1, 4, 0)); // 0; 1 2 3
  client_down(ts, q, 66);
  EXPECT_EQ(drain(producer), (std::vector<int>{4, 5, 6, 7}));
}

TEST(queue_wait_test, timeouts_encode_as_the_protocol_says) {
  using std::chrono::microseconds;
  EXPECT_EQ(detail::queue_timeout(true, std::nullopt), detail::wait_forever);
  EXPECT_EQ(detail::queue_timeout(false, std::nullopt), 0);
  EXPECT_EQ(detail::queue_timeout(false, microseconds{500}), 0);
  EXPECT_EQ(detail::queue_timeout(true, microseconds{0}), 0);
  EXPECT_EQ(detail::queue_timeout(true, std::chrono::milliseconds{2}), 2000000);
  EXPECT_THROW(detail::queue_timeout(true, microseconds{-1}), bad_argument);
  EXPECT_EQ(detail::queue_timeout(false, microseconds{-1}), 0);
}

} // namespace
