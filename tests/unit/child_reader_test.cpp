// A worker reading frames from the parent: work goes to the runner (and
// tasks onto the board), cancels and revokes of tasks not started are
// reported at once, replies complete service calls, shutdown ends the
// reading, and frames a worker does not take are errors.

#include "worker/child_reader.hpp"

#include <chrono>
#include <cstdint>
#include <future>
#include <string>
#include <vector>

#include <caf/message.hpp>
#include <caf/sec.hpp>
#include <gtest/gtest.h>

#include "base/atoms.hpp"
#include "transport/frame.hpp"

using namespace actorpool::detail;

namespace {

std::vector<task_msg> tasks(std::vector<uint64_t> ids) {
  std::vector<task_msg> result;
  for (auto id : ids)
    result.push_back(task_msg{id, "t" + std::to_string(id), 1, {}, 0});
  return result;
}

/// A worker's reader with fakes around it: the messages to the runner and
/// the results frames to the parent are recorded.
class worker_end {
public:
  worker_end()
    : calls(
      [this](service_call_msg& msg) {
        first_call.set_value(msg.call_id);
        return caf::error{};
      },
      default_max_frame_size),
      reader_([this](caf::message msg) { to_runner.push_back(std::move(msg)); },
              [this](std::vector<result_msg>& rs) {
                to_parent.push_back(rs);
                return caf::error{};
              },
              board, calls, default_max_frame_size) {
    // nop
  }

  /// Frames from the parent, fed to the reader in one piece.
  template <class... Ts>
  caf::error receive(frame_kind kind, Ts... xs) {
    std::vector<char> bytes;
    EXPECT_FALSE(append_frame(bytes, kind, xs...));
    return reader_.consume(bytes.data(), bytes.size());
  }

  caf::error receive_bytes(const std::vector<char>& bytes) {
    return reader_.consume(bytes.data(), bytes.size());
  }

  child_reader& reader() {
    return reader_;
  }

  /// The ids (and statuses) of every results frame written.
  std::vector<std::vector<uint64_t>> reported_not_started() const {
    std::vector<std::vector<uint64_t>> result;
    for (auto& rs : to_parent) {
      result.emplace_back();
      for (auto& r : rs) {
        EXPECT_EQ(r.status, result_msg::not_started);
        result.back().push_back(r.id);
      }
    }
    return result;
  }

  task_board board;
  std::vector<caf::message> to_runner;
  std::vector<std::vector<result_msg>> to_parent;
  /// The id of the one service call a test makes.
  std::promise<uint64_t> first_call;
  call_table calls;

private:
  child_reader reader_;
};

using id_lists = std::vector<std::vector<uint64_t>>;

} // namespace

// -- work ---------------------------------------------------------------------

TEST(child_reader, tasks_go_onto_the_board_and_to_the_runner) {
  worker_end w;
  EXPECT_FALSE(w.receive(frame_kind::tasks, tasks({1, 2})));
  ASSERT_EQ(w.to_runner.size(), 1u);
  auto& msg = w.to_runner[0];
  ASSERT_TRUE((msg.match_elements<tasks_atom, std::vector<task_msg>>()));
  auto& batch = msg.get_as<std::vector<task_msg>>(1);
  ASSERT_EQ(batch.size(), 2u);
  EXPECT_EQ(batch[0].name, "t1");
  EXPECT_EQ(batch[1].id, 2u);
  // On the board: a cancel drops them (they have not started).
  EXPECT_EQ(w.board.cancel(2), task_board::cancel_outcome::dropped);
  EXPECT_FALSE(w.reader().done());
}

TEST(child_reader, init_and_target_go_to_the_runner) {
  worker_end w;
  EXPECT_FALSE(w.receive(frame_kind::init, task_msg{0, "setup", 1, {}, 0}));
  EXPECT_FALSE(w.receive(frame_kind::target, task_msg{1, "main", 1, {}, 0}));
  ASSERT_EQ(w.to_runner.size(), 2u);
  ASSERT_TRUE((w.to_runner[0].match_elements<init_atom, task_msg>()));
  EXPECT_EQ(w.to_runner[0].get_as<task_msg>(1).name, "setup");
  ASSERT_TRUE((w.to_runner[1].match_elements<target_atom, task_msg>()));
  EXPECT_EQ(w.to_runner[1].get_as<task_msg>(1).name, "main");
  // Neither is on the board: a cancel finds nothing to drop.
  EXPECT_EQ(w.board.cancel(1), task_board::cancel_outcome::unknown);
}

TEST(child_reader, frames_split_across_reads_are_handled_once_whole) {
  worker_end w;
  std::vector<char> bytes;
  auto batch = tasks({1});
  ASSERT_FALSE(append_frame(bytes, frame_kind::tasks, batch));
  uint64_t id = 1;
  ASSERT_FALSE(append_frame(bytes, frame_kind::cancel, id));
  for (size_t i = 0; i < bytes.size(); ++i) {
    EXPECT_FALSE(w.receive_bytes({bytes[i]}));
    auto cancel_size = frame_header_size + 1 + sizeof(uint64_t);
    auto whole_tasks = i + 1 >= bytes.size() - cancel_size;
    EXPECT_EQ(w.to_runner.size(), whole_tasks ? 1u : 0u) << i;
  }
  EXPECT_EQ(w.reported_not_started(), (id_lists{{1}}));
}

