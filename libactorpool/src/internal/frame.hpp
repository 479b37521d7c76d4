#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <caf/error.hpp>
#include <caf/sec.hpp>

#include "actorpool/detail/codec.hpp"
#include "internal/messages.hpp"

namespace actorpool::detail {

/// Frames on a worker socket: `u32 length (big endian) | u8 kind | body`,
/// where `length` counts kind and body, and the body is the CAF binary
/// encoding of the kind's message.
constexpr size_t frame_header_size = 4;

/// Default upper bound of a frame's length.
constexpr size_t default_max_frame_size = size_t{256} << 20;

/// Appends one frame of `kind` whose body is the encoding of `xs` to `buf`.
/// On error `buf` keeps its original size.
template <class... Ts>
caf::error append_frame(std::vector<char>& buf, frame_kind kind, Ts&... xs) {
  auto start = buf.size();
  buf.resize(start + frame_header_size);
  buffer_sink sink{buf};
  auto k = static_cast<uint8_t>(kind);
  auto err = sink(k, xs...);
  if (err) {
    buf.resize(start);
    return err;
  }
  auto len = static_cast<uint32_t>(buf.size() - start - frame_header_size);
  auto p = reinterpret_cast<unsigned char*>(buf.data() + start);
  p[0] = static_cast<unsigned char>(len >> 24);
  p[1] = static_cast<unsigned char>(len >> 16);
  p[2] = static_cast<unsigned char>(len >> 8);
  p[3] = static_cast<unsigned char>(len);
  return caf::none;
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
  explicit frame_reader(size_t max_frame_size = default_max_frame_size)
    : max_frame_size_(max_frame_size) {
    // nop
  }

  /// Appends `bytes` and calls `fn(frame_view)` for every complete frame.
  /// Returns an error (and stops) on a zero or oversize length or an unknown
  /// kind, or when `fn` returns an error. After an error the stream is
  /// unusable.
  caf::error consume(const char* bytes, size_t size,
                     const std::function<caf::error(const frame_view&)>& fn);

  /// Bytes buffered but not yet part of a complete frame.
  size_t buffered() const noexcept {
    return buf_.size() - pos_;
  }

private:
  size_t max_frame_size_;
  std::vector<char> buf_;
  size_t pos_ = 0;
};

} // namespace actorpool::detail
