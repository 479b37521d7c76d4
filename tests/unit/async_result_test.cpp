#include "actorpool/async_result.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "actorpool/detail/result_state.hpp"
#include "manual_executor.hpp"

using namespace std::chrono_literals;

using actorpool::async_result;
using actorpool::errc;
using actorpool::detail::result_state;
using actorpool::detail::typed_state;
using actorpool::test::make_exec;

namespace {

template <class T>
std::string encode(T x) {
  std::string buf;
  actorpool::detail::encode_into(buf, x);
  return buf;
}

caf::error failure(const std::string& type, const std::string& msg) {
  return actorpool::make_error(errc::task_failed, type, msg, int32_t{11});
}

/// An `apply`-style result of an int.
async_result<int> single_int(actorpool::detail::executor_ptr exec) {
  auto st = std::make_shared<
    typed_state<int>>(std::vector<uint32_t>{1}, std::move(exec),
                      actorpool::detail::single_decoder<int>());
  return async_result<int>{st};
}

/// A `map`-style result over chunks of the given sizes.
async_result<std::vector<int>> many_ints(std::vector<uint32_t> counts,
                                         actorpool::detail::executor_ptr exec) {
  using vec = std::vector<int>;
  auto st = std::make_shared<
    typed_state<vec>>(std::move(counts), std::move(exec),
                      actorpool::detail::many_decoder<vec>());
  return async_result<vec>{st};
}

async_result<void> void_result(size_t chunks,
                               actorpool::detail::executor_ptr exec) {
  auto st = std::make_shared<result_state>(chunks, std::move(exec));
  return async_result<void>{st};
}

} // namespace

TEST(async_result, zero_chunks_are_ready_at_once) {
  auto st = std::make_shared<result_state>(0, make_exec());
  EXPECT_TRUE(st->ready());
  EXPECT_TRUE(st->successful());
  EXPECT_FALSE(st->error());
  EXPECT_TRUE(st->wait_for(0ns));
}

TEST(async_result, zero_chunk_map_gives_empty_vector) {
  auto res = many_ints({}, make_exec());
  EXPECT_TRUE(res.ready());
  EXPECT_TRUE(res.successful());
  EXPECT_TRUE(res.get().empty());
}

TEST(async_result, ready_after_all_chunks) {
  auto st = std::make_shared<result_state>(2, make_exec());
  st->deliver(1, 1, "b");
  EXPECT_FALSE(st->ready());
  EXPECT_FALSE(st->successful());
  st->deliver(0, 1, "a");
  EXPECT_TRUE(st->ready());
  EXPECT_TRUE(st->successful());
  EXPECT_EQ(st->payloads(), (std::vector<std::string>{"a", "b"}));
}

TEST(async_result, fail_finishes_the_state) {
  auto st = std::make_shared<result_state>(3, make_exec());
  auto err = failure("T", "m");
  st->fail(1, err);
  EXPECT_TRUE(st->ready());
  EXPECT_FALSE(st->successful());
  EXPECT_EQ(st->error(), err);
}

TEST(async_result, first_failure_wins) {
  auto st = std::make_shared<result_state>(3, make_exec());
  auto first = failure("first", "1");
  st->fail(2, first);
  st->fail(0, failure("second", "2"));
  st->deliver(1, 1, "late");
  EXPECT_EQ(st->error(), first);
  EXPECT_TRUE(st->payloads()[1].empty());
}

TEST(async_result, deliveries_after_finish_are_ignored) {
  auto st = std::make_shared<result_state>(1, make_exec());
  st->deliver(0, 1, "first");
  st->deliver(0, 1, "second");
  st->fail(0, failure("T", "m"));
  EXPECT_TRUE(st->successful());
  EXPECT_EQ(st->payloads()[0], "first");
}

TEST(async_result, out_of_range_index_is_ignored) {
  auto st = std::make_shared<result_state>(1, make_exec());
  st->deliver(5, 1, "x");
  EXPECT_FALSE(st->ready());
}

TEST(async_result, error_is_empty_while_running) {
  auto st = std::make_shared<result_state>(1, make_exec());
  EXPECT_FALSE(st->error());
}

TEST(async_result, abandon) {
  auto st = std::make_shared<result_state>(1, make_exec());
  EXPECT_FALSE(st->abandoned());
  st->abandon();
  EXPECT_TRUE(st->abandoned());
}

TEST(async_result, successful_throws_while_not_ready) {
  auto res = single_int(make_exec());
  EXPECT_FALSE(res.ready());
  try {
    res.successful();
    FAIL() << "successful() returned";
  } catch (const actorpool::bad_argument& e) {
    EXPECT_EQ(e.code(), errc::invalid_argument);
  }
}