// -- cancel -------------------------------------------------------------------

TEST(child_reader, a_cancel_of_a_task_not_started_reports_it_at_once) {
  worker_end w;
  ASSERT_FALSE(w.receive(frame_kind::tasks, tasks({1, 2})));
  EXPECT_FALSE(w.receive(frame_kind::cancel, uint64_t{2}));
  EXPECT_EQ(w.reported_not_started(), (id_lists{{2}}));
  EXPECT_TRUE(w.board.start(1));
  w.board.finish();
  EXPECT_FALSE(w.board.start(2)); // the runner skips it
}

TEST(child_reader, a_cancel_of_a_running_task_sets_its_flag_only) {
  worker_end w;
  ASSERT_FALSE(w.receive(frame_kind::tasks, tasks({1})));
  ASSERT_TRUE(w.board.start(1));
  EXPECT_FALSE(w.receive(frame_kind::cancel, uint64_t{1}));
  EXPECT_TRUE(w.to_parent.empty()); // it reports when it returns
  EXPECT_TRUE(w.board.cancelled());
  w.board.finish();
}

TEST(child_reader, a_cancel_of_an_unknown_task_does_nothing) {
  worker_end w;
  EXPECT_FALSE(w.receive(frame_kind::cancel, uint64_t{5}));
  EXPECT_TRUE(w.to_parent.empty());
  EXPECT_FALSE(w.board.cancelled());
}

// -- revoke -------------------------------------------------------------------

TEST(child_reader, a_revoke_reports_the_tasks_not_started_in_one_frame) {
  worker_end w;
  ASSERT_FALSE(w.receive(frame_kind::tasks, tasks({1, 2, 3})));
  ASSERT_TRUE(w.board.start(1));
  std::vector<uint64_t> ids{1, 3, 2, 9};
  EXPECT_FALSE(w.receive(frame_kind::revoke, ids));
  // 1 runs on, 9 was never seen.
  EXPECT_EQ(w.reported_not_started(), (id_lists{{3, 2}}));
  EXPECT_FALSE(w.board.cancelled());
  w.board.finish();
  EXPECT_FALSE(w.board.start(2));
  EXPECT_FALSE(w.board.start(3));
}

TEST(child_reader, a_revoke_that_takes_nothing_back_writes_nothing) {
  worker_end w;
  ASSERT_FALSE(w.receive(frame_kind::tasks, tasks({1})));
  ASSERT_TRUE(w.board.start(1));
  EXPECT_FALSE(w.receive(frame_kind::revoke, std::vector<uint64_t>{1, 4}));
  EXPECT_FALSE(w.receive(frame_kind::revoke, std::vector<uint64_t>{}));
  EXPECT_TRUE(w.to_parent.empty());
  w.board.finish();
}

// -- service replies ----------------------------------------------------------

TEST(child_reader, a_service_reply_completes_its_call) {
  worker_end w;
  auto id = w.first_call.get_future();
  auto result = std::async(std::launch::async,
                           [&w] { return w.calls.call(1, 2, 3, "in"); });
  ASSERT_EQ(id.wait_for(std::chrono::seconds{10}), std::future_status::ready);
  service_reply_msg reply{id.get(), service_reply_msg::ok, "out"};
  EXPECT_FALSE(w.receive(frame_kind::service_reply, reply));
  ASSERT_EQ(result.wait_for(std::chrono::seconds{10}),
            std::future_status::ready);
  EXPECT_EQ(result.get().payload, "out");
  EXPECT_TRUE(w.to_runner.empty());
}

// -- shutdown -----------------------------------------------------------------

TEST(child_reader, shutdown_goes_to_the_runner_and_ends_the_reading) {
  worker_end w;
  EXPECT_FALSE(w.receive(frame_kind::shutdown));
  EXPECT_TRUE(w.reader().done());
  ASSERT_EQ(w.to_runner.size(), 1u);
  EXPECT_TRUE(w.to_runner[0].match_elements<shutdown_atom>());
}

// -- bad frames ---------------------------------------------------------------

TEST(child_reader, frames_only_a_worker_sends_are_errors) {
  for (auto kind : {frame_kind::hello, frame_kind::results,
                    frame_kind::service_call, frame_kind::refusal}) {
    worker_end w;
    auto err = w.receive(kind, uint8_t{0});
    EXPECT_EQ(err, caf::sec::unexpected_message) << static_cast<int>(kind);
    EXPECT_TRUE(w.to_runner.empty());
    EXPECT_TRUE(w.to_parent.empty());
  }
}

TEST(child_reader, a_body_that_does_not_decode_is_an_error) {
  worker_end w;
  EXPECT_TRUE(w.receive(frame_kind::tasks, uint8_t{1}));
  EXPECT_TRUE(w.to_runner.empty());
  worker_end w2;
  EXPECT_TRUE(w2.receive(frame_kind::cancel, uint64_t{1}, uint8_t{0}));
  EXPECT_TRUE(w2.to_parent.empty());
}

TEST(child_reader, a_bad_length_or_kind_is_an_error) {
  worker_end w;
  EXPECT_TRUE(w.receive_bytes({0, 0, 0, 0}));
  worker_end w2;
  EXPECT_TRUE(w2.receive_bytes({0, 0, 0, 1, char(max_frame_kind + 1)}));
  worker_end w3;
  EXPECT_TRUE(w3.receive_bytes({0x7f, 0, 0, 0}));
}
