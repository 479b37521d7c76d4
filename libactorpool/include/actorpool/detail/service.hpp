#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <caf/actor.hpp>
#include <caf/meta/type_name.hpp>

#include "actorpool/detail/codec.hpp"

namespace actorpool::detail {

/// Operation code of a service call; each kind of service defines its own.
using service_op = uint8_t;

/// Who calls a service: the process and the thread (lock ownership).
struct client_id {
  int32_t pid = 0;
  uint64_t thread = 0;
  /// Longest reply the caller can receive (a worker's frame size limit), not
  /// part of its identity: a service that hands out an item keeps one that
  /// would not fit and fails the call instead.
  uint64_t max_reply = UINT64_MAX;
};

inline bool operator==(const client_id& x, const client_id& y) noexcept {
  return x.pid == y.pid && x.thread == y.thread;
}

inline bool operator!=(const client_id& x, const client_id& y) noexcept {
  return !(x == y);
}

/// The calling thread as a service client.
client_id this_client();

/// Calls operation `op` of service `id` with the encoded arguments `payload`
/// and returns the encoded result. Blocks the calling thread until the
/// service answers: in the parent process through the actor system, in a
/// worker process over the worker's socket (the reply is matched to the call
/// by the worker's reader). Throws the exception the service answered with
/// (`throw_error`); a service that no longer exists is a `bad_argument`.
/// Costs one round trip to the parent for calls from workers.
std::string call_service(uint64_t id, service_op op, std::string payload);

/// Calls operation `op` of service `id` without waiting for its answer,
/// where that is possible: from a worker, the call is written to the
/// parent and this returns at once (later calls of the same thread reach
/// the service after it); an error the service answers with is dropped.
/// In the parent process it is `call_service` (errors thrown). Costs one
/// frame written, no round trip, from a worker.
void cast_service(uint64_t id, service_op op, std::string payload);

/// Typed convenience: encodes `xs` as the payload and decodes an `R`.
template <class R, class... Ts>
R call_service_as(uint64_t id, service_op op, const Ts&... xs) {
  auto reply = call_service(id, op, encode(xs...));
  if constexpr (std::is_void_v<R>)
    return;
  else
    return decode_one<R>(reply);
}

/// A reference to a service actor that lives in the parent process. Copies
/// made in the parent keep the service alive: when the last of them is gone
/// the service is unregistered and stopped. The handle is serializable, so
/// it can be an argument of a task; only the id travels, and a handle
/// decoded in a worker refers to the same service without owning it.
class service_handle {
public:
  service_handle() = default;

  /// Registers `service` (an actor implementing the service protocol) and
  /// owns it.
  explicit service_handle(caf::actor service);

  uint64_t id() const noexcept {
    return id_;
  }

  bool valid() const noexcept {
    return id_ != 0;
  }

  /// Calls operation `op`; see `call_service`.
  std::string call(service_op op, std::string payload) const {
    return call_service(id_, op, std::move(payload));
  }

  template <class Inspector>
  friend typename Inspector::result_type
  inspect(Inspector& f, service_handle& x) {
    return f(caf::meta::type_name("actorpool::service_handle"), x.id_);
  }

private:
  uint64_t id_ = 0;
  std::shared_ptr<void> owner_;
};

} // namespace actorpool::detail
