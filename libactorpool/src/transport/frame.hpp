#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <caf/error.hpp>
#include <caf/sec.hpp>

#include "actorpool/detail/codec.hpp"
#include "transport/messages.hpp"

namespace actorpool::detail {

/// Frames on a worker socket: `u32 length (big endian) | u8 kind | body`,
/// where `length` counts kind and body, and the body is the CAF binary
/// encoding of the kind's message.
constexpr size_t frame_header_size = 4;

/// Default upper bound of a frame's length (`pool_options::max_frame_size`).
constexpr size_t default_max_frame_size = size_t{256} << 20;

/// Bounds of the frame size limit a pool accepts. The upper one stays far
/// below the 4 GiB that the `u32` length could express: each end holds a
/// frame several times over while it encodes and decodes it.
constexpr size_t min_frame_size_limit = 4096;
constexpr size_t max_frame_size_limit = size_t{1} << 30;

/// Upper bound of what one message of a frame (`task_msg`, `result_msg`,
/// `service_call_msg`, `service_reply_msg`) takes besides its strings.
constexpr size_t message_overhead = 32;

/// Upper bound of what a frame's length counts besides its messages: the
/// kind and a vector length.
constexpr size_t frame_overhead = 8;

/// Upper bound of the length of a frame of `count` messages whose strings
/// hold `string_bytes` together.
constexpr size_t frame_length_bound(size_t count, size_t string_bytes) {
  return frame_overhead + count * message_overhead + string_bytes;
}

/// Longest string a frame of one message holds under the limit `max`.
constexpr size_t max_payload_size(size_t max) {
  return max - frame_overhead - message_overhead;
}

/// An `errc::encoding_failed` error if a task of `name` whose encoded
/// arguments take `payload_size` bytes may not fit in a frame of at most
/// `max` bytes; `what` names the arguments in the message.
caf::error check_task_size(const std::string& name, size_t payload_size,
                           size_t max, const char* what = "arguments");

/// The limit of frame lengths on this worker's socket: the pool's
/// `max_frame_size`, passed in the environment (`max_frame_env_var`). The
/// default when the variable is missing or not a number within the bounds.
size_t parse_frame_limit(const std::string& text);

/// The error of a frame of `length` bytes over the limit `max`.
caf::error oversize_frame_error(const char* what, size_t length, size_t max);

/// Appends one frame of `kind` whose body is the encoding of `xs` to `buf`,
/// unless its length would exceed `max` (an `errc::encoding_failed` error).
/// On error `buf` keeps its original size.
template <class... Ts>
caf::error append_bounded_frame(std::vector<char>& buf, size_t max,
                                frame_kind kind, Ts&... xs) {
  auto start = buf.size();
  buf.resize(start + frame_header_size);
  buffer_sink sink{buf};
  auto k = static_cast<uint8_t>(kind);
  auto err = sink(k, xs...);
  auto length = buf.size() - start - frame_header_size;
  if (!err && length > std::min<size_t>(max, UINT32_MAX))
    err = oversize_frame_error("frame", length, max);
  if (err) {
    buf.resize(start);
    return err;
  }
  auto len = static_cast<uint32_t>(length);
  auto p = reinterpret_cast<unsigned char*>(buf.data() + start);
  p[0] = static_cast<unsigned char>(len >> 24);
  p[1] = static_cast<unsigned char>(len >> 16);
  p[2] = static_cast<unsigned char>(len >> 8);
  p[3] = static_cast<unsigned char>(len);
  return caf::none;
}

/// Appends one frame as `append_bounded_frame`, limited only by the `u32`
/// length.
template <class... Ts>
caf::error append_frame(std::vector<char>& buf, frame_kind kind, Ts&... xs) {
  return append_bounded_frame(buf, UINT32_MAX, kind, xs...);
}

/// A complete frame as seen by `frame_reader`: kind plus undecoded body.
struct frame_view {
  frame_kind kind;
  const char* body;
  size_t size;
};

/// Decodes `xs` from a frame body, requiring that it is fully consumed.
template <class... Ts>
caf::error decode_body(const frame_view& fv, Ts&... xs) {
  source src{fv.body, fv.size};
  if (auto err = src(xs...))
    return err;
  if (src.remaining() != 0)
    return caf::make_error(caf::sec::invalid_argument,
                           "trailing bytes in frame");
  return caf::none;
}

/// Reassembles frames from a byte stream that arrives in arbitrary pieces.
class frame_reader {
public:
  using frame_fn = std::function<caf::error(const frame_view&)>;

  explicit frame_reader(size_t max_frame_size = default_max_frame_size)
    : max_frame_size_(max_frame_size) {
    // nop
  }

  /// Appends `bytes` and calls `fn(frame_view)` for every complete frame.
  /// Returns an error (and stops) on a zero or oversize length or an unknown
  /// kind, or when `fn` returns an error. After an error the stream is
  /// unusable.
  caf::error consume(const char* bytes, size_t size, const frame_fn& fn);

  /// Room at the end of the buffer to receive at least `min` bytes into
  /// directly, then `commit` them: no copy. Once the header of a frame has
  /// arrived the room holds all of the rest of it, so that a long frame
  /// costs one allocation (the buffer keeps its size for later frames).
  std::pair<char*, size_t> receive_buffer(size_t min);

  /// Takes the first `n` bytes of the room that `receive_buffer` returned
  /// and handles complete frames as `consume` does.
  caf::error commit(size_t n, const frame_fn& fn);

  /// Bytes buffered but not yet part of a complete frame.
  size_t buffered() const noexcept {
    return end_ - pos_;
  }

private:
  /// Room for `need` more bytes after `end_`, made by moving the buffered
  /// bytes to the front or else by growing the buffer.
  char* make_room(size_t need);

  /// Bytes still missing of the frame whose header is buffered (0 without
  /// a header or with an invalid length).
  size_t rest_of_frame() const noexcept;

  size_t max_frame_size_;
  /// Bytes `[pos_, end_)` are buffered; `buf_` beyond `end_` is room.
  std::vector<char> buf_;
  size_t pos_ = 0;
  size_t end_ = 0;
};

} // namespace actorpool::detail
