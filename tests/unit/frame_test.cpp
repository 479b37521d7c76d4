#include "transport/frame.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "support/test_tasks.hpp"

using actorpool::errc;
using actorpool::detail::append_frame;
using actorpool::detail::decode_body;
using actorpool::detail::frame_header_size;
using actorpool::detail::frame_kind;
using actorpool::detail::frame_reader;
using actorpool::detail::frame_view;
using actorpool::detail::hello_msg;
using actorpool::detail::result_msg;
using actorpool::detail::task_msg;

namespace {

/// A frame as copied out of the reader's callback.
struct received {
  frame_kind kind;
  std::string body;
};

/// Feeds `bytes` to `rd` in pieces of `step` bytes, collecting frames.
caf::error feed(frame_reader& rd, const std::vector<char>& bytes,
                std::vector<received>& out, size_t step) {
  for (size_t pos = 0; pos < bytes.size(); pos += step) {
    auto n = std::min(step, bytes.size() - pos);
    auto err = rd.consume(bytes.data() + pos, n, [&](const frame_view& fv) {
      out.push_back(received{fv.kind, std::string{fv.body, fv.size}});
      return caf::error{};
    });
    if (err)
      return err;
  }
  return caf::error{};
}

std::vector<received> read_all(const std::vector<char>& bytes,
                               size_t step = 1 << 20) {
  frame_reader rd;
  std::vector<received> out;
  EXPECT_FALSE(feed(rd, bytes, out, step));
  EXPECT_EQ(rd.buffered(), 0u);
  return out;
}

template <class... Ts>
caf::error decode(const received& r, Ts&... xs) {
  return decode_body(frame_view{r.kind, r.body.data(), r.body.size()}, xs...);
}

std::vector<char> header(uint32_t len, uint8_t kind) {
  return {static_cast<char>(len >> 24), static_cast<char>(len >> 16),
          static_cast<char>(len >> 8), static_cast<char>(len),
          static_cast<char>(kind)};
}

caf::error consume_all(frame_reader& rd, const std::vector<char>& bytes) {
  return rd.consume(bytes.data(), bytes.size(),
                    [](const frame_view&) { return caf::error{}; });
}

std::vector<task_msg> sample_tasks() {
  return {task_msg{1, "sqr", 1, "abc"}, task_msg{2, "mul", 3, ""}};
}

} // namespace

TEST(frame, header_is_big_endian_length_then_kind) {
  std::vector<char> buf;
  uint64_t id = 7;
  ASSERT_FALSE(append_frame(buf, frame_kind::cancel, id));
  ASSERT_EQ(buf.size(), frame_header_size + 1 + 8);
  EXPECT_EQ(buf[0], 0);
  EXPECT_EQ(buf[1], 0);
  EXPECT_EQ(buf[2], 0);
  EXPECT_EQ(buf[3], 9);
  EXPECT_EQ(buf[4], static_cast<char>(frame_kind::cancel));
}

TEST(frame, hello_round_trip) {
  std::vector<char> buf;
  hello_msg in{actorpool::detail::protocol_version, 4711};
  ASSERT_FALSE(append_frame(buf, frame_kind::hello, in));
  auto frames = read_all(buf);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].kind, frame_kind::hello);
  hello_msg out;
  ASSERT_FALSE(decode(frames[0], out));
  EXPECT_EQ(out.version, actorpool::detail::protocol_version);
  EXPECT_EQ(out.pid, 4711);
}

TEST(frame, tasks_round_trip) {
  std::vector<char> buf;
  auto in = sample_tasks();
  ASSERT_FALSE(append_frame(buf, frame_kind::tasks, in));
  auto frames = read_all(buf);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].kind, frame_kind::tasks);
  std::vector<task_msg> out;
  ASSERT_FALSE(decode(frames[0], out));
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].id, 1u);
  EXPECT_EQ(out[0].name, "sqr");
  EXPECT_EQ(out[0].payload, "abc");
  EXPECT_EQ(out[1].name, "mul");
  EXPECT_EQ(out[1].count, 3u);
  EXPECT_EQ(out[1].payload, "");
}

