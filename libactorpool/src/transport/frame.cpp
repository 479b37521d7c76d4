#include "transport/frame.hpp"

#include <errno.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include <caf/sec.hpp>

namespace actorpool::detail {

namespace {

uint32_t read_length(const char* p) {
  auto u = reinterpret_cast<const unsigned char*>(p);
  return (uint32_t{u[0]} << 24) | (uint32_t{u[1]} << 16) | (uint32_t{u[2]} << 8)
         | uint32_t{u[3]};
}

} // namespace

size_t parse_frame_limit(const std::string& text) {
  char* end = nullptr;
  errno = 0;
  auto n = std::strtoull(text.c_str(), &end, 10);
  if (text.empty() || errno != 0 || *end != '\0' || n < min_frame_size_limit
      || n > max_frame_size_limit)
    return default_max_frame_size;
  return static_cast<size_t>(n);
}

caf::error check_task_size(const std::string& name, size_t payload_size,
                           size_t max, const char* what) {
  if (frame_length_bound(1, name.size() + payload_size) <= max)
    return caf::none;
  return make_error(errc::encoding_failed,
                    std::string{"encoded "} + what + " of "
                      + std::to_string(payload_size)
                      + " bytes exceed the frame size limit of "
                      + std::to_string(max) + " bytes");
}

caf::error oversize_frame_error(const char* what, size_t length, size_t max) {
  return make_error(errc::encoding_failed,
                    std::string{what} + " of " + std::to_string(length)
                      + " bytes exceeds the frame size limit of "
                      + std::to_string(max) + " bytes");
}

caf::error frame_reader::consume(const char* bytes, size_t size,
                                 const frame_fn& fn) {
  if (size > 0)
    std::memcpy(make_room(size), bytes, size);
  return commit(size, fn);
}

size_t frame_reader::rest_of_frame() const noexcept {
  if (end_ - pos_ < frame_header_size)
    return 0;
  auto len = read_length(buf_.data() + pos_);
  if (len == 0 || len > max_frame_size_)
    return 0;
  auto want = frame_header_size + size_t{len};
  return want > end_ - pos_ ? want - (end_ - pos_) : 0;
}

std::pair<char*, size_t> frame_reader::receive_buffer(size_t min) {
  auto room = make_room(std::max(min, rest_of_frame()));
  return {room, buf_.size() - end_};
}

char* frame_reader::make_room(size_t need) {
  if (buf_.size() - end_ < need && pos_ > 0) {
    // Move the start of the next frame to the front.
    std::memmove(buf_.data(), buf_.data() + pos_, end_ - pos_);
    end_ -= pos_;
    pos_ = 0;
  }
  if (buf_.size() - end_ < need)
    buf_.resize(end_ + need);
  return buf_.data() + end_;
}

caf::error frame_reader::commit(size_t n, const frame_fn& fn) {
  end_ += n;
  while (end_ - pos_ >= frame_header_size) {
    auto len = read_length(buf_.data() + pos_);
    if (len == 0 || len > max_frame_size_)
      return caf::make_error(caf::sec::invalid_argument,
                             "invalid frame length " + std::to_string(len));
    if (end_ - pos_ - frame_header_size < len)
      break;
    auto body = buf_.data() + pos_ + frame_header_size;
    auto kind = static_cast<uint8_t>(body[0]);
    if (kind == 0 || kind > max_frame_kind)
      return caf::make_error(caf::sec::invalid_argument,
                             "unknown frame kind " + std::to_string(kind));
    pos_ += frame_header_size + len;
    if (auto err = fn(
          frame_view{static_cast<frame_kind>(kind), body + 1, size_t{len} - 1}))
      return err;
  }
  if (pos_ == end_)
    pos_ = end_ = 0;
  return caf::none;
}

} // namespace actorpool::detail
