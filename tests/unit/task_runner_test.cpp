// The worker's task runner, in this process: tasks run in order and report
// through the outbox; tasks dropped before they start do not run; a failed
// initializer fails every later task; a result too long for a frame fails
// its task; shutdown flushes and closes the outbox.

#include "worker/task_runner.hpp"

#include <cstdint>
#include <initializer_list>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/make_message.hpp>
#include <caf/scoped_actor.hpp>
#include <gtest/gtest.h>

#include "actorpool/detail/codec.hpp"
#include "actorpool/errc.hpp"
#include "base/atoms.hpp"
#include "transport/frame.hpp"
#include "worker/result_outbox.hpp"
#include "worker/task_board.hpp"
#include "worker/worker_channel.hpp"

using actorpool::errc;
using namespace actorpool::detail;
using caf::make_message;

namespace {

template <class... Ts>
task_msg task(uint64_t id, const std::string& name, Ts... args) {
  auto xs = std::make_tuple(args...);
  std::string payload;
  encode_tuple(payload, xs);
  return task_msg{id, name, 1, std::move(payload), 0};
}

/// A runner with its board and outbox, in an actor system of its own; the
/// results it sends are recorded.
class runner_end {
public:
  explicit runner_end(size_t max_frame_size = default_max_frame_size)
    : channel(-1, max_frame_size),
      outbox([this](std::vector<result_msg>& rs) { record(rs); },
             max_frame_size),
      runner_(spawn_task_runner(sys_, &channel, &board, &outbox)) {
    // nop
  }

  /// Sends `msgs` to the runner, then shutdown, and waits until it stops.
  void run(std::initializer_list<caf::message> msgs) {
    caf::scoped_actor self{sys_};
    for (auto& msg : msgs)
      self->send(runner_, msg);
    self->send(runner_, shutdown_atom::value);
    self->wait_for(runner_);
  }

  /// What the runner reported, in order.
  std::vector<result_msg> results() {
    std::lock_guard<std::mutex> guard{mtx_};
    return results_;
  }

  /// The socket end the runner asks for the frame limit (never written).
  worker_channel channel;
  task_board board;
  result_outbox outbox;

private:
  void record(std::vector<result_msg>& rs) {
    std::lock_guard<std::mutex> guard{mtx_};
    results_.insert(results_.end(), rs.begin(), rs.end());
  }

  std::mutex mtx_;
  std::vector<result_msg> results_;
  caf::actor_system_config cfg_;
  caf::actor_system sys_{cfg_};
  caf::actor runner_;
};

int decoded_int(const result_msg& r) {
  decoder src{r.payload};
  int x = 0;
  src.read(x);
  return x;
}

failure_msg decoded_failure(const result_msg& r) {
  EXPECT_EQ(r.status, result_msg::failed);
  decoder src{r.payload};
  failure_msg f;
  src.read(f);
  return f;
}

std::vector<uint64_t> ids_of(const std::vector<result_msg>& rs) {
  std::vector<uint64_t> ids;
  for (auto& r : rs)
    ids.push_back(r.id);
  return ids;
}

const std::string sqr = "actorpool::test::sqr";

} // namespace

// -- tasks --------------------------------------------------------------------

TEST(task_runner, a_batch_runs_in_order_and_reports_every_result) {
  runner_end w;
  std::vector<task_msg> batch{task(1, sqr, 3), task(2, sqr, 4)};
  w.board.queued(batch);
  w.run({make_message(tasks_atom::value, batch)});
  auto rs = w.results();
  ASSERT_EQ(ids_of(rs), (std::vector<uint64_t>{1, 2}));
  EXPECT_EQ(rs[0].status, result_msg::ok);
  EXPECT_EQ(decoded_int(rs[0]), 9);
  EXPECT_EQ(decoded_int(rs[1]), 16);
}

TEST(task_runner, a_task_dropped_before_it_starts_does_not_run) {
  runner_end w;
  std::vector<task_msg> batch{task(1, sqr, 1), task(2, sqr, 2),
                              task(3, sqr, 3)};
  w.board.queued(batch);
  ASSERT_EQ(w.board.cancel(2), task_board::cancel_outcome::dropped);
  ASSERT_TRUE(w.board.revoke(3));
  w.run({make_message(tasks_atom::value, batch)});
  EXPECT_EQ(ids_of(w.results()), (std::vector<uint64_t>{1}));
}

TEST(task_runner, an_unknown_task_fails_with_unknown_task) {
  runner_end w;
  std::vector<task_msg> batch{task(1, "no.such.task", 1), task(2, sqr, 2)};
  w.board.queued(batch);
  w.run({make_message(tasks_atom::value, batch)});
  auto rs = w.results();
  ASSERT_EQ(ids_of(rs), (std::vector<uint64_t>{1, 2}));
  auto f = decoded_failure(rs[0]);
  EXPECT_EQ(f.code, static_cast<uint8_t>(errc::unknown_task));
  EXPECT_NE(f.message.find("no.such.task"), std::string::npos) << f.message;
  EXPECT_EQ(decoded_int(rs[1]), 4); // the worker goes on
}

TEST(task_runner, a_throwing_task_fails_with_its_exception) {
  runner_end w;
  std::vector<task_msg> batch{task(1, "actorpool::test::raising")};
  w.board.queued(batch);
  w.run({make_message(tasks_atom::value, batch)});
  auto rs = w.results();
  ASSERT_EQ(rs.size(), 1u);
  auto f = decoded_failure(rs[0]);
  EXPECT_EQ(f.code, static_cast<uint8_t>(errc::task_failed));
  EXPECT_NE(f.type_name.find("key_error"), std::string::npos) << f.type_name;
}

// -- initializer --------------------------------------------------------------

TEST(task_runner, tasks_after_a_failed_initializer_fail_with_its_reason) {
  runner_end w;
  std::vector<task_msg> batch{task(1, sqr, 2)};
  w.board.queued(batch);
  w.run({make_message(init_atom::value,
                      task(0, "actorpool::test::failing_initializer")),
         make_message(tasks_atom::value, batch)});
  auto rs = w.results();
  ASSERT_EQ(ids_of(rs), (std::vector<uint64_t>{0, 1}));
  auto init = decoded_failure(rs[0]);
  EXPECT_EQ(init.code, static_cast<uint8_t>(errc::task_failed));
  auto f = decoded_failure(rs[1]);
  EXPECT_EQ(f.code, static_cast<uint8_t>(errc::initializer_failed));
  EXPECT_NE(f.message.find("initializer refuses"), std::string::npos)
    << f.message;
}

// -- limits and shutdown ------------------------------------------------------

TEST(task_runner, a_result_too_long_for_a_frame_fails_its_task) {
  runner_end w{min_frame_size_limit};
  std::vector<task_msg> batch{task(1, "actorpool::test::repeat",
                                   std::string{"x"},
                                   static_cast<int>(min_frame_size_limit)),
                              task(2, sqr, 5)};
  w.board.queued(batch);
  w.run({make_message(tasks_atom::value, batch)});
  auto rs = w.results();
  ASSERT_EQ(ids_of(rs), (std::vector<uint64_t>{1, 2}));
  auto f = decoded_failure(rs[0]);
  EXPECT_EQ(f.code, static_cast<uint8_t>(errc::encoding_failed));
  EXPECT_EQ(decoded_int(rs[1]), 25);
}

TEST(task_runner, shutdown_closes_the_outbox) {
  runner_end w;
  w.run({make_message(tasks_atom::value, std::vector<task_msg>{})});
  EXPECT_FALSE(w.outbox.watch()); // closed: returns at once
  EXPECT_TRUE(w.results().empty());
}
