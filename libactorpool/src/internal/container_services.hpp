#pragma once

#include <caf/fwd.hpp>

namespace actorpool::detail {

/// Spawns the service actor behind `dict` and `namespace_proxy` (protocol:
/// `dict_op` in actorpool/dict.hpp): encoded keys to encoded values, in
/// insertion order. Every call is answered at once.
caf::actor spawn_dict_service(caf::actor_system& sys);

/// Spawns the service actor behind `list` (protocol: `list_op` in
/// actorpool/list.hpp). Every call is answered at once.
caf::actor spawn_list_service(caf::actor_system& sys);

} // namespace actorpool::detail
