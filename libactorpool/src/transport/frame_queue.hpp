#pragma once

#include <sys/uio.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include <caf/error.hpp>

#include "actorpool/detail/codec.hpp"
#include "transport/frame.hpp"
#include "transport/messages.hpp"

namespace actorpool::detail {

/// A run of bytes to write and what keeps them alive.
struct frame_piece {
  const char* data = nullptr;
  size_t size = 0;
  std::shared_ptr<const void> owner;
};

/// The bytes a `piece_sink` copied since the last long string.
struct piece_buffer {
  std::string current;
};

/// A sink that writes the bytes of `basic_sink` as a list of pieces: every
/// string of at least `min_piece_size` bytes becomes a piece that points
/// into the value encoded (no copy, no owner: the value must outlive the
/// pieces); the bytes around it are copied into pieces of their own. Put
/// together, the pieces are exactly what `string_sink` writes.
class piece_sink : private piece_buffer, public basic_sink<std::string> {
public:
  /// Strings shorter than this are copied next to their neighbours.
  static constexpr size_t min_piece_size = 4096;

  piece_sink() : basic_sink<std::string>(piece_buffer::current) {
    // nop
  }

  /// The pieces written so far; the sink starts over empty.
  std::vector<frame_piece> take_pieces();

protected:
  using basic_sink<std::string>::apply_impl;

  caf::error apply_impl(std::string& x) override;

private:
  /// Ends the current run of copied bytes.
  void cut();

  std::vector<frame_piece> pieces_;
};

/// The outgoing bytes of one socket, a queue of pieces written with gather
/// I/O: a frame costs one copy of its small fields, while its long strings
/// (task payloads) go from the message straight to the socket.
class frame_queue {
public:
  /// Appends one frame of `kind` whose body is the encoding of `xs` (the
  /// bytes `append_bounded_frame` writes), unless its length would exceed
  /// `max` (an `errc::encoding_failed` error; the queue is unchanged). The
  /// queue keeps `xs` until their bytes are written.
  template <class... Ts>
  caf::error append(size_t max, frame_kind kind, Ts&&... xs) {
    using tuple = std::tuple<std::decay_t<Ts>...>;
    auto values = std::make_shared<tuple>(std::forward<Ts>(xs)...);
    piece_sink sink;
    char header[frame_header_size] = {};
    auto k = static_cast<uint8_t>(kind);
    sink.apply_raw(sizeof(header), header);
    auto err = std::apply([&](auto&... ys) { return sink(k, ys...); }, *values);
    if (err)
      return err;
    return push_frame(sink.take_pieces(), std::move(values), max);
  }

  /// Writes to the socket `fd` until it is empty or the socket would block,
  /// without blocking and without raising `SIGPIPE`. Returns 0, or the
  /// `errno` of a failed write (the bytes stay queued).
  int write_some(int fd);

  /// Moves up to `n` bytes from the front of the queue to the end of `out`
  /// (a copy); returns how many.
  size_t take_front(std::vector<char>& out, size_t n);

  /// Bytes queued.
  size_t size() const noexcept {
    return size_;
  }

  bool empty() const noexcept {
    return size_ == 0;
  }

private:
  /// Checks the length of the frame in `pieces` (the first begins with room
  /// for its header, in bytes the sink copied), writes its header and
  /// queues it; pieces without an owner get `values`.
  caf::error push_frame(std::vector<frame_piece> pieces,
                        std::shared_ptr<const void> values, size_t max);

  /// Points up to `max` entries of `iov` at the queued bytes, in order;
  /// returns how many.
  size_t fill_iov(iovec* iov, size_t max);

  /// Drops `n` bytes from the front.
  void drop_front(size_t n);

  std::deque<frame_piece> pieces_;
  /// Bytes of the first piece written already.
  size_t offset_ = 0;
  size_t size_ = 0;
};

} // namespace actorpool::detail