TEST(async_result, get_with_timeout_throws_timeout_error) {
  auto res = single_int(make_exec());
  EXPECT_FALSE(res.wait(1ms));
  try {
    res.get(1ms);
    FAIL() << "get() returned";
  } catch (const actorpool::timeout_error& e) {
    EXPECT_EQ(e.code(), errc::timeout);
  }
  res.state()->deliver(0, 1, encode(5));
  EXPECT_EQ(res.get(1ms), 5);
}

TEST(async_result, get_single_value) {
  auto res = single_int(make_exec());
  res.state()->deliver(0, 1, encode(42));
  EXPECT_TRUE(res.ready());
  EXPECT_TRUE(res.successful());
  EXPECT_EQ(res.get(), 42);
  EXPECT_EQ(res.get(), 42);
}

TEST(async_result, copies_share_the_state) {
  auto res = single_int(make_exec());
  auto copy = res;
  res.state()->deliver(0, 1, encode(1));
  EXPECT_TRUE(copy.ready());
  EXPECT_EQ(copy.get(), 1);
  EXPECT_TRUE(copy.valid());
  EXPECT_FALSE(async_result<int>{}.valid());
}

TEST(async_result, get_many_values_in_chunk_order) {
  auto res = many_ints({2, 1}, make_exec());
  res.state()->deliver(1, 1, encode(30));
  res.state()->deliver(0, 2, encode(10) + encode(20));
  EXPECT_EQ(res.get(), (std::vector<int>{10, 20, 30}));
}

TEST(async_result, get_rethrows_the_task_exception) {
  auto res = single_int(make_exec());
  res.state()->fail(0, failure("std::out_of_range", "idx"));
  EXPECT_TRUE(res.ready());
  EXPECT_FALSE(res.successful());
  try {
    res.get();
    FAIL() << "get() returned";
  } catch (const std::out_of_range& e) {
    EXPECT_STREQ(e.what(), "idx");
  }
}

TEST(async_result, get_rethrows_pool_errors) {
  auto res = many_ints({1, 1}, make_exec());
  res.state()->deliver(0, 1, encode(1));
  res.state()->fail(1, actorpool::make_error(errc::terminated));
  EXPECT_THROW(res.get(), actorpool::cancelled_error);
}

TEST(async_result, undecodable_payload_is_encoding_error) {
  auto res = single_int(make_exec());
  res.state()->deliver(0, 1, "x");
  EXPECT_TRUE(res.successful());
  try {
    res.get();
    FAIL() << "get() returned";
  } catch (const actorpool::encoding_error& e) {
    EXPECT_EQ(e.code(), errc::decoding_failed);
  }
}

TEST(async_result, short_map_payload_is_encoding_error) {
  auto res = many_ints({2}, make_exec());
  res.state()->deliver(0, 2, encode(1));
  EXPECT_THROW(res.get(), actorpool::encoding_error);
}

TEST(async_result, void_result) {
  auto res = void_result(2, make_exec());
  res.state()->deliver(0, 1, "");
  EXPECT_FALSE(res.ready());
  res.state()->deliver(1, 1, "");
  EXPECT_TRUE(res.successful());
  EXPECT_NO_THROW(res.get());
}

TEST(async_result, void_result_failure) {
  auto res = void_result(1, make_exec());
  res.state()->fail(0, failure("std::runtime_error", "r"));
  EXPECT_THROW(res.get(), std::runtime_error);
}

TEST(async_result, callbacks_before_completion_run_on_executor) {
  auto exec = make_exec();
  auto res = single_int(exec);
  std::vector<int> seen;
  res.on_success([&](int x) { seen.push_back(x); });
  res.state()->deliver(0, 1, encode(7));
  EXPECT_TRUE(seen.empty());
  EXPECT_EQ(exec->pending(), 2u); // the callback, then readiness
  EXPECT_FALSE(res.ready());
  EXPECT_FALSE(res.wait(0ns));
  exec->drain();
  EXPECT_EQ(seen, (std::vector<int>{7}));
  EXPECT_TRUE(res.ready());
  EXPECT_EQ(res.get(), 7);
}

TEST(async_result, callbacks_run_in_registration_order) {
  auto exec = make_exec();
  auto res = single_int(exec);
  std::vector<std::string> seen;
  res.on_success([&](int) { seen.push_back("a"); })
    .on_error([&](const std::exception&) { seen.push_back("err"); })
    .on_success([&](int) { seen.push_back("b"); });
  res.state()->deliver(0, 1, encode(1));
  exec->drain();
  EXPECT_EQ(seen, (std::vector<std::string>{"a", "b"}));
}

TEST(async_result, on_error_before_completion) {
  auto exec = make_exec();
  auto res = single_int(exec);
  std::string type;
  int successes = 0;
  res.on_success([&](int) { ++successes; });
  res.on_error([&](const std::exception& e) {
    auto rf = dynamic_cast<const actorpool::remote_failure*>(&e);
    type = rf ? rf->type_name() : "?";
  });
  res.state()->fail(0, failure("std::length_error", "long"));
  EXPECT_FALSE(res.ready());
  exec->drain();
  EXPECT_EQ(type, "std::length_error");
  EXPECT_EQ(successes, 0);
  EXPECT_TRUE(res.ready());
}

