#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <caf/meta/type_name.hpp>

#include "actorpool/detail/item_codec.hpp"
#include "actorpool/detail/lazy_service.hpp"

namespace actorpool {

namespace detail {

/// A handle whose queue service (holding at most `maxsize` items, 0 for no
/// limit; counting unfinished items when `joinable`) is created on first
/// use.
lazy_service make_queue_service(uint64_t maxsize, bool joinable);

/// What the copies of a queue handle decoded in a worker share between
/// calls: the puts it may still send without waiting (its credit) and the
/// items the service sent ahead to it. Gives those items back to the queue
/// when the last copy is gone (defined with the service).
class queue_client;

/// The client state of a handle decoded now: in a worker, a new one; in the
/// main process none (every call is a round trip there).
std::shared_ptr<queue_client> make_queue_client();

/// The calls shared by the three queue types (defined with the service,
/// which owns the protocol), so that the templates only encode and decode
/// items. `put` and `get` wait if `block`, at most `timeout` (no limit when
/// empty); they throw `bad_argument` for a negative timeout (Python:
/// `ValueError`). With a `client` (a handle in a worker), `put` on an
/// unbounded queue is sent without waiting within the client's credit, and
/// `get` takes the items sent ahead first (see `queue`).
void queue_put_encoded(const lazy_service& svc, queue_client* client,
                       const std::string& item, bool block,
                       const std::optional<std::chrono::microseconds>& timeout);

std::string
queue_get_encoded(const lazy_service& svc, queue_client* client, bool block,
                  const std::optional<std::chrono::microseconds>& timeout);

/// The items in the queue, plus those sent ahead to `client` (may be null).
uint64_t queue_qsize(const lazy_service& svc, queue_client* client);

bool queue_empty(const lazy_service& svc, queue_client* client);

bool queue_full(const lazy_service& svc);

void queue_close(const lazy_service& svc);

void queue_task_done(const lazy_service& svc);

void queue_join(const lazy_service& svc);

} // namespace detail

/// A FIFO queue shared by processes (Python: `multiprocessing.Queue`). The
/// queue is a service actor in the parent process that stores encoded items;
/// a handle is cheap to copy and can be an argument of a task, where its
/// calls travel over the worker's socket. The service is created on the
/// first call (in the parent only: a queue made inside a worker throws
/// `state_error` when used) and lives as long as a handle in the parent.
///
/// Semantics: items of one producer arrive in the order it put them;
/// blocked `get`s are served first come, first served, as are blocked
/// `put`s on a full queue. `close()` closes the queue for every process: a
/// `put` after it (and a `put` still blocked in it) fails with `eof_error`;
/// a `get` still takes the items left, then fails with `eof_error` (Python
/// raises `ValueError` at once; here no item put is ever lost by a close).
///
/// In the main process (and on a `thread_pool`) every call is a round trip
/// and `put` returns once the item is in the queue. A handle in a worker
/// (pool worker or `process`) does without most round trips:
/// - `put` on an unbounded queue is written to the parent and returns
///   without waiting, within a credit of 64 puts that every 65th put (a
///   round trip) renews. The item is in the queue before anything the
///   producer does afterwards reaches any other object, and a `put` that
///   returned is never lost, even if its producer is killed right after.
///   The arguments and the item's encoding are checked before sending
///   (`bad_argument`, `encoding_error`, as always). Only `close()` is found
///   by the service: the puts sent after it within the credit (at most 64)
///   return normally and their items are dropped; the next round trip of
///   that producer throws `eof_error`, and so does every put after it. A
///   bounded queue keeps a round trip per `put` (so that `maxsize` holds
///   exactly and `full()` means what it says).
/// - `get` from a handle that keeps consuming an unbounded queue is served
///   from items sent ahead: each round trip hands over one item and sends up
///   to twice as many as the previous one ahead (at most 63, and at most
///   half of those left in the queue; none to a call that waited). Items
///   sent ahead belong to that handle (the copies of one task argument)
///   until it takes them: `qsize()` and `empty()` of other handles do not
///   count them, and another consumer's `get` may wait (or time out) while
///   they are held. When the handle is gone (its task returned, before its
///   result is reported) the items it did not take go back to the front of
///   the queue, in order; so they do when its process dies. Delivery is at
///   least once: the items a consumer took from its latest batch (at most
///   63) come back if it dies before its next round trip. A bounded queue
///   sends nothing ahead. So a consumer that takes some items and then
///   waits for another consumer to take the next ones should use a bounded
///   queue (or let its handle go first).
///
/// Dead processes: a process that dies while blocked in `get` or `put` is
/// forgotten (its waiting call is dropped; no item is handed to it, and its
/// blocked item is not added). An item handed to a `get` in the moments
/// between the consumer's death and the parent noticing it (on reaping the
/// process) is lost with it, as in Python.
///
/// Cost: a round trip to the service is about 25 µs from a worker, 10 µs
/// from a thread of the parent, on an idle machine, plus the encoding of the
/// item; a put sent ahead costs one write to the worker's socket, and a get
/// from items sent ahead none. A producer and a consumer in two workers move
/// about 120,000 items/s, about 0.8 times as many as Python's `Queue`
/// (actorpool-bench `queue_put_get`).
template <class T>
class queue {
public:
  using value_type = T;

