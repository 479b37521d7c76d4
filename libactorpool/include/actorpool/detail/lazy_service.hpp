#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>

#include <caf/actor.hpp>
#include <caf/error.hpp>
#include <caf/fwd.hpp>
#include <caf/meta/type_name.hpp>

#include "actorpool/detail/codec.hpp"
#include "actorpool/detail/service.hpp"

namespace actorpool::detail {

/// Spawns the actor of a service in the parent's actor system.
using service_factory = std::function<caf::actor(caf::actor_system&)>;

/// The service behind every handle of a shared object (lock, queue, pipe,
/// value, dict, ...): created on first use, so that default-constructed
/// handles cost nothing (also in the workers that decode them), and shared
/// by every copy. The service is created in the parent process, in the
/// default actor system, on the first call or when the handle is encoded as
/// a task argument; a handle decoded from bytes (in a worker, or in the
/// parent) refers to the same service without owning it. Copies made in the
/// parent own the service: once the last of them is gone, it is stopped and
/// calls from workers fail with `bad_argument`. Thread-safe.
///
/// Cost: creation spawns one actor (a few µs); each call is one round trip
/// to the service (see `call_service`).
class lazy_service {
public:
  /// An empty handle: every call throws `state_error`; it encodes as 0.
  lazy_service() = default;

  /// A handle whose service `make` spawns on first use.
  explicit lazy_service(service_factory make);

  /// A non-owning handle for the service with `id` (0: an empty handle).
  static lazy_service from_id(uint64_t id);

  /// Whether this handle has (or can make) a service.
  bool valid() const noexcept {
    return st_ != nullptr;
  }

  /// The service's id, creating the service first if needed. Throws
  /// `state_error` for an empty handle, and when the service does not exist
  /// yet and this is a worker process (services live in the parent).
  uint64_t id() const;

  /// Whether both handles refer to the same service; never creates one, so
  /// handles whose services do not exist yet are the same only if one is a
  /// copy of the other.
  bool same(const lazy_service& other) const noexcept;

  /// Calls operation `op` with an encoded `payload`; returns the encoded
  /// result (see `call_service`).
  std::string call(service_op op, std::string payload = {}) const {
    return call_service(id(), op, std::move(payload));
  }

  /// Encodes `xs` as the payload and decodes an `R` from the reply.
  template <class R, class... Ts>
  R call_as(service_op op, const Ts&... xs) const {
    return call_service_as<R>(id(), op, xs...);
  }

  /// For `inspect`: the id to encode (0 for an empty handle), creating the
  /// service if needed; an `encoding_failed` error when that fails.
  caf::error save(uint64_t& id) const noexcept;

  template <class Inspector>
  friend typename Inspector::result_type
  inspect(Inspector& f, lazy_service& x) {
    auto name = caf::meta::type_name("actorpool::service");
    uint64_t id = 0;
    if constexpr (Inspector::reads_state) {
      if (auto err = x.save(id))
        return err;
      return f(name, id);
    } else {
      auto result = f(name, id);
      x = from_id(id);
      return result;
    }
  }

private:
  struct state;

  static void create(state& st);

  std::shared_ptr<state> st_;
};

} // namespace actorpool::detail
