// The worker's table of pending service calls: each call writes a frame and
// waits until the reply with its id comes.

#include "worker/call_table.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <future>
#include <mutex>
#include <string>
#include <vector>

#include <caf/sec.hpp>
#include <gtest/gtest.h>

#include "actorpool/exceptions.hpp"
#include "transport/frame.hpp"

using namespace actorpool::detail;
using namespace std::chrono_literals;

namespace {

/// The parent's end of the calls: what was written, and a way to wait for
/// the `n`th call.
class parent_end {
public:
  call_table::writer writer() {
    return [this](service_call_msg& msg) {
      std::lock_guard<std::mutex> guard{mtx_};
      if (fail_)
        return caf::make_error(caf::sec::runtime_error, "cannot write");
      calls_.push_back(msg);
      cv_.notify_all();
      return caf::error{};
    };
  }

  /// Waits (bounded, to prove nothing hangs) until `n` calls were written.
  std::vector<service_call_msg> wait_for_calls(size_t n) {
    std::unique_lock<std::mutex> guard{mtx_};
    EXPECT_TRUE(cv_.wait_for(guard, 10s, [&] { return calls_.size() >= n; }));
    return calls_;
  }

  size_t written() {
    std::lock_guard<std::mutex> guard{mtx_};
    return calls_.size();
  }

  void fail_writes() {
    std::lock_guard<std::mutex> guard{mtx_};
    fail_ = true;
  }

private:
  std::mutex mtx_;
  std::condition_variable cv_;
  std::vector<service_call_msg> calls_;
  bool fail_ = false;
};

service_reply_msg reply_to(uint64_t call_id, std::string payload) {
  return service_reply_msg{call_id, service_reply_msg::ok, std::move(payload)};
}

/// Runs one call on a thread of its own.
std::future<service_reply_msg> call_async(call_table& table, uint64_t service,
                                          std::string payload) {
  return std::async(std::launch::async, [&table, service, payload] {
    return table.call(service, 11, 3, payload);
  });
}

} // namespace

// -- calls and replies --------------------------------------------------------

TEST(call_table, a_call_writes_its_frame_and_returns_its_reply) {
  parent_end parent;
  call_table table{parent.writer(), default_max_frame_size};
  auto result = call_async(table, 7, "in");
  auto calls = parent.wait_for_calls(1);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].service, 7u);
  EXPECT_EQ(calls[0].thread, 11u);
  EXPECT_EQ(calls[0].op, 3);
  EXPECT_EQ(calls[0].payload, "in");
  table.complete(reply_to(calls[0].call_id, "out"));
  ASSERT_EQ(result.wait_for(10s), std::future_status::ready);
  auto reply = result.get();
  EXPECT_EQ(reply.call_id, calls[0].call_id);
  EXPECT_EQ(reply.payload, "out");
}

TEST(call_table, a_cast_is_written_without_a_call_id_and_not_waited_for) {
  parent_end parent;
  call_table table{parent.writer(), default_max_frame_size};
  // Nobody ever answers: a call would wait forever, a cast returns.
  table.cast(7, 11, 2, "give back");
  auto calls = parent.wait_for_calls(1);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].call_id, service_call_msg::no_reply);
  EXPECT_EQ(calls[0].service, 7u);
  EXPECT_EQ(calls[0].op, 2);
  EXPECT_EQ(calls[0].payload, "give back");
  // The next call gets an id of its own and its reply as usual.
  auto result = call_async(table, 7, "next");
  calls = parent.wait_for_calls(2);
  EXPECT_NE(calls[1].call_id, service_call_msg::no_reply);
  table.complete(reply_to(calls[1].call_id, "ok"));
  ASSERT_EQ(result.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(result.get().payload, "ok");
}

TEST(call_table, a_cast_that_cannot_be_written_throws) {
  parent_end parent;
  call_table table{parent.writer(), default_max_frame_size};
  parent.fail_writes();
  EXPECT_ANY_THROW(table.cast(7, 11, 2, {}));
}

TEST(call_table, replies_in_another_order_reach_their_own_calls) {
  parent_end parent;
  call_table table{parent.writer(), default_max_frame_size};
  auto first = call_async(table, 1, "a");
  parent.wait_for_calls(1);
  auto second = call_async(table, 2, "b");
  auto calls = parent.wait_for_calls(2);
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_NE(calls[0].call_id, calls[1].call_id);
  table.complete(reply_to(calls[1].call_id, "to b"));
  ASSERT_EQ(second.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(second.get().payload, "to b");
  table.complete(reply_to(calls[0].call_id, "to a"));
  ASSERT_EQ(first.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(first.get().payload, "to a");
}

TEST(call_table, a_reply_to_no_pending_call_is_ignored) {
  parent_end parent;
  call_table table{parent.writer(), default_max_frame_size};
  table.complete(reply_to(99, "stray")); // before any call
  auto result = call_async(table, 1, "a");
  auto calls = parent.wait_for_calls(1);
  table.complete(reply_to(calls[0].call_id + 1, "stray"));
  table.complete(reply_to(calls[0].call_id, "mine"));
  ASSERT_EQ(result.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(result.get().payload, "mine");
  // Answered already: a second reply with its id is dropped, and the next
  // call gets an id of its own.
  table.complete(reply_to(calls[0].call_id, "late"));
  auto next = call_async(table, 1, "b");
  calls = parent.wait_for_calls(2);
  EXPECT_NE(calls[1].call_id, calls[0].call_id);
  table.complete(reply_to(calls[1].call_id, "next"));
  ASSERT_EQ(next.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(next.get().payload, "next");
}

TEST(call_table, a_failed_reply_is_returned_as_it_came) {
  parent_end parent;
  call_table table{parent.writer(), default_max_frame_size};
  auto result = call_async(table, 1, "a");
  auto calls = parent.wait_for_calls(1);
  table.complete(
    service_reply_msg{calls[0].call_id, service_reply_msg::failed, "why"});
  ASSERT_EQ(result.wait_for(10s), std::future_status::ready);
  auto reply = result.get();
  EXPECT_EQ(reply.status, service_reply_msg::failed);
  EXPECT_EQ(reply.payload, "why");
}

// -- calls that cannot go out -------------------------------------------------

TEST(call_table, a_call_too_long_for_a_frame_throws_and_writes_nothing) {
  parent_end parent;
  call_table table{parent.writer(), min_frame_size_limit};
  std::string big(min_frame_size_limit, 'x');
  EXPECT_THROW(table.call(1, 1, 1, big), actorpool::encoding_error);
  EXPECT_EQ(parent.written(), 0u);
  // The largest that fits goes out.
  auto fits = std::string(max_payload_size(min_frame_size_limit), 'x');
  auto result = call_async(table, 1, fits);
  auto calls = parent.wait_for_calls(1);
  table.complete(reply_to(calls[0].call_id, "ok"));
  ASSERT_EQ(result.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(result.get().payload, "ok");
}

TEST(call_table, a_call_that_cannot_be_written_throws) {
  parent_end parent;
  parent.fail_writes();
  call_table table{parent.writer(), default_max_frame_size};
  EXPECT_ANY_THROW(table.call(1, 1, 1, "a"));
}
