// The pipe service on CAF's deterministic scheduler: both directions, waiting
// recv and poll, close and EOF, one-way pipes, and ends whose last user died.

#include "actorpool/pipe.hpp"

#include <caf/send.hpp>
#include <gtest/gtest.h>

#include "services/shared/pipe_service.hpp"
#include "unit/service_test_support.hpp"

using namespace actorpool;
using namespace actorpool::test;
using ops = actorpool::detail::pipe_op;

namespace {

constexpr uint8_t first_end = 0;
constexpr uint8_t second_end = 1;

/// A process using one end of the pipe.
class end_user {
public:
  end_user(test_system& ts, const caf::actor& pipe, uint8_t end, int32_t pid)
    : c_(ts, pipe, pid), end_(end) {
    // nop
  }

  answer send(int x) {
    return c_.call(ops::send, encode(end_, x));
  }

  answer send_text(const std::string& x) {
    return c_.call(ops::send, encode(end_, x));
  }

  /// Receives replies of at most `n` bytes, as a worker does.
  void limit_replies(uint64_t n) {
    c_.limit_replies(n);
  }

  answer recv() {
    return c_.call(ops::recv, encode(end_));
  }

  void start_recv() {
    c_.send(ops::recv, encode(end_));
  }

  answer poll(int64_t wait = 0) {
    return c_.call(ops::poll, encode(end_, wait));
  }

  void start_poll(int64_t wait) {
    c_.send(ops::poll, encode(end_, wait));
  }

  answer close() {
    return c_.call(ops::close, encode(end_));
  }

  std::optional<answer> answered() {
    return c_.poll();
  }

private:
  client c_;
  uint8_t end_;
};

class pipe_test : public ::testing::Test {
protected:
  caf::actor spawn(bool duplex) {
    return detail::spawn_pipe_service(ts.sys(), duplex);
  }

  void SetUp() override {
    p = spawn(true);
  }

  test_system ts;
  caf::actor p;
};

TEST_F(pipe_test, a_duplex_pipe_carries_items_both_ways_in_order) {
  end_user a{ts, p, first_end, 10};
  end_user b{ts, p, second_end, 11};
  for (int i = 1; i <= 3; ++i)
    EXPECT_TRUE(a.send(i).ok());
  EXPECT_TRUE(b.send(42).ok());
  for (int i = 1; i <= 3; ++i)
    EXPECT_EQ(b.recv().as<int>(), i);
  EXPECT_EQ(a.recv().as<int>(), 42);
}

TEST_F(pipe_test, recv_waits_for_the_next_send) {
  end_user a{ts, p, first_end, 10};
  end_user b{ts, p, second_end, 11};
  b.start_recv();
  EXPECT_FALSE(b.answered());
  a.send(3);
  auto got = b.answered();
  ASSERT_TRUE(got && got->ok());
  EXPECT_EQ(got->as<int>(), 3);
}

TEST_F(pipe_test, a_message_too_long_for_the_receiver_fails_recv_and_stays) {
  end_user a{ts, p, first_end, 10};
  end_user b{ts, p, second_end, 11};
  b.limit_replies(4);
  EXPECT_TRUE(a.send_text(std::string(10, 'x')).ok());
  EXPECT_EQ(b.recv().code(), errc::encoding_failed);
  EXPECT_TRUE(b.poll().as<bool>());
  end_user b_unlimited{ts, p, second_end, 12};
  EXPECT_EQ(b_unlimited.recv().as<std::string>(), std::string(10, 'x'));
}

TEST_F(pipe_test, a_waiting_recv_too_short_for_the_message_fails) {
  end_user a{ts, p, first_end, 10};
  end_user b{ts, p, second_end, 11};
  b.limit_replies(4);
  b.start_recv();
  EXPECT_TRUE(a.send_text(std::string(10, 'x')).ok());
  auto refused = b.answered();
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->code(), errc::encoding_failed);
  end_user b_unlimited{ts, p, second_end, 12};
  EXPECT_EQ(b_unlimited.recv().as<std::string>(), std::string(10, 'x'));
}

TEST_F(pipe_test, poll_tells_whether_recv_would_wait) {
  end_user a{ts, p, first_end, 10};
  end_user b{ts, p, second_end, 11};
  EXPECT_FALSE(b.poll().as<bool>());
  a.send(1);
  EXPECT_TRUE(b.poll().as<bool>());
  EXPECT_TRUE(b.poll().as<bool>()); // poll does not consume
  EXPECT_EQ(b.recv().as<int>(), 1);
  EXPECT_FALSE(b.poll().as<bool>());
}

TEST_F(pipe_test, a_timed_poll_is_false_when_nothing_comes) {
  end_user b{ts, p, second_end, 11};
  b.start_poll(50000000);
  EXPECT_FALSE(b.answered());
  ts.sched().trigger_timeouts();
  ts.sched().run();
  auto got = b.answered();
  ASSERT_TRUE(got && got->ok());
  EXPECT_FALSE(got->as<bool>());
}

TEST_F(pipe_test, a_waiting_poll_is_woken_by_a_send) {
  end_user a{ts, p, first_end, 10};
  end_user b{ts, p, second_end, 11};
  b.start_poll(-1);
  a.send(5);
  EXPECT_TRUE(b.answered()->as<bool>());
  EXPECT_EQ(b.recv().as<int>(), 5);
}

