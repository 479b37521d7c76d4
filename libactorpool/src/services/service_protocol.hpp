#pragma once

// Typed op codes. Every service declares its operations as
// `enum class <name>_op : service_op` in a private header next to it; the
// service switches over it and its client-side functions (in the service's
// .cpp) call it through these helpers. A call's request and reply format:
// README.md in this folder.

#include <string>
#include <type_traits>
#include <utility>

#include "actorpool/detail/lazy_service.hpp"
#include "actorpool/detail/service.hpp"

namespace actorpool::detail {

/// The wire value of the typed op code `op`.
template <class Op>
constexpr service_op op_code(Op op) noexcept {
  static_assert(std::is_enum_v<
                  Op> && std::is_same_v<std::underlying_type_t<Op>, service_op>,
                "op codes are enums over service_op");
  return static_cast<service_op>(op);
}

/// Calls `op` of `svc` with the encoded arguments `payload`; returns the
/// encoded reply (see `call_service`).
template <class Op>
std::string call_op(const lazy_service& svc, Op op, std::string payload = {}) {
  return svc.call(op_code(op), std::move(payload));
}

/// Encodes `xs` as the arguments of `op` and decodes an `R` from the reply.
template <class R, class Op, class... Ts>
R call_op_as(const lazy_service& svc, Op op, const Ts&... xs) {
  return svc.call_as<R>(op_code(op), xs...);
}

} // namespace actorpool::detail
