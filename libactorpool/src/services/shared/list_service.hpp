#pragma once

// The service behind `list` (protocol: `list_ops` in actorpool/list.hpp): a
// vector of encoded items. Every call is answered at once, so a dead client
// changes nothing.
//
// Payloads: `append` = the raw item; `extend` = a vector of items; `get`,
// `pop` = an i64 index, answered by `encode_found` of the raw item (nothing
// for a bad index); `set` = an i64 index followed by the raw item, answered
// by a bool (index valid); `items` answers a vector of raw items.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "services/service_actor.hpp"
#include "services/service_state.hpp"

namespace actorpool::detail {

/// The list's state; methods answer calls (see `list_ops`).
class list_state : public service_state {
public:
  static inline const char* name = "actorpool.list";

  service_result on_call(client_id c, uint8_t op, const std::string& payload);

private:
  /// The position of Python index `i`, or nothing when out of range.
  std::optional<size_t> position(int64_t i) const;

  /// `get` or `pop`; an item that does not fit in a reply to `c` stays.
  service_result take_item(client_id c, uint8_t op, const std::string& payload);

  std::string set_item(const std::string& payload);

  void extend(const std::string& payload);

  std::vector<std::string> items_;
};

caf::actor spawn_list_service(caf::actor_system& sys);

} // namespace actorpool::detail