TEST(frame, results_round_trip) {
  std::vector<char> buf;
  std::vector<result_msg> in{result_msg{5, result_msg::ok, 12, "r"},
                             result_msg{6, result_msg::failed, 0, "f"}};
  ASSERT_FALSE(append_frame(buf, frame_kind::results, in));
  auto frames = read_all(buf);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].kind, frame_kind::results);
  std::vector<result_msg> out;
  ASSERT_FALSE(decode(frames[0], out));
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].id, 5u);
  EXPECT_EQ(out[0].exec_us, 12u);
  EXPECT_EQ(out[0].payload, "r");
  EXPECT_EQ(out[1].status, result_msg::failed);
}

TEST(frame, init_round_trip) {
  std::vector<char> buf;
  task_msg in{0, "init", 1, "args"};
  ASSERT_FALSE(append_frame(buf, frame_kind::init, in));
  auto frames = read_all(buf);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].kind, frame_kind::init);
  task_msg out;
  ASSERT_FALSE(decode(frames[0], out));
  EXPECT_EQ(out.id, 0u);
  EXPECT_EQ(out.name, "init");
  EXPECT_EQ(out.payload, "args");
}

TEST(frame, cancel_round_trip) {
  std::vector<char> buf;
  uint64_t in = 0x0102030405060708;
  ASSERT_FALSE(append_frame(buf, frame_kind::cancel, in));
  auto frames = read_all(buf);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].kind, frame_kind::cancel);
  uint64_t out = 0;
  ASSERT_FALSE(decode(frames[0], out));
  EXPECT_EQ(out, in);
}

TEST(frame, shutdown_has_no_body) {
  std::vector<char> buf;
  ASSERT_FALSE(append_frame(buf, frame_kind::shutdown));
  EXPECT_EQ(buf.size(), frame_header_size + 1);
  auto frames = read_all(buf);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].kind, frame_kind::shutdown);
  EXPECT_TRUE(frames[0].body.empty());
  EXPECT_FALSE(decode(frames[0]));
}

TEST(frame, bytes_fed_one_at_a_time) {
  std::vector<char> buf;
  auto tasks = sample_tasks();
  ASSERT_FALSE(append_frame(buf, frame_kind::tasks, tasks));
  frame_reader rd;
  std::vector<received> out;
  for (size_t i = 0; i + 1 < buf.size(); ++i) {
    ASSERT_FALSE(feed(rd, {buf[i]}, out, 1));
    EXPECT_TRUE(out.empty());
    EXPECT_EQ(rd.buffered(), i + 1);
  }
  ASSERT_FALSE(feed(rd, {buf.back()}, out, 1));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(rd.buffered(), 0u);
  std::vector<task_msg> decoded;
  ASSERT_FALSE(decode(out[0], decoded));
  EXPECT_EQ(decoded.size(), 2u);
}

TEST(frame, several_frames_in_one_buffer) {
  std::vector<char> buf;
  hello_msg hello{1, 2};
  uint64_t id = 9;
  ASSERT_FALSE(append_frame(buf, frame_kind::hello, hello));
  ASSERT_FALSE(append_frame(buf, frame_kind::shutdown));
  ASSERT_FALSE(append_frame(buf, frame_kind::cancel, id));
  auto frames = read_all(buf);
  ASSERT_EQ(frames.size(), 3u);
  EXPECT_EQ(frames[0].kind, frame_kind::hello);
  EXPECT_EQ(frames[1].kind, frame_kind::shutdown);
  EXPECT_EQ(frames[2].kind, frame_kind::cancel);
  uint64_t out = 0;
  ASSERT_FALSE(decode(frames[2], out));
  EXPECT_EQ(out, 9u);
}

TEST(frame, several_frames_in_odd_pieces) {
  std::vector<char> buf;
  for (uint64_t id = 1; id <= 20; ++id)
    ASSERT_FALSE(append_frame(buf, frame_kind::cancel, id));
  frame_reader rd;
  std::vector<received> out;
  ASSERT_FALSE(feed(rd, buf, out, 7));
  ASSERT_EQ(out.size(), 20u);
  EXPECT_EQ(rd.buffered(), 0u);
  for (uint64_t id = 1; id <= 20; ++id) {
    uint64_t x = 0;
    ASSERT_FALSE(decode(out[id - 1], x));
    EXPECT_EQ(x, id);
  }
}

