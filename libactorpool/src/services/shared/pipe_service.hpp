#pragma once

// The service behind the two `connection`s of a `pipe` (protocol:
// `pipe_op`). For each end it keeps the items
// sent to it, the calls waiting in `recv` or `poll`, whether it is closed,
// and the processes that used it; once `client_down` has come for every one
// of them, the end counts as closed (as a descriptor closes with the last
// process holding it). It never blocks. Stopping it fails every waiting call
// with `end_of_file`.

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "services/service_actor.hpp"
#include "services/service_protocol.hpp"
#include "services/service_state.hpp"

namespace actorpool::detail {

/// Operations (arguments -> reply; request format: services/README.md).
/// Every call's arguments start with the uint8 end (0 or 1).
enum class pipe_op : service_op {
  /// uint8 end, then the encoded item (raw, not length-prefixed) -> ().
  send = 1,
  /// uint8 end -> the encoded item (raw).
  recv = 2,
  /// uint8 end, int64 timeout (`wait_forever`, 0 no wait) -> bool.
  poll = 3,
  /// uint8 end -> ().
  close = 4,
};

/// One end of a pipe.
struct pipe_end {
  /// Sent to this end, not yet received.
  std::deque<std::string> inbox;
  /// Non-empty only while `inbox` is.
  std::deque<waiter> receivers;
  /// Likewise.
  std::deque<waiter> pollers;
  /// The processes that used this end and are not known to be gone.
  std::vector<int32_t> users;
  bool closed = false;
  bool readable = true;
  bool writable = true;
};

/// The pipe's state; methods answer calls (see `pipe_op`).
class pipe_state : public service_state {
public:
  static inline const char* name = "actorpool.pipe";

  /// Without `duplex`, end 0 only receives and end 1 only sends.
  void init(caf::event_based_actor* self, bool duplex);

  service_result on_call(client_id c, uint8_t op, const std::string& payload);

  /// A timed `poll` ran out of time, unless it was answered before.
  void on_timer(uint64_t id);

  /// Forgets the dead process's waiting calls and closes the ends it used
  /// last.
  void on_client_down(int32_t pid);

  void on_exit();

private:
  /// Closes end `e`: its own waiting calls fail, items sent to it are
  /// dropped, and the other end's waiting calls learn of the EOF (they only
  /// wait while nothing is left to read).
  void close_end(int e, const std::string& why);

  /// Checks that end `e` may be used in this direction and marks its user.
  caf::error use(int e, int32_t pid, bool to_send);

  service_result send(int e, client_id c, std::string item);

  /// Hands `item` to the first receiver of `to` that can take it, or puts it
  /// in its inbox.
  void deliver(pipe_end& to, std::string item);

  service_result recv(int e, client_id c);

  service_result poll(int e, client_id c, int64_t wait);

  pipe_end ends_[2];
};

/// Spawns a pipe service (see `pipe_state::init`).
caf::actor spawn_pipe_service(caf::actor_system& sys, bool duplex);

} // namespace actorpool::detail
