#pragma once

// The request loop every service actor runs (protocol: service_registry.hpp)
// and the helpers its state uses to decode calls and to answer them.

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <utility>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/behavior.hpp>
#include <caf/exit_reason.hpp>
#include <caf/result.hpp>
#include <caf/stateful_actor.hpp>

#include "actorpool/detail/codec.hpp"
#include "actorpool/detail/service.hpp"
#include "actorpool/errc.hpp"
#include "base/atoms.hpp"

namespace actorpool::detail {

/// What a service answers a call with: an encoded result now, a promise of
/// one, or an error.
using service_result = caf::result<std::string>;

/// Decodes the next values of a payload.
template <class... Ts>
std::tuple<Ts...> take(decoder& src) {
  std::tuple<Ts...> xs;
  src.read_tuple(xs);
  return xs;
}

/// The error `code` with the context `what`.
inline caf::error fail(errc code, std::string what) {
  return make_error(code, std::move(what));
}

/// Whether `item` fits in a reply to `c`; else the error for that call (the
/// item stays where it is).
inline caf::error check_fits(const client_id& c, const std::string& item) {
  if (item.size() <= c.max_reply)
    return caf::none;
  return fail(errc::encoding_failed,
              "an item of " + std::to_string(item.size())
                + " bytes exceeds the frame size limit of the calling "
                  "process (replies of up to "
                + std::to_string(c.max_reply) + " bytes); it stays");
}

/// The `errc::invalid_state` error (`state_error` for the caller).
inline caf::error state_failure(std::string what) {
  return fail(errc::invalid_state, std::move(what));
}

/// The error given to waiters whose process is gone or whose service stops
/// (`bad_argument` for the caller, if it is still there).
inline caf::error gone_failure(std::string what) {
  return fail(errc::invalid_argument, std::move(what));
}

/// What follows the values `src` decoded from `payload` (raw item bytes).
inline std::string rest_of(const std::string& payload, const decoder& src) {
  return payload.substr(payload.size() - src.remaining());
}

/// A reply that may hold a raw value: a bool (found), then the bytes.
inline std::string encode_found(const std::string* x) {
  auto out = encode(x != nullptr);
  if (x != nullptr)
    out += *x;
  return out;
}

/// The raw value of an `encode_found` reply, if it holds one.
inline std::optional<std::string> decode_found(const std::string& reply) {
  decoder src{reply};
  auto [found] = take<bool>(src);
  if (!found)
    return std::nullopt;
  return rest_of(reply, src);
}

/// Runs `f()` (which decodes a payload and answers a call) and turns codec
/// failures into errors on that call.
template <class F>
service_result guarded(F f) {
  try {
    return f();
  } catch (const codec_failure& e) {
    return fail(e.code(), e.what());
  }
}

/// The behavior of a service actor whose state (a `service_state`) answers
/// calls with `on_call(client, op, payload)`: a malformed payload is an
/// error on that call. `client_down`, timer and exit messages go to the
/// state's hooks; the actor quits after `on_exit()`. `extra` handlers are
/// added as they are.
template <class State, class... Fs>
caf::behavior service_behavior(caf::stateful_actor<State>* self, Fs... extra) {
  self->set_exit_handler([self](caf::exit_msg& msg) {
    self->state.on_exit();
    self->quit(msg.reason);
  });
  return {
    [self](service_atom, int32_t pid, uint64_t thread, uint8_t op,
           std::string& payload) -> service_result {
      return guarded([&] {
        return self->state.on_call(client_id{pid, thread}, op, payload);
      });
    },
    [self](service_atom, int32_t pid, uint64_t thread, uint8_t op,
           std::string& payload, uint64_t max_reply) -> service_result {
      return guarded([&] {
        return self->state.on_call(client_id{pid, thread, max_reply}, op,
                                   payload);
      });
    },
    [self](client_down_atom, int32_t pid) { self->state.on_client_down(pid); },
    [self](timer_atom, uint64_t id) { self->state.on_timer(id); },
    std::move(extra)...,
  };
}

/// Spawns a service actor whose state `State` (a `service_state`) is
/// initialised by `init(self, args...)` and which runs `service_behavior`.
template <class State, class... Ts>
caf::actor spawn_service(caf::actor_system& sys, Ts... args) {
  // The leading flag keeps CAF 0.17 from binding a reference to the null
  // argument tuple of an actor spawned without arguments (UBSan).
  auto fn = [](caf::stateful_actor<State>* self, bool, Ts... xs) {
    self->state.init(self, std::move(xs)...);
    return service_behavior(self);
  };
  return sys.spawn(fn, true, std::move(args)...);
}

} // namespace actorpool::detail