TEST(frame, buffered_counts_incomplete_frame) {
  std::vector<char> buf;
  uint64_t id = 1;
  ASSERT_FALSE(append_frame(buf, frame_kind::cancel, id));
  ASSERT_FALSE(append_frame(buf, frame_kind::cancel, id));
  frame_reader rd;
  std::vector<received> out;
  std::vector<char> first(buf.begin(), buf.begin() + 15);
  ASSERT_FALSE(feed(rd, first, out, first.size()));
  EXPECT_EQ(out.size(), 1u);
  EXPECT_EQ(rd.buffered(), 2u);
  std::vector<char> rest(buf.begin() + 15, buf.end());
  ASSERT_FALSE(feed(rd, rest, out, rest.size()));
  EXPECT_EQ(out.size(), 2u);
  EXPECT_EQ(rd.buffered(), 0u);
}

TEST(frame, zero_length_is_an_error) {
  frame_reader rd;
  auto bytes = header(0, 1);
  bytes.pop_back();
  EXPECT_TRUE(consume_all(rd, bytes));
}

TEST(frame, oversize_length_is_an_error) {
  frame_reader rd{4096};
  EXPECT_TRUE(consume_all(rd, header(4097, 1)));
}

TEST(frame, max_length_is_accepted) {
  frame_reader rd{16};
  auto bytes = header(16, static_cast<uint8_t>(frame_kind::shutdown));
  bytes.resize(frame_header_size + 16, '\0');
  int frames = 0;
  auto err = rd.consume(bytes.data(), bytes.size(), [&](const frame_view& fv) {
    ++frames;
    EXPECT_EQ(fv.size, 15u);
    return caf::error{};
  });
  EXPECT_FALSE(err);
  EXPECT_EQ(frames, 1);
}

TEST(frame, oversize_length_is_rejected_before_the_body) {
  frame_reader rd;
  auto bytes = header(0xFFFFFFFF, 1);
  bytes.pop_back();
  EXPECT_TRUE(consume_all(rd, bytes));
}

TEST(frame, unknown_kind_is_an_error) {
  frame_reader zero;
  EXPECT_TRUE(consume_all(zero, header(1, 0)));
  frame_reader past_end;
  auto kind = actorpool::detail::max_frame_kind + 1;
  EXPECT_TRUE(consume_all(past_end, header(1, static_cast<uint8_t>(kind))));
}

TEST(frame, callback_error_stops_reading) {
  std::vector<char> buf;
  ASSERT_FALSE(append_frame(buf, frame_kind::shutdown));
  ASSERT_FALSE(append_frame(buf, frame_kind::shutdown));
  frame_reader rd;
  int calls = 0;
  auto err = rd.consume(buf.data(), buf.size(), [&](const frame_view&) {
    ++calls;
    return caf::make_error(caf::sec::invalid_argument);
  });
  EXPECT_EQ(err, caf::sec::invalid_argument);
  EXPECT_EQ(calls, 1);
}

TEST(frame, decode_body_rejects_trailing_bytes) {
  std::vector<char> buf;
  uint64_t a = 1;
  uint64_t b = 2;
  ASSERT_FALSE(append_frame(buf, frame_kind::cancel, a, b));
  auto frames = read_all(buf);
  ASSERT_EQ(frames.size(), 1u);
  uint64_t out = 0;
  EXPECT_TRUE(decode(frames[0], out));
}

TEST(frame, decode_body_rejects_short_body) {
  std::vector<char> buf;
  uint32_t small = 1;
  ASSERT_FALSE(append_frame(buf, frame_kind::cancel, small));
  auto frames = read_all(buf);
  ASSERT_EQ(frames.size(), 1u);
  uint64_t out = 0;
  EXPECT_TRUE(decode(frames[0], out));
}

TEST(frame, append_failure_leaves_buffer_unchanged) {
  std::vector<char> buf;
  ASSERT_FALSE(append_frame(buf, frame_kind::shutdown));
  auto before = buf;
  uint64_t id = 1;
  actorpool::test::unsendable u{3};
  EXPECT_TRUE(append_frame(buf, frame_kind::cancel, id, u));
  EXPECT_EQ(buf, before);
}

