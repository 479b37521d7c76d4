#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include <caf/meta/type_name.hpp>

#include "actorpool/detail/item_codec.hpp"
#include "actorpool/detail/lazy_service.hpp"

namespace actorpool {

namespace detail {

/// A handle whose pipe service is created on first use (`duplex`: both ends
/// send and receive; else end 0 only receives and end 1 only sends).
lazy_service make_pipe_service(bool duplex);

// The calls of a connection on its `end` (defined with the service, which
// owns the protocol).

void pipe_send_encoded(const lazy_service& svc, uint8_t end,
                       const std::string& item);

std::string pipe_recv_encoded(const lazy_service& svc, uint8_t end);

bool pipe_poll(const lazy_service& svc, uint8_t end,
               const std::optional<std::chrono::microseconds>& timeout);

void pipe_close(const lazy_service& svc, uint8_t end);

/// Makes connections (used by `pipe`).
struct connection_factory {
  template <class Connection>
  static Connection make(lazy_service svc, uint8_t end, uint8_t mode) {
    return Connection{std::move(svc), end, mode};
  }
};

} // namespace detail

/// One end of a `pipe` (Python: `multiprocessing.connection.Connection`).
/// Both ends are served by one service actor in the parent process, which
/// holds the items sent to each end until they are received. A handle is
/// cheap to copy and can be an argument of a task (its calls then travel
/// over the worker's socket); every copy, in any process, is the same end.
///
/// Semantics: `send` never blocks (the service buffers without limit,
/// where an OS pipe would block when full); items arrive in the order they
/// were sent. `close()` closes this end for every process (there are no
/// per-process descriptors to count, so unlike Python do not close the
/// child's end in the parent after starting the child). After the peer
/// closed, `recv` still returns what the peer sent before, then throws
/// `eof_error`; `send` to a closed peer throws `eof_error`, and so does any
/// call on a closed end. Using an end against its direction (`duplex ==
/// false`) throws `state_error` (Python: `OSError`).
///
/// Dead peers: the service records which process used each end last (any
/// call counts). When that process dies, its end counts as closed: the
/// other end's `recv` drains what is left, then throws `eof_error` instead
/// of waiting forever. An end that a dead process never used stays open, as
/// an inherited descriptor would. Waiting calls of a dead process are
/// dropped.
///
/// Cost: one round trip to the service per call (about 25 µs from a worker,
/// 10 µs from the parent), like a `queue` call.
template <class T>
class connection {
public:
  using value_type = T;

  /// An empty handle; calls throw `state_error`.
  connection() = default;

  /// Sends `x` to the other end; a value that cannot be serialized throws
  /// `encoding_error` before anything is sent.
  void send(const T& x) const {
    detail::pipe_send_encoded(svc_, end_, detail::encode_item(x));
  }

  /// Waits for the next item; throws `eof_error` when the other end is
  /// closed (or gone) and nothing is left to read.
  T recv() const {
    return detail::decode_item<T>(detail::pipe_recv_encoded(svc_, end_));
  }

  /// Whether `recv` would return without waiting (an item is there or the
  /// other end is closed), waiting up to `timeout` for it; `std::nullopt`
  /// waits without limit, a negative timeout counts as zero.
  bool poll(std::optional<std::chrono::microseconds> timeout = std::chrono::
              microseconds{0}) const {
    return detail::pipe_poll(svc_, end_, timeout);
  }

  /// Closes this end for every process; idempotent.
  void close() const {
    detail::pipe_close(svc_, end_);
  }

  bool readable() const noexcept {
    return (mode_ & 1) != 0;
  }

  bool writable() const noexcept {
    return (mode_ & 2) != 0;
  }

  const detail::lazy_service& service() const noexcept {
    return svc_;
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, connection& x) {
    return f(caf::meta::type_name("actorpool::connection"), x.svc_, x.end_,
             x.mode_);
  }

private:
  friend struct detail::connection_factory;

  connection(detail::lazy_service svc, uint8_t end, uint8_t mode)
    : svc_(std::move(svc)), end_(end), mode_(mode) {
    // nop
  }

  detail::lazy_service svc_;
  uint8_t end_ = 0;
  uint8_t mode_ = 0; // 1: readable, 2: writable
};

} // namespace actorpool