TEST(async_result, callbacks_after_ready_run_inline) {
  auto exec = make_exec();
  auto res = single_int(exec);
  res.state()->deliver(0, 1, encode(3));
  ASSERT_TRUE(res.ready());
  int value = 0;
  int errors = 0;
  res.on_success([&](int x) { value = x; });
  res.on_error([&](const std::exception&) { ++errors; });
  EXPECT_EQ(value, 3);
  EXPECT_EQ(errors, 0);
  EXPECT_EQ(exec->pending(), 0u);
}

TEST(async_result, on_error_after_failure_runs_inline) {
  auto exec = make_exec();
  auto res = void_result(1, exec);
  res.state()->fail(0, actorpool::make_error(errc::worker_died));
  errc code{};
  res.on_error([&](const std::exception& e) {
    code = dynamic_cast<const actorpool::error&>(e).code();
  });
  EXPECT_EQ(code, errc::worker_died);
}

TEST(async_result, callback_while_finishing_queues_behind) {
  auto exec = make_exec();
  auto res = single_int(exec);
  std::vector<std::string> seen;
  res.on_success([&](int) { seen.push_back("before"); });
  res.state()->deliver(0, 1, encode(1));
  res.on_success([&](int) { seen.push_back("after"); });
  EXPECT_TRUE(seen.empty());
  EXPECT_EQ(exec->pending(), 3u); // before, readiness, after
  exec->drain();
  EXPECT_EQ(seen, (std::vector<std::string>{"before", "after"}));
}

TEST(async_result, callbacks_run_exactly_once) {
  auto exec = make_exec();
  auto res = many_ints({1, 1}, exec);
  int before = 0;
  int after = 0;
  res.on_success([&](const std::vector<int>&) { ++before; });
  res.state()->deliver(0, 1, encode(1));
  exec->drain();
  EXPECT_EQ(before, 0);
  res.state()->deliver(1, 1, encode(2));
  res.state()->deliver(1, 1, encode(3));
  res.state()->fail(0, failure("T", "m"));
  exec->drain();
  res.on_success([&](const std::vector<int>&) { ++after; });
  exec->drain();
  EXPECT_EQ(before, 1);
  EXPECT_EQ(after, 1);
}

// Outside the callback thread, the result becomes ready after its
// callbacks; inside, it is ready as soon as its value is known.
TEST(async_result, callback_sees_decoded_value_before_ready) {
  auto exec = make_exec();
  auto res = many_ints({2}, exec);
  std::vector<int> seen;
  bool ready_inside = false;
  res.on_success([&](const std::vector<int>& xs) {
    seen = xs;
    ready_inside = res.ready();
  });
  res.state()->deliver(0, 2, encode(4) + encode(5));
  EXPECT_FALSE(res.ready());
  exec->drain();
  EXPECT_EQ(seen, (std::vector<int>{4, 5}));
  EXPECT_TRUE(ready_inside);
  EXPECT_TRUE(res.ready());
}

TEST(async_result, void_on_success) {
  auto exec = make_exec();
  auto res = void_result(1, exec);
  int calls = 0;
  res.on_success([&] { ++calls; });
  res.state()->deliver(0, 1, "");
  exec->drain();
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(res.successful());
}

TEST(async_result, throwing_callback_does_not_block_readiness) {
  // A callback that throws must neither skip the callbacks after it nor keep
  // the result from becoming ready (get()/wait() would block forever).
  auto exec = make_exec();
  auto res = single_int(exec);
  int second = 0;
  res.on_success([](int) { throw std::runtime_error("callback fails"); });
  res.on_success([&](int) { ++second; });
  res.state()->deliver(0, 1, encode(1));
  exec->drain();
  EXPECT_EQ(second, 1);
  EXPECT_TRUE(res.ready());
}

TEST(async_result, callbacks_without_executor_are_not_lost) {
  // Without an executor, callbacks registered before completion run in the
  // completing thread instead of being dropped.
  auto res = single_int(nullptr);
  int calls = 0;
  res.on_success([&](int) { ++calls; });
  res.state()->deliver(0, 1, encode(1));
  EXPECT_TRUE(res.ready());
  EXPECT_EQ(calls, 1);
}

TEST(async_result, call_with_exception) {
  std::string what;
  actorpool::detail::call_with_exception(actorpool::make_error(errc::timeout,
                                                               std::string{
                                                                 "slow"}),
                                         [&](const std::exception& e) {
                                           what = e.what();
                                         });
  EXPECT_EQ(what, "actorpool::timeout: slow");
}