// -- the frame size limit -----------------------------------------------------

namespace {

using actorpool::detail::frame_length_bound;

/// The length field of the first frame in `buf`.
size_t length_of(const std::vector<char>& buf) {
  auto u = reinterpret_cast<const unsigned char*>(buf.data());
  return (size_t{u[0]} << 24) | (size_t{u[1]} << 16) | (size_t{u[2]} << 8)
         | size_t{u[3]};
}

/// A task with the largest fixed-size fields and strings long enough for
/// five-byte varint lengths.
task_msg big_task(size_t name_size, size_t payload_size) {
  return task_msg{UINT64_MAX, std::string(name_size, 'n'), UINT32_MAX,
                  std::string(payload_size, 'p'), 0xff};
}

} // namespace

TEST(frame, bounded_append_rejects_a_frame_over_the_limit) {
  std::vector<char> buf;
  ASSERT_FALSE(append_frame(buf, frame_kind::shutdown));
  auto before = buf;
  std::vector<result_msg> rs{
    result_msg{1, result_msg::ok, 0, std::string(5000, 'r')}};
  auto err = actorpool::detail::append_bounded_frame(buf, 4096,
                                                     frame_kind::results, rs);
  EXPECT_EQ(err.category(), actorpool::errc_category);
  EXPECT_EQ(static_cast<errc>(err.code()), errc::encoding_failed);
  EXPECT_NE(actorpool::render(err).find("4096"), std::string::npos);
  EXPECT_EQ(buf, before);
}

TEST(frame, bounded_append_accepts_a_frame_at_the_limit) {
  std::vector<char> exact;
  uint64_t id = 9;
  ASSERT_FALSE(append_frame(exact, frame_kind::cancel, id));
  auto length = length_of(exact);
  std::vector<char> buf;
  EXPECT_FALSE(actorpool::detail::append_bounded_frame(buf, length,
                                                       frame_kind::cancel, id));
  EXPECT_EQ(buf, exact);
  buf.clear();
  EXPECT_TRUE(actorpool::detail::append_bounded_frame(buf, length - 1,
                                                      frame_kind::cancel, id));
  EXPECT_TRUE(buf.empty());
}

TEST(frame, length_bound_covers_every_message_kind) {
  // Strings of 2^21 bytes and more take the longest varint length the
  // messages use in practice; the bound must hold for any mix of them.
  size_t big = size_t{1} << 21;
  std::vector<task_msg> tasks{big_task(100, big), big_task(0, 0),
                              big_task(big, 1)};
  std::vector<char> buf;
  ASSERT_FALSE(append_frame(buf, frame_kind::tasks, tasks));
  EXPECT_LE(length_of(buf), frame_length_bound(3, 100 + big + big + 1));
  std::vector<result_msg> results{result_msg{UINT64_MAX, 0xff, UINT32_MAX,
                                             std::string(big, 'r')},
                                  result_msg{}};
  buf.clear();
  ASSERT_FALSE(append_frame(buf, frame_kind::results, results));
  EXPECT_LE(length_of(buf), frame_length_bound(2, big));
  actorpool::detail::service_call_msg call{UINT64_MAX, UINT64_MAX, UINT64_MAX,
                                           0xff, std::string(big, 'c')};
  buf.clear();
  ASSERT_FALSE(append_frame(buf, frame_kind::service_call, call));
  EXPECT_LE(length_of(buf), frame_length_bound(1, big));
  actorpool::detail::service_reply_msg reply{UINT64_MAX, 0xff,
                                             std::string(big, 'r')};
  buf.clear();
  ASSERT_FALSE(append_frame(buf, frame_kind::service_reply, reply));
  EXPECT_LE(length_of(buf), frame_length_bound(1, big));
  auto limit = size_t{1} << 20;
  EXPECT_EQ(frame_length_bound(1, actorpool::detail::max_payload_size(limit)),
            limit);
}

TEST(frame, task_size_check_uses_the_bound) {
  using actorpool::detail::check_task_size;
  auto fits = frame_length_bound(1, 4 + 1000);
  EXPECT_FALSE(check_task_size("task", 1000, fits));
  auto err = check_task_size("task", 1001, fits);
  EXPECT_EQ(static_cast<errc>(err.code()), errc::encoding_failed);
  EXPECT_NE(actorpool::render(err).find("1001 bytes"), std::string::npos);
}

