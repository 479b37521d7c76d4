#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include <caf/error.hpp>
#include <caf/meta/type_name.hpp>

#include "actorpool/detail/codec.hpp"
#include "actorpool/detail/service.hpp"

namespace actorpool::detail {

/// Spawns a service of one kind in the parent process and returns the owning
/// handle; `arg` is the kind's single parameter (a queue's maxsize, ...).
using service_factory = service_handle (*)(uint64_t arg);

/// True in a worker process (a pool worker or a `process`), where services
/// cannot be created, only used.
bool in_worker_process() noexcept;

/// The shared core of the queue, pipe and manager handles: a service that is
/// created on first use (so that default-constructed handles are cheap and a
/// handle decoded in a worker never creates anything), shared by every copy.
/// Copies made in the parent own the service; a copy decoded from bytes (in a
/// worker or in the parent) only refers to it. Thread-safe.
class lazy_service {
public:
  /// An empty handle: every call throws `state_error`.
  lazy_service() = default;

  /// A handle whose service `factory(arg)` makes on first use.
  lazy_service(service_factory factory, uint64_t arg);

  /// A handle for a service made already.
  static lazy_service attach(service_handle owner);

  /// A non-owning handle for the service with `id` (0: empty).
  static lazy_service from_id(uint64_t id);

  /// Whether this handle has (or can make) a service.
  bool valid() const noexcept {
    return st_ != nullptr;
  }

  /// The service's id, creating the service first if needed. Throws
  /// `state_error` for an empty handle or when creation is impossible here
  /// (in a worker process).
  uint64_t id() const;

  /// Calls operation `op` (one round trip to the parent from a worker).
  std::string call(service_op op, std::string payload) const {
    return call_service(id(), op, std::move(payload));
  }

  /// Encodes `xs` as the payload and decodes an `R` from the reply.
  template <class R, class... Ts>
  R call_as(service_op op, Ts... xs) const {
    return call_service_as<R>(id(), op, std::move(xs)...);
  }

  /// For `inspect`: the id to encode (0 for an empty handle), creating the
  /// service if needed; an error when that fails.
  caf::error save(uint64_t& id) const noexcept;

  template <class Inspector>
  friend typename Inspector::result_type
  inspect(Inspector& f, lazy_service& x) {
    auto name = caf::meta::type_name("actorpool::service");
    if constexpr (Inspector::reads_state) {
      uint64_t id = 0;
      if (auto err = x.save(id))
        return err;
      return f(name, id);
    } else {
      uint64_t id = 0;
      auto result = f(name, id);
      x = from_id(id);
      return result;
    }
  }

private:
  struct state {
    std::once_flag once;
    service_factory factory = nullptr;
    uint64_t arg = 0;
    uint64_t id = 0;
    service_handle owner;
  };

  static void create(state& st);

  std::shared_ptr<state> st_;
};

/// Encodes `x` on its own (a queue item, a dict key, ...). Serialization
/// only reads `x`, hence the cast.
template <class T>
std::string encode_value(const T& x) {
  std::string out;
  encode_into(out, const_cast<T&>(x));
  return out;
}

} // namespace actorpool::detail
