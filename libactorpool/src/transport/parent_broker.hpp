#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

#include <caf/fwd.hpp>

namespace actorpool::detail {

class call_gate;

/// Finds the service actor a worker's call names; a null handle if there is
/// none (the broker then answers the call with an error).
using service_lookup = std::function<caf::actor(uint64_t service)>;

/// Spawns the broker for the parent's end `fd` of worker `wid`'s socket. It
/// forwards `(hello_atom, wid, hello_msg)`, `(results_atom, wid, results)`
/// and finally `(down_atom, wid, reason)` to `coordinator`, and writes the
/// coordinator's tasks, init, cancel, revoke and shutdown messages as
/// frames. `(stop_atom)` closes the connection. The worker's service calls
/// go to the service `find` names, through `gate` (on behalf of the pid in
/// its hello), and are refused once the gate is closed.
caf::actor spawn_parent_broker(caf::actor_system& sys, int fd, uint64_t wid,
                               caf::actor coordinator, size_t max_frame_size,
                               std::shared_ptr<call_gate> gate,
                               service_lookup find);

} // namespace actorpool::detail