TEST(frame, frame_limit_from_the_environment) {
  using actorpool::detail::default_max_frame_size;
  using actorpool::detail::parse_frame_limit;
  EXPECT_EQ(parse_frame_limit("1048576"), 1048576u);
  EXPECT_EQ(parse_frame_limit("4096"), 4096u);
  EXPECT_EQ(parse_frame_limit("1073741824"), size_t{1} << 30);
  EXPECT_EQ(parse_frame_limit(""), default_max_frame_size);
  EXPECT_EQ(parse_frame_limit("4095"), default_max_frame_size);
  EXPECT_EQ(parse_frame_limit("1073741825"), default_max_frame_size);
  EXPECT_EQ(parse_frame_limit("12ab"), default_max_frame_size);
  EXPECT_EQ(parse_frame_limit("-5000"), default_max_frame_size);
  EXPECT_EQ(parse_frame_limit("99999999999999999999999"),
            default_max_frame_size);
}

TEST(frame, receive_buffer_takes_the_rest_of_a_frame_in_one_piece) {
  std::vector<char> bytes;
  std::vector<task_msg> batch{{1, "t", 1, std::string(300000, 'p'), 0}};
  ASSERT_FALSE(append_frame(bytes, frame_kind::tasks, batch));
  auto first = bytes.size();
  ASSERT_FALSE(append_frame(bytes, frame_kind::shutdown));
  frame_reader rd;
  std::vector<received> out;
  auto on_frame = [&](const frame_view& fv) {
    out.push_back(received{fv.kind, std::string{fv.body, fv.size}});
    return caf::error{};
  };
  // The header first: then the room holds all of the rest of the frame.
  auto room = rd.receive_buffer(frame_header_size);
  ASSERT_GE(room.second, frame_header_size);
  std::copy(bytes.begin(), bytes.begin() + frame_header_size, room.first);
  ASSERT_FALSE(rd.commit(frame_header_size, on_frame));
  auto rest = first - frame_header_size;
  room = rd.receive_buffer(1);
  ASSERT_GE(room.second, rest);
  std::copy(bytes.begin() + frame_header_size, bytes.begin() + first,
            room.first);
  ASSERT_FALSE(rd.commit(rest, on_frame));
  ASSERT_EQ(out.size(), 1u);
  ASSERT_FALSE(
    rd.consume(bytes.data() + first, bytes.size() - first, on_frame));
  ASSERT_EQ(out.size(), 2u);
  std::vector<task_msg> got;
  ASSERT_FALSE(decode(out[0], got));
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].payload, batch[0].payload.str());
  EXPECT_EQ(out[1].kind, frame_kind::shutdown);
  EXPECT_EQ(rd.buffered(), 0u);
}

TEST(frame, receive_buffer_and_consume_mix_in_odd_pieces) {
  std::vector<char> bytes;
  for (uint64_t id = 1; id <= 20; ++id)
    ASSERT_FALSE(append_frame(bytes, frame_kind::cancel, id));
  frame_reader rd;
  std::vector<received> out;
  auto on_frame = [&](const frame_view& fv) {
    out.push_back(received{fv.kind, std::string{fv.body, fv.size}});
    return caf::error{};
  };
  size_t pos = 0;
  for (size_t step = 1; pos < bytes.size(); ++step) {
    auto n = std::min(step, bytes.size() - pos);
    if (step % 2 == 0) {
      ASSERT_FALSE(rd.consume(bytes.data() + pos, n, on_frame));
    } else {
      auto room = rd.receive_buffer(n);
      ASSERT_GE(room.second, n);
      std::copy(bytes.begin() + pos, bytes.begin() + pos + n, room.first);
      ASSERT_FALSE(rd.commit(n, on_frame));
    }
    pos += n;
  }
  ASSERT_EQ(out.size(), 20u);
  for (uint64_t id = 1; id <= 20; ++id) {
    uint64_t got = 0;
    ASSERT_FALSE(decode(out[id - 1], got));
    EXPECT_EQ(got, id);
  }
  EXPECT_EQ(rd.buffered(), 0u);
}
