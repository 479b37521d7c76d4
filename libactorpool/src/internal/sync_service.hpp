#pragma once

// What the services behind the synchronisation primitives and shared state
// (lock, rlock, semaphore, event, condition, barrier, value, array) share:
// client identities, encoded replies, per-waiter timers, the lazily created
// service behind a handle, and the request loop that turns malformed payloads
// into errors.

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <tuple>
#include <utility>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "actorpool/detail/codec.hpp"
#include "actorpool/detail/service.hpp"
#include "actorpool/errc.hpp"
#include "internal/atoms.hpp"

namespace actorpool::detail {

/// Who made a call: a thread of a process.
struct client_key {
  int32_t pid = 0;
  uint64_t thread = 0;
};

inline bool operator==(const client_key& x, const client_key& y) noexcept {
  return x.pid == y.pid && x.thread == y.thread;
}

inline bool operator!=(const client_key& x, const client_key& y) noexcept {
  return !(x == y);
}

/// The reply of a call that is answered later.
using reply_promise = caf::typed_response_promise<std::string>;

/// Timeouts travel as nanoseconds; this one means "wait forever".
constexpr int64_t wait_forever = -1;

/// What an `acquire` (lock, rlock, semaphore) answers: one byte.
enum acquire_status : uint8_t {
  /// Not acquired: non-blocking call or timeout.
  not_acquired = 0,
  acquired = 1,
  /// Acquired, taking over what a process that died held.
  acquired_owner_died = 2,
};

/// Encodes `xs` as a reply payload.
template <class... Ts>
std::string encode_reply(Ts... xs) {
  std::string out;
  if constexpr (sizeof...(Ts) > 0)
    encode_into(out, xs...);
  return out;
}

/// Decodes the next values of a payload.
template <class... Ts>
std::tuple<Ts...> take(decoder& src) {
  std::tuple<Ts...> xs;
  src.read_tuple(xs);
  return xs;
}

/// The `errc::invalid_state` error (`state_error` for the caller).
inline caf::error state_failure(std::string what) {
  return make_error(errc::invalid_state, std::move(what));
}

/// The error given to waiters whose process is gone or whose service stops.
inline caf::error gone_failure(const char* what) {
  return make_error(errc::invalid_argument, std::string{what});
}

/// Schedules `(timer_atom, id)` to `self` after `ns` nanoseconds, unless the
/// timeout is "forever".
inline void start_timer(caf::event_based_actor* self, int64_t ns, uint64_t id) {
  if (ns >= 0)
    self->delayed_send(self, std::chrono::nanoseconds{ns}, timer_atom::value,
                       id);
}

/// Runs `f()` (which decodes a payload and answers a call) and turns codec
/// failures into errors on that call.
template <class F>
caf::result<std::string> guarded(F f) {
  try {
    return f();
  } catch (const codec_failure& e) {
    return make_error(e.code(), std::string{e.what()});
  }
}

/// The service behind the handles of one primitive in one process: created
/// in the parent process on first use (`id()`), or attached to the id a
/// decoded handle carries. Thread-safe.
class lazy_primitive {
public:
  using factory = std::function<caf::actor(caf::actor_system&)>;

  /// A service `make` creates on first use; a null `make` is an empty
  /// handle that cannot be used.
  explicit lazy_primitive(factory make) : make_(std::move(make)) {
    // nop
  }

  /// The service with `id`, made elsewhere.
  explicit lazy_primitive(uint64_t id) : id_(id) {
    // nop
  }

  /// The service's id; creates the service on first call. Throws
  /// `state_error` in a worker process (services live in the parent) and
  /// for empty handles.
  uint64_t id();

  /// The id if the service exists already, else 0 (never creates it).
  uint64_t known_id() {
    std::lock_guard<std::mutex> guard{mtx_};
    return id_;
  }

private:
  std::mutex mtx_;
  factory make_;
  service_handle owner_;
  uint64_t id_ = 0;
};

} // namespace actorpool::detail
