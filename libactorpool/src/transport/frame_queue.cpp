#include "transport/frame_queue.hpp"

#include <errno.h>
#include <limits.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <iterator>

namespace actorpool::detail {

namespace {

/// Most pieces one `sendmsg` takes.
constexpr size_t max_iov = 64;

void write_length(char* piece, size_t length) {
  auto len = static_cast<uint32_t>(length);
  for (size_t i = 0; i < frame_header_size; ++i)
    piece[i] = static_cast<char>(len >> (8 * (frame_header_size - 1 - i)));
}

} // namespace

void piece_sink::cut() {
  if (current.empty())
    return;
  auto bytes = std::make_shared<std::string>(std::move(current));
  current.clear();
  pieces_.push_back(frame_piece{bytes->data(), bytes->size(), bytes});
}

std::vector<frame_piece> piece_sink::take_pieces() {
  cut();
  return std::move(pieces_);
}

caf::error piece_sink::apply_impl(std::string& x) {
  if (x.size() < min_piece_size)
    return basic_sink<std::string>::apply_impl(x);
  auto n = x.size();
  if (auto err = begin_sequence(n))
    return err;
  cut();
  pieces_.push_back(frame_piece{x.data(), x.size(), nullptr});
  return caf::none;
}

caf::error frame_queue::push_frame(std::vector<frame_piece> pieces,
                                   std::shared_ptr<const void> values,
                                   size_t max) {
  size_t total = 0;
  for (auto& piece : pieces)
    total += piece.size;
  auto length = total - frame_header_size;
  if (length > std::min<size_t>(max, UINT32_MAX))
    return oversize_frame_error("frame", length, max);
  // The header lies in bytes the sink copied: this queue's own.
  write_length(const_cast<char*>(pieces.front().data), length);
  for (auto& piece : pieces) {
    if (!piece.owner)
      piece.owner = values;
    pieces_.push_back(std::move(piece));
  }
  size_ += total;
  return caf::none;
}

size_t frame_queue::fill_iov(iovec* iov, size_t max) {
  size_t count = 0;
  for (auto i = pieces_.begin(); i != pieces_.end() && count < max;
       ++i, ++count) {
    auto skip = count == 0 ? offset_ : 0;
    iov[count].iov_base = const_cast<char*>(i->data + skip);
    iov[count].iov_len = i->size - skip;
  }
  return count;
}

int frame_queue::write_some(int fd) {
  while (size_ > 0) {
    iovec iov[max_iov];
    msghdr msg{};
    msg.msg_iov = iov;
    msg.msg_iovlen = fill_iov(iov, max_iov);
    auto n = ::sendmsg(fd, &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : errno;
    drop_front(static_cast<size_t>(n));
  }
  return 0;
}

size_t frame_queue::take_front(std::vector<char>& out, size_t n) {
  size_t taken = 0;
  while (taken < n && !pieces_.empty()) {
    auto& front = pieces_.front();
    auto k = std::min(n - taken, front.size - offset_);
    out.insert(out.end(), front.data + offset_, front.data + offset_ + k);
    drop_front(k);
    taken += k;
  }
  return taken;
}

void frame_queue::drop_front(size_t n) {
  size_ -= n;
  while (n > 0) {
    auto left = pieces_.front().size - offset_;
    if (n < left) {
      offset_ += n;
      return;
    }
    n -= left;
    offset_ = 0;
    pieces_.pop_front();
  }
}

} // namespace actorpool::detail
