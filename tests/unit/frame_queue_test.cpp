#include "transport/frame_queue.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <string>
#include <vector>

using actorpool::errc;
using actorpool::detail::append_bounded_frame;
using actorpool::detail::append_frame;
using actorpool::detail::frame_kind;
using actorpool::detail::frame_queue;
using actorpool::detail::piece_sink;
using actorpool::detail::service_reply_msg;
using actorpool::detail::shared_payload;
using actorpool::detail::task_msg;

namespace {

/// A batch of tasks with payloads of `sizes` bytes, each byte telling its
/// task and position apart.
std::vector<task_msg> batch_of(const std::vector<size_t>& sizes) {
  std::vector<task_msg> result;
  for (size_t i = 0; i < sizes.size(); ++i) {
    std::string payload(sizes[i], '\0');
    for (size_t j = 0; j < payload.size(); ++j)
      payload[j] = static_cast<char>('a' + (i * 7 + j) % 26);
    result.push_back(task_msg{i + 1, "task" + std::to_string(i),
                              static_cast<uint32_t>(i + 1), std::move(payload),
                              static_cast<uint8_t>(i % 2)});
  }
  return result;
}

/// The bytes `append_frame` writes for `batch`.
std::vector<char> expected_tasks_frame(std::vector<task_msg> batch) {
  std::vector<char> buf;
  EXPECT_FALSE(append_frame(buf, frame_kind::tasks, batch));
  return buf;
}

/// Everything in `q`, taken out `step` bytes at a time.
std::vector<char> drain(frame_queue& q, size_t step) {
  std::vector<char> out;
  while (!q.empty())
    EXPECT_GT(q.take_front(out, step), 0u);
  return out;
}

/// Everything readable from `fd` without blocking.
void read_available(int fd, std::vector<char>& out) {
  char buf[65536];
  for (;;) {
    auto n = ::recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
    if (n <= 0)
      return;
    out.insert(out.end(), buf, buf + n);
  }
}

} // namespace

TEST(frame_queue, frame_bytes_equal_those_of_append_frame) {
  std::vector<size_t> sizes{0, 10, piece_sink::min_piece_size, 100000, 3};
  auto expected = expected_tasks_frame(batch_of(sizes));
  frame_queue q;
  ASSERT_FALSE(q.append(UINT32_MAX, frame_kind::tasks, batch_of(sizes)));
  EXPECT_EQ(q.size(), expected.size());
  for (size_t step : {size_t{1}, size_t{7}, size_t{4096}, size_t{1} << 20}) {
    frame_queue again;
    ASSERT_FALSE(again.append(UINT32_MAX, frame_kind::tasks, batch_of(sizes)));
    EXPECT_EQ(drain(again, step), expected) << "step " << step;
  }
}

TEST(frame_queue, frames_keep_their_order) {
  std::vector<char> expected;
  uint64_t id = 9;
  service_reply_msg reply{3, service_reply_msg::ok, std::string(5000, 'r')};
  ASSERT_FALSE(append_frame(expected, frame_kind::cancel, id));
  ASSERT_FALSE(append_frame(expected, frame_kind::service_reply, reply));
  ASSERT_FALSE(append_frame(expected, frame_kind::shutdown));
  frame_queue q;
  ASSERT_FALSE(q.append(UINT32_MAX, frame_kind::cancel, id));
  ASSERT_FALSE(q.append(UINT32_MAX, frame_kind::service_reply, reply));
  ASSERT_FALSE(q.append(UINT32_MAX, frame_kind::shutdown));
  EXPECT_EQ(drain(q, 1000), expected);
}

TEST(frame_queue, long_strings_are_pointed_at_not_copied) {
  auto batch = batch_of({piece_sink::min_piece_size, 10});
  shared_payload kept = batch[0].payload;
  piece_sink sink;
  ASSERT_FALSE(sink(batch));
  auto pieces = sink.take_pieces();
  ASSERT_EQ(pieces.size(), 3u); // fields, the long payload, the rest
  EXPECT_EQ(pieces[1].data, kept.data());
  EXPECT_EQ(pieces[1].size, kept.size());
  EXPECT_EQ(pieces[1].owner, nullptr);
  std::string joined;
  for (auto& piece : pieces)
    joined.append(piece.data, piece.size);
  std::string expected;
  actorpool::detail::encode_into(expected, batch);
  EXPECT_EQ(joined, expected);
}

TEST(frame_queue, an_oversize_frame_is_refused_and_leaves_the_queue_alone) {
  auto batch = batch_of({10000});
  std::vector<char> limit_buf;
  auto limited = append_bounded_frame(limit_buf, 5000, frame_kind::tasks,
                                      batch);
  frame_queue q;
  ASSERT_FALSE(q.append(UINT32_MAX, frame_kind::cancel, uint64_t{1}));
  auto size = q.size();
  auto err = q.append(5000, frame_kind::tasks, batch_of({10000}));
  ASSERT_TRUE(err);
  EXPECT_EQ(err, limited);
  EXPECT_EQ(static_cast<errc>(err.code()), errc::encoding_failed);
  EXPECT_EQ(q.size(), size);
}

TEST(frame_queue, write_some_sends_everything_through_a_full_socket) {
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  std::vector<size_t> sizes{3 << 20, 17, 1 << 20};
  auto expected = expected_tasks_frame(batch_of(sizes));
  frame_queue q;
  ASSERT_FALSE(q.append(UINT32_MAX, frame_kind::tasks, batch_of(sizes)));
  std::vector<char> got;
  size_t rounds = 0;
  while (!q.empty()) {
    ASSERT_EQ(q.write_some(fds[0]), 0);
    read_available(fds[1], got);
    ++rounds;
  }
  read_available(fds[1], got);
  EXPECT_GT(rounds, 1u); // the socket filled up on the way
  EXPECT_EQ(got, expected);
  ::close(fds[0]);
  ::close(fds[1]);
}

TEST(frame_queue, write_some_reports_a_closed_peer) {
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  ::close(fds[1]);
  frame_queue q;
  ASSERT_FALSE(q.append(UINT32_MAX, frame_kind::cancel, uint64_t{1}));
  EXPECT_EQ(q.write_some(fds[0]), EPIPE); // and no SIGPIPE
  EXPECT_FALSE(q.empty());
  ::close(fds[0]);
}
