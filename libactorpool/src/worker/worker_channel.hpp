#pragma once

#include <cstddef>
#include <mutex>
#include <vector>

#include <caf/error.hpp>

#include "transport/frame.hpp"

namespace actorpool::detail {

/// The worker's end of its socket, for writing: frames from any thread, one
/// at a time, with blocking `send` (MSG_NOSIGNAL). A failed write means the
/// parent is gone, and the worker exits at once.
class worker_channel {
public:
  worker_channel(int fd, size_t max_frame_size)
    : fd_(fd), max_frame_size_(max_frame_size) {
    // nop
  }

  /// Writes one frame, unless it cannot be encoded or would be longer than
  /// `max_frame_size()`: then nothing is written and the error returned
  /// (`errc::encoding_failed` for a frame too long).
  template <class... Ts>
  caf::error write(frame_kind kind, Ts&... xs) {
    std::lock_guard<std::mutex> guard{mtx_};
    buf_.clear();
    if (auto err = append_bounded_frame(buf_, max_frame_size_, kind, xs...))
      return err;
    send_all();
    return caf::none;
  }

  /// Writes one frame that is known to fit; failing that, the worker broke
  /// its own protocol and exits.
  template <class... Ts>
  void write_or_exit(frame_kind kind, Ts&... xs) {
    if (auto err = write(kind, xs...))
      fail("cannot encode a frame");
  }

  int fd() const noexcept {
    return fd_;
  }

  /// The longest frame the parent accepts from this worker, and sends it.
  size_t max_frame_size() const noexcept {
    return max_frame_size_;
  }

  /// Leaves the process: the parent broke the protocol (`why` says how) or
  /// went away (`why` is null). A task may still be running, and nobody is
  /// left to serve, so no destructors run.
  [[noreturn]] static void fail(const char* why);

private:
  void send_all();

  int fd_;
  size_t max_frame_size_;
  std::mutex mtx_;
  std::vector<char> buf_;
};

} // namespace actorpool::detail