TEST_F(pipe_test, items_sent_before_close_are_received_before_eof) {
  end_user a{ts, p, first_end, 10};
  end_user b{ts, p, second_end, 11};
  a.send(1);
  a.send(2);
  EXPECT_TRUE(a.close().ok());
  EXPECT_TRUE(a.close().ok()); // idempotent
  EXPECT_TRUE(b.poll().as<bool>());
  EXPECT_EQ(b.recv().as<int>(), 1);
  EXPECT_EQ(b.recv().as<int>(), 2);
  EXPECT_TRUE(b.poll().as<bool>()); // EOF: recv would not wait
  EXPECT_EQ(b.recv().code(), errc::end_of_file);
  EXPECT_EQ(b.send(3).code(), errc::end_of_file);
  EXPECT_EQ(a.recv().code(), errc::end_of_file);
  EXPECT_EQ(a.send(3).code(), errc::end_of_file);
}

TEST_F(pipe_test, close_wakes_the_peer_waiting_in_recv_with_eof) {
  end_user a{ts, p, first_end, 10};
  end_user b{ts, p, second_end, 11};
  b.start_recv();
  a.close();
  auto got = b.answered();
  ASSERT_TRUE(got);
  EXPECT_EQ(got->code(), errc::end_of_file);
}

TEST_F(pipe_test, a_one_way_pipe_refuses_the_wrong_direction) {
  p = spawn(false);
  end_user reader{ts, p, first_end, 10};
  end_user writer{ts, p, second_end, 11};
  EXPECT_TRUE(writer.send(1).ok());
  EXPECT_EQ(reader.recv().as<int>(), 1);
  EXPECT_EQ(reader.send(2).code(), errc::invalid_state);
  EXPECT_EQ(writer.recv().code(), errc::invalid_state);
  EXPECT_EQ(writer.poll().code(), errc::invalid_state);
}

TEST_F(pipe_test, the_death_of_the_last_user_of_an_end_is_eof_for_the_peer) {
  end_user dying{ts, p, first_end, 66};
  end_user b{ts, p, second_end, 11};
  dying.send(1);
  EXPECT_EQ(b.recv().as<int>(), 1);
  b.start_recv();
  EXPECT_FALSE(b.answered());
  client_down(ts, p, 66);
  auto got = b.answered();
  ASSERT_TRUE(got);
  EXPECT_EQ(got->code(), errc::end_of_file);
}

TEST_F(pipe_test, what_a_dead_peer_sent_is_still_received) {
  end_user dying{ts, p, first_end, 66};
  end_user b{ts, p, second_end, 11};
  dying.send(1);
  dying.send(2);
  client_down(ts, p, 66);
  EXPECT_EQ(b.recv().as<int>(), 1);
  EXPECT_EQ(b.recv().as<int>(), 2);
  EXPECT_EQ(b.recv().code(), errc::end_of_file);
}

TEST_F(pipe_test, an_end_the_dead_process_never_used_stays_open) {
  end_user b{ts, p, second_end, 11};
  client_down(ts, p, 66);
  EXPECT_FALSE(b.poll().as<bool>());
}

TEST_F(pipe_test, an_end_closes_with_the_last_process_that_used_it) {
  end_user dying{ts, p, first_end, 66};
  end_user other{ts, p, first_end, 67};
  end_user b{ts, p, second_end, 11};
  other.send(1);
  dying.send(2); // the last to use it dies first: the end stays open
  client_down(ts, p, 66);
  EXPECT_EQ(b.recv().as<int>(), 1);
  EXPECT_EQ(b.recv().as<int>(), 2);
  EXPECT_FALSE(b.poll().as<bool>());
  EXPECT_TRUE(other.send(3).ok());
  EXPECT_EQ(b.recv().as<int>(), 3);
  client_down(ts, p, 67); // and closes with the last one
  EXPECT_EQ(b.recv().code(), errc::end_of_file);
}

TEST_F(pipe_test, an_end_the_parent_used_stays_open) {
  end_user dying{ts, p, first_end, 66};
  end_user parent{ts, p, first_end, 10};
  end_user b{ts, p, second_end, 11};
  dying.send(1);
  parent.send(2);
  client_down(ts, p, 66);
  EXPECT_EQ(b.recv().as<int>(), 1);
  EXPECT_EQ(b.recv().as<int>(), 2);
  EXPECT_FALSE(b.poll().as<bool>());
}

TEST_F(pipe_test, a_dead_reader_breaks_the_pipe_for_the_writer) {
  end_user a{ts, p, first_end, 10};
  end_user dying{ts, p, second_end, 66};
  dying.start_recv();
  client_down(ts, p, 66);
  auto dropped = dying.answered();
  ASSERT_TRUE(dropped);
  EXPECT_FALSE(dropped->ok());
  EXPECT_EQ(a.send(1).code(), errc::end_of_file);
}

TEST_F(pipe_test, shutting_the_service_down_fails_waiting_calls) {
  end_user b{ts, p, second_end, 11};
  b.start_recv();
  caf::anon_send_exit(p, caf::exit_reason::user_shutdown);
  ts.sched().run();
  auto got = b.answered();
  ASSERT_TRUE(got);
  EXPECT_EQ(got->code(), errc::end_of_file);
}

TEST_F(pipe_test, malformed_calls_are_errors) {
  client c{ts, p, 10};
  EXPECT_EQ(c.call(ops::recv, encode(uint8_t{5})).code(), errc::protocol_error);
  EXPECT_EQ(c.call(ops::recv, "").code(), errc::decoding_failed);
  EXPECT_EQ(c.call(77, encode(uint8_t{0})).code(), errc::protocol_error);
}

} // namespace
