// Waiting for a result inside a callback of its executor: a result counts
// as ready once finished there (its own callbacks run after the current
// one), and waiting there for one that only the executor finishes throws
// `state_error` instead of hanging.

#include "actorpool/detail/result_state.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "actorpool/async_result.hpp"
#include "actorpool/detail/progress_reporter.hpp"
#include "actorpool/errc.hpp"
#include "manual_executor.hpp"

using namespace std::chrono_literals;

using actorpool::async_result;
using actorpool::detail::typed_state;
using actorpool::test::make_exec;

namespace {

std::string encode(int x) {
  std::string buf;
  actorpool::detail::encode_into(buf, x);
  return buf;
}

/// An `apply`-style result of an int.
async_result<int> single_int(actorpool::detail::executor_ptr exec) {
  auto st = std::make_shared<
    typed_state<int>>(std::vector<uint32_t>{1}, std::move(exec),
                      actorpool::detail::single_decoder<int>());
  return async_result<int>{st};
}

} // namespace

TEST(result_state, a_callback_gets_its_own_result) {
  auto exec = make_exec();
  auto res = single_int(exec);
  std::optional<int> got;
  bool ready_inside = false;
  res.on_success([&](int) {
    ready_inside = res.ready();
    got = res.get(); // readiness is queued behind this very callback
  });
  res.state()->deliver(0, 1, encode(5));
  exec->drain();
  EXPECT_TRUE(ready_inside);
  EXPECT_EQ(got, 5);
}

TEST(result_state, a_callback_gets_a_finished_result_before_its_callbacks) {
  auto exec = make_exec();
  auto first = single_int(exec);
  auto second = single_int(exec);
  std::vector<std::string> seen;
  first.on_success([&](int) {
    seen.push_back("first got " + std::to_string(second.get()));
    EXPECT_TRUE(second.wait(0ns));
    EXPECT_TRUE(second.successful());
  });
  second.on_success([&](int) { seen.push_back("second's callback"); });
  first.state()->deliver(0, 1, encode(1));
  second.state()->deliver(0, 1, encode(2));
  EXPECT_FALSE(second.ready()); // outside: its callback has not run
  exec->drain();
  EXPECT_EQ(seen,
            (std::vector<std::string>{"first got 2", "second's callback"}));
}

TEST(result_state, a_callback_waits_for_a_result_finished_by_another_thread) {
  auto exec = make_exec();
  auto first = single_int(exec);
  auto second = single_int(exec);
  int second_callbacks = 0;
  second.on_success([&](int) { ++second_callbacks; });
  std::optional<int> got;
  first.on_success([&](int) {
    // The "coordinator" finishes `second` while this callback waits.
    std::thread coordinator{[st = second.state()] {
      st->deliver(0, 1, encode(9));
    }};
    got = second.get();
    coordinator.join();
  });
  first.state()->deliver(0, 1, encode(1));
  exec->drain();
  EXPECT_EQ(got, 9);
  EXPECT_EQ(second_callbacks, 1);
  EXPECT_TRUE(second.ready());
}

TEST(result_state, waiting_in_a_callback_for_what_only_it_can_finish_throws) {
  auto exec = make_exec();
  auto first = single_int(exec);
  auto search = single_int(exec);
  search.state()->finished_by_executor();
  std::vector<std::string> seen;
  auto expect_state_error = [&](const char* what, auto fn) {
    try {
      fn();
      seen.push_back(std::string{what} + " returned");
    } catch (const actorpool::state_error&) {
      seen.push_back(std::string{what} + " threw state_error");
    }
  };
  first.on_success([&](int) {
    expect_state_error("get", [&] { search.get(); });
    expect_state_error("wait", [&] { search.wait(); });
    expect_state_error("timed get", [&] { search.get(10s); });
    EXPECT_FALSE(search.ready());
  });
  first.state()->deliver(0, 1, encode(1));
  exec->drain();
  EXPECT_EQ(seen, (std::vector<std::string>{"get threw state_error",
                                            "wait threw state_error",
                                            "timed get threw state_error"}));
  search.state()->deliver(0, 1, encode(4)); // outside: waits as always
  exec->drain();
  EXPECT_EQ(search.get(), 4);
}

TEST(result_state, a_finished_search_is_ready_inside_a_callback) {
  auto exec = make_exec();
  auto first = single_int(exec);
  auto search = single_int(exec);
  search.state()->finished_by_executor();
  search.on_success([](int) {});
  std::optional<int> got;
  first.on_success([&](int) { got = search.get(); });
  search.state()->deliver(0, 1, encode(3));
  first.state()->deliver(0, 1, encode(1));
  exec->drain();
  EXPECT_EQ(got, 3);
}

