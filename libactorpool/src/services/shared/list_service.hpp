#pragma once

// The service behind `list` (protocol: `list_op`): a vector of encoded
// items. Every call is answered at once, so a dead client changes nothing.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "services/service_actor.hpp"
#include "services/service_protocol.hpp"
#include "services/service_state.hpp"

namespace actorpool::detail {

/// Operations (arguments -> reply; request format: services/README.md).
/// Items are encoded; "raw" ones fill the arguments or the reply on their
/// own, without a length prefix. Indexes are int64; negative ones count from
/// the end (Python).
enum class list_op : service_op {
  /// raw item -> ().
  append = 1,
  /// vector<string> items -> ().
  extend = 2,
  /// int64 index -> `encode_found` of the raw item (nothing: bad index).
  get = 3,
  /// int64 index, then the raw item -> bool (index valid).
  set = 4,
  /// () -> uint64.
  size = 5,
  /// int64 index -> `encode_found` of the raw item (removed).
  pop = 6,
  /// () -> vector<string> items.
  items = 7,
  /// () -> ().
  clear = 8,
};

/// The list's state; methods answer calls (see `list_op`).
class list_state : public service_state {
public:
  static inline const char* name = "actorpool.list";

  service_result on_call(client_id c, uint8_t op, const std::string& payload);

private:
  /// The position of Python index `i`, or nothing when out of range.
  std::optional<size_t> position(int64_t i) const;

  /// `get` or `pop`; an item that does not fit in a reply to `c` stays.
  service_result take_item(client_id c, list_op op, const std::string& payload);

  std::string set_item(const std::string& payload);

  void extend(const std::string& payload);

  std::vector<std::string> items_;
};

caf::actor spawn_list_service(caf::actor_system& sys);

} // namespace actorpool::detail
