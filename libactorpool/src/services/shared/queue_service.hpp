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
#include <map>
#include <optional>
#include <string>
#include <utility>
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
  /// `put`, and grants credit: int64 timeout, then the encoded item (raw)
  /// -> uint64 credit, the number of `put_ahead` calls the caller may make
  /// next without waiting (`put_credit` on an unbounded queue, else 0), or
  /// () when the put waited for room (no credit either).
  put_with_credit = 9,
  /// Sent without waiting for a reply, within a credit: the encoded item
  /// (raw) -> (). On a closed queue the item is dropped (the caller learns
  /// of the close from its next `put_with_credit`).
  put_ahead = 10,
  /// `get` that may send items ahead: int64 timeout, uint64 token (the
  /// caller's handle, unique in its process), uint64 want, uint64 taken (how
  /// many items sent ahead to that token since its last call it has handed
  /// out) -> vector<string>: the first item (handed out, as by `get`), then
  /// up to `want - 1` items sent ahead (unbounded queues only, at most half
  /// of those left, none to a call that waited). Until acknowledged (by
  /// `taken` or `give_back`), items sent ahead go back to the front of the
  /// queue when the caller's process dies.
  get_ahead = 11,
  /// Sent without waiting, when a handle is gone: uint64 token, uint64
  /// taken -> (); the items sent ahead to it and not taken go back to the
  /// front of the queue, in their order.
  give_back = 12,
};

/// The credit an unbounded queue grants with each `put_with_credit`: so
/// many puts travel without a round trip, and a producer learns of a
/// `close()` at the latest that many puts later.
constexpr uint64_t put_credit = 64;

/// The most items one `get_ahead` hands over (the first one included).
constexpr uint64_t max_get_ahead = 64;

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
  /// A waiting `get_ahead`: answered with a list of one item.
  bool listed = false;
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

  service_result put_with_credit(client_id c, const std::string& payload);

  void put_ahead(const std::string& payload);

  service_result get_ahead(client_id c, const std::string& payload);

  void give_back(client_id c, const std::string& payload);

  /// Takes the first item for `c`, letting the first blocked put in.
  std::string take_first();

  /// Items that may be sent ahead to `c` besides the first (already taken):
  /// at most `want - 1`, half of those left, and what fits in its reply.
  std::vector<std::string> send_ahead(client_id c, uint64_t want, size_t used);

  /// Records the items of `sent` after the first as sent ahead to
  /// (`pid`, `token`).
  void remember_ahead(int32_t pid, uint64_t token,
                      const std::vector<std::string>& sent);

  /// (`pid`, `token`) handed out its first `taken` items sent ahead.
  void acknowledge(int32_t pid, uint64_t token, uint64_t taken);

  /// Items sent ahead and not taken go back to the front, in their order.
  void put_back(std::deque<std::string> items);

  /// Hands items to waiting getters while both are there.
  void serve_getters();

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
  /// Items sent ahead, per (pid, token), oldest first, not yet taken.
  std::map<std::pair<int32_t, uint64_t>, std::deque<std::string>> ahead_;
  uint64_t unfinished_ = 0;
  bool closed_ = false;
};

/// Spawns a queue service.
caf::actor spawn_queue_service(caf::actor_system& sys, queue_config cfg);

} // namespace actorpool::detail
