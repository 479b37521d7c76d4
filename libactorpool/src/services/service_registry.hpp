#pragma once

#include <cstdint>

#include <caf/actor.hpp>

namespace actorpool::detail {

// Services are actors in the parent process; this process-wide table maps
// their ids to them. A service actor handles
//   (service_atom, int32_t pid, uint64_t thread, uint8_t op, std::string)
//     -> std::string (the encoded result) or a caf::error of category
//        "actorpool",
//   the same with a trailing uint64_t max_reply from calls made in a worker:
//     the longest result that worker can receive (`client_id::max_reply`),
//   (client_down_atom, int32_t pid): the process `pid` is gone; release what
//     it held and forget what it waited for,
// and must answer every call eventually (blocked callers wait for it).

/// Adds `service` and returns its id (never 0).
uint64_t register_service(caf::actor service);

/// The service with `id`, or an invalid handle.
caf::actor find_service(uint64_t id);

/// Removes service `id` and stops its actor.
void unregister_service(uint64_t id);

/// Tells every service that process `pid` is gone.
void notify_client_down(int32_t pid);

} // namespace actorpool::detail