  using timeout_type = std::optional<std::chrono::microseconds>;

  /// An unbounded queue, created on first use.
  queue() : queue(0) {
    // nop
  }

  /// A queue holding at most `maxsize` items (0: no limit).
  explicit queue(size_t maxsize)
    : svc_(detail::make_queue_service(maxsize, false)) {
    // nop
  }

  /// Puts `x` at the end. With `block`, waits for room until `timeout` (no
  /// limit when empty), else fails at once; throws `queue_full` when there is
  /// no room in time and `eof_error` after `close()` (from a worker: at the
  /// latest 64 puts later, see the class comment). `x` is serialized
  /// first, in this thread: a value that cannot be throws `encoding_error`
  /// and the queue is left as it was (no room is taken).
  void put(const T& x, bool block = true, timeout_type timeout = {}) const {
    detail::queue_put_encoded(svc_, client_.get(), detail::encode_item(x),
                              block, timeout);
  }

  /// `put(x, false)`.
  void put_nowait(const T& x) const {
    put(x, false);
  }

  /// Removes and returns the first item. With `block`, waits for one until
  /// `timeout` (no limit when empty), else fails at once; throws
  /// `queue_empty` when none came in time and `eof_error` when the queue is
  /// closed and empty; `encoding_error` when the item does not decode as a
  /// `T`.
  T get(bool block = true, timeout_type timeout = {}) const {
    return detail::decode_item<T>(
      detail::queue_get_encoded(svc_, client_.get(), block, timeout));
  }

  /// `get(false)`.
  T get_nowait() const {
    return get(false);
  }

  /// Number of items in the queue, plus those sent ahead to this handle
  /// (approximate when consumers in workers hold items sent ahead, as in
  /// Python, where it is approximate too).
  size_t qsize() const {
    return static_cast<size_t>(detail::queue_qsize(svc_, client_.get()));
  }

  /// Whether `qsize()` is 0 (no round trip when this handle holds items
  /// sent ahead).
  bool empty() const {
    return detail::queue_empty(svc_, client_.get());
  }

  /// Whether a `put` would have to wait.
  bool full() const {
    return detail::queue_full(svc_);
  }

  /// Closes the queue for every process (see the class comment); idempotent.
  void close() const {
    detail::queue_close(svc_);
  }

  /// The service behind the handle (used by `manager`).
  const detail::lazy_service& service() const noexcept {
    return svc_;
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, queue& x) {
    return x.inspect_as(f, "actorpool::queue");
  }

protected:
  explicit queue(detail::lazy_service svc) : svc_(std::move(svc)) {
    // nop
  }

  /// Inspects the handle under `name`; a handle read from bytes gets a
  /// client state of its own (shared by its copies).
  template <class Inspector>
  typename Inspector::result_type inspect_as(Inspector& f, const char* name) {
    if constexpr (Inspector::reads_state) {
      return f(caf::meta::type_name(name), svc_);
    } else {
      auto result = f(caf::meta::type_name(name), svc_);
      client_ = detail::make_queue_client();
      return result;
    }
  }

  detail::lazy_service svc_;
  std::shared_ptr<detail::queue_client> client_;
};

/// A `queue` that also counts unfinished items (Python:
/// `multiprocessing.JoinableQueue`): every `put` adds one, `task_done()`
/// removes one, and `join()` waits until none is left. Same semantics,
/// death handling and costs as `queue`; a process that dies in `join` is
/// forgotten, and the items it took but did not mark done stay unfinished.
template <class T>
class joinable_queue : public queue<T> {
public:
  joinable_queue() : joinable_queue(0) {
    // nop
  }

  explicit joinable_queue(size_t maxsize)
    : queue<T>(detail::make_queue_service(maxsize, true)) {
    // nop
  }

  /// Marks one item taken by `get` as processed; throws `state_error` when
  /// called more often than items were put.
  void task_done() const {
    detail::queue_task_done(this->svc_);
  }

  /// Waits until every item put has been marked done.
  void join() const {
    detail::queue_join(this->svc_);
  }

  template <class Inspector>
  friend typename Inspector::result_type
  inspect(Inspector& f, joinable_queue& x) {
    return x.inspect_as(f, "actorpool::joinable_queue");
  }
};

/// An unbounded queue with the minimal interface (Python:
/// `multiprocessing.SimpleQueue`): `put`, blocking `get`, `empty`, `close`.
/// Same service, semantics and costs as `queue`.
template <class T>
class simple_queue : private queue<T> {
public:
  using value_type = T;

  /// An unbounded queue, created on first use.
  simple_queue() = default;

  /// Puts `x` at the end; throws `eof_error` after `close()`.
  void put(const T& x) const {
    queue<T>::put(x);
  }

  /// Waits for an item; throws `eof_error` when closed and empty.
  T get() const {
    return queue<T>::get();
  }

  using queue<T>::empty;

  using queue<T>::close;

  using queue<T>::service;

  template <class Inspector>
  friend typename Inspector::result_type
  inspect(Inspector& f, simple_queue& x) {
    return x.inspect_as(f, "actorpool::simple_queue");
  }
};

} // namespace actorpool