TEST(result_state, on_ready_inside_a_callback_fires_at_the_finish) {
  auto exec = make_exec();
  auto first = single_int(exec);
  auto second = single_int(exec);
  second.on_success([](int) {});
  std::vector<std::string> seen;
  first.on_success([&](int) {
    second.state()->on_ready([&] { seen.push_back("listener"); });
    second.state()->deliver(0, 1, encode(2));
    seen.push_back("after the finish");
  });
  first.state()->deliver(0, 1, encode(1));
  exec->drain();
  EXPECT_EQ(seen, (std::vector<std::string>{"listener", "after the finish"}));
}

// -- progress
// -------------------------------------------------------------------

namespace {

using actorpool::progress;
using actorpool::detail::progress_reporter;

/// A three-chunk `map`-style result (2 + 2 + 1 items) whose progress goes to
/// `log` ("3/5", "done 5/5") with every report made.
async_result<std::vector<int>> watched_map(actorpool::detail::executor_ptr exec,
                                           std::vector<std::string>& log) {
  auto st = std::make_shared<typed_state<
    std::vector<int>>>(std::vector<uint32_t>{2, 2, 1}, exec,
                       actorpool::detail::many_decoder<std::vector<int>>());
  auto rep = progress_reporter::make(
    [&log](const progress& p) {
      log.push_back((p.finished ? "done " : "") + std::to_string(p.completed)
                    + "/" + std::to_string(p.total.value_or(0)));
    },
    0ms, 5, exec);
  rep->add_read(5);
  st->set_progress(rep);
  return async_result<std::vector<int>>{st};
}

} // namespace

TEST(result_state, progress_ends_before_callbacks_and_ready) {
  auto exec = make_exec();
  std::vector<std::string> log;
  auto res = watched_map(exec, log);
  res.state()->on_complete([&] { log.push_back("callback"); });
  res.state()->deliver(0, 2, encode(2));
  res.state()->deliver(2, 1, encode(1));
  res.state()->deliver(1, 2, encode(2));
  EXPECT_FALSE(res.ready());
  exec->drain();
  EXPECT_TRUE(res.ready());
  ASSERT_GE(log.size(), 2u);
  EXPECT_EQ(log[log.size() - 2], "done 5/5");
  EXPECT_EQ(log.back(), "callback");
  for (size_t i = 0; i + 2 < log.size(); ++i)
    EXPECT_EQ(log[i].rfind("done", 0), std::string::npos) << log[i];
}

TEST(result_state, a_failed_call_gets_its_final_report) {
  auto exec = make_exec();
  std::vector<std::string> log;
  auto res = watched_map(exec, log);
  res.state()->deliver(0, 2, encode(2));
  res.state()->fail(1, actorpool::make_error(actorpool::errc::task_failed,
                                             std::string{"boom"}));
  exec->drain();
  ASSERT_FALSE(log.empty());
  EXPECT_EQ(log.back(), "done 2/5");
}

TEST(result_state, a_cancelled_call_gets_its_final_report) {
  auto exec = make_exec();
  std::vector<std::string> log;
  auto res = watched_map(exec, log);
  EXPECT_TRUE(res.cancel());
  exec->drain();
  EXPECT_EQ(log, (std::vector<std::string>{"done 0/5"}));
}

TEST(result_state, a_wait_inside_a_callback_makes_the_final_report) {
  auto exec = make_exec();
  auto first = single_int(exec);
  std::vector<std::string> log;
  auto res = watched_map(exec, log);
  std::vector<std::string> seen_inside;
  first.on_success([&](int) {
    res.wait();
    seen_inside = log;
  });
  first.state()->deliver(0, 1, encode(1));
  res.state()->deliver(0, 2, encode(2));
  res.state()->deliver(1, 2, encode(2));
  res.state()->deliver(2, 1, encode(1));
  exec->drain();
  ASSERT_FALSE(seen_inside.empty());
  EXPECT_EQ(seen_inside.back(), "done 5/5");
  EXPECT_EQ(std::count(log.begin(), log.end(), "done 5/5"), 1);
}

TEST(result_state, a_state_without_chunks_reports_at_once) {
  std::vector<progress> reports;
  auto st = std::make_shared<actorpool::detail::result_state>(0, nullptr);
  st->set_progress(
    progress_reporter::make([&](const progress& p) { reports.push_back(p); },
                            0ms, 0, nullptr));
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_TRUE(reports[0].finished);
}
