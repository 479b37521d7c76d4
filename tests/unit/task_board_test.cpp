// The worker's task board: which tasks are queued, running, or dropped by a
// cancel or a revoke.

#include "worker/task_board.hpp"

#include <vector>

#include <gtest/gtest.h>

using actorpool::detail::task_board;
using actorpool::detail::task_msg;

namespace {

std::vector<task_msg> tasks(std::vector<uint64_t> ids) {
  std::vector<task_msg> result;
  for (auto id : ids)
    result.push_back(task_msg{id, "t", 1, {}, 0});
  return result;
}

} // namespace

// -- task_board ---------------------------------------------------------------

TEST(task_board, a_revoked_task_that_has_not_started_is_skipped) {
  task_board board;
  board.queued(tasks({1, 2}));
  EXPECT_TRUE(board.revoke(2));
  EXPECT_TRUE(board.start(1));
  board.finish();
  EXPECT_FALSE(board.start(2));
  EXPECT_FALSE(board.revoke(2)); // dropped already
}

TEST(task_board, a_running_task_ignores_a_revoke) {
  task_board board;
  board.queued(tasks({1}));
  ASSERT_TRUE(board.start(1));
  EXPECT_FALSE(board.revoke(1));
  EXPECT_FALSE(board.cancelled()); // unlike a cancel
  board.finish();
  EXPECT_FALSE(board.revoke(1));
  EXPECT_FALSE(board.revoke(99)); // never seen
}

TEST(task_board, a_task_sent_again_after_a_revoke_runs_once) {
  task_board board;
  board.queued(tasks({1, 2}));
  ASSERT_TRUE(board.revoke(2));
  board.queued(tasks({2})); // taken back, then sent again behind itself
  EXPECT_TRUE(board.start(1));
  board.finish();
  EXPECT_FALSE(board.start(2)); // the copy that was taken back
  EXPECT_TRUE(board.start(2)); // the copy sent again
  board.finish();
}

TEST(task_board, a_task_sent_again_can_be_taken_back_again) {
  task_board board;
  board.queued(tasks({1, 2}));
  ASSERT_TRUE(board.revoke(2));
  board.queued(tasks({2}));
  EXPECT_TRUE(board.revoke(2));
  EXPECT_TRUE(board.start(1));
  board.finish();
  EXPECT_FALSE(board.start(2));
  EXPECT_FALSE(board.start(2));
}

TEST(task_board, a_cancel_still_drops_a_queued_task) {
  task_board board;
  board.queued(tasks({1}));
  EXPECT_EQ(board.cancel(1), task_board::cancel_outcome::dropped);
  EXPECT_FALSE(board.start(1));
}
