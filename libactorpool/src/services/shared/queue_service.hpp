#pragma once

// The service behind `queue`, `joinable_queue` and `simple_queue` (protocol:
// `queue_op`): encoded items in FIFO order. It never
// blocks: a `get` on an empty queue, a `put` on a full one and a `join` are
// answered later, timeouts by timer messages to itself. Stopping it (the
// last owning handle is gone, or a manager's shutdown) fails every waiting
// call with `end_of_file`.

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "services/service_actor.hpp"
#include "services/service_protocol.hpp"
#include "services/service_state.hpp"

namespace actorpool::detail {

/// Operations (arguments -> reply; request format: services/README.md).
enum class queue_op : service_op {
  /// int64 timeout (`wait_forever`, 0 no wait), then the encoded item
  /// (raw, not length-prefixed) -> ().
  put = 1,
  /// int64 timeout -> the encoded item (raw).
  get = 2,
  /// () -> uint64.
  qsize = 3,
  /// () -> bool.
  empty = 4,
  /// () -> bool.
  full = 5,
  /// () -> ().
  close = 6,
  /// () -> ().
  task_done = 7,
  /// () -> () once every item put was marked done.
  join = 8,
};

/// The timeout argument of `put` and `get`: 0 without `block`, else
/// `wire_timeout(timeout)`. Throws `bad_argument` for a negative timeout
/// (Python: `ValueError`).
int64_t queue_timeout(bool block,
                      const std::optional<std::chrono::microseconds>& timeout);

/// What a queue service is made with.
struct queue_config {
  /// Most items held at once; 0 for no limit.
  uint64_t maxsize = 0;
  /// Counts unfinished items for `task_done` and `join`.
  bool joinable = false;
};

/// A call waiting for an item, for room (with the item to put), or in
/// `join`.
struct queue_waiter : waiter {
  std::string item;
};

/// The queue's state; methods answer calls (see `queue_op`).
class queue_state : public service_state {
public:
  static inline const char* name = "actorpool.queue";

  void init(caf::event_based_actor* self, queue_config cfg) {
    attach(self);
    cfg_ = cfg;
  }

  service_result on_call(client_id c, uint8_t op, const std::string& payload);

  /// A timed `get` or `put` ran out of time, unless it was answered before.
  void on_timer(uint64_t id);

  /// Forgets the waiting calls of a dead process; nobody reads the answers.
  void on_client_down(int32_t pid);

  void on_exit();

private:
  service_result put(client_id c, const std::string& payload);

  service_result get(client_id c, const std::string& payload);

  service_result task_done();

  service_result join(client_id c);

  void close();

  bool has_room() const {
    return cfg_.maxsize == 0 || items_.size() < cfg_.maxsize;
  }

  /// An accepted item goes to the first waiting getter or to the end.
  void accept(std::string item);

  /// Queues the current call in `line` for at most `wait` ns (negative: no
  /// limit).
  service_result wait_in(std::deque<queue_waiter>& line, client_id c,
                         int64_t wait, std::string item = {});

  queue_config cfg_;
  std::deque<std::string> items_;
  /// Non-empty only while `items_` is empty.
  std::deque<queue_waiter> getters_;
  /// Non-empty only while the queue is full.
  std::deque<queue_waiter> putters_;
  std::vector<waiter> joiners_;
  uint64_t unfinished_ = 0;
  bool closed_ = false;
};

/// Spawns a queue service.
caf::actor spawn_queue_service(caf::actor_system& sys, queue_config cfg);

} // namespace actorpool::detail
