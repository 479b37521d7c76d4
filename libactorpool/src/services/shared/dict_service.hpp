#pragma once

// The service behind `dict` and `namespace_proxy` (protocol: `dict_ops` in
// actorpool/dict.hpp): encoded keys to encoded values, in insertion order.
// Every call is answered at once, so a dead client changes nothing.
//
// Payloads: `set`, `setdefault` = (key, value) as two encoded strings; `get`,
// `pop`, `erase`, `contains` = the raw key; `update` = a vector of keys and
// values alternating. Replies of `get`, `pop`: `encode_found` of the raw
// value; of `setdefault`: the raw value; of `keys`, `values`, `items`: a
// vector of raw keys and/or values.

#include <cstdint>
#include <list>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "services/service_actor.hpp"
#include "services/service_state.hpp"

namespace actorpool::detail {

/// The dict's state; methods answer calls (see `dict_ops`).
class dict_state : public service_state {
public:
  static inline const char* name = "actorpool.dict";

  service_result on_call(client_id c, uint8_t op, const std::string& payload);

private:
  using entries = std::list<std::pair<std::string, std::string>>;

  const std::string* find(const std::string& key) const;

  /// Returns the stored value (the old one unless `overwrite`).
  const std::string& store(std::string key, std::string value, bool overwrite);

  bool erase(const std::string& key);

  /// Removes the value of `key` and answers with it, unless it does not fit
  /// in a reply to `c` (then it stays).
  service_result pop(client_id c, const std::string& key);

  /// `set` or `setdefault`.
  std::string store_pair(uint8_t op, const std::string& payload);

  void update(const std::string& payload);

  /// `keys`, `values` or `items`.
  std::vector<std::string> dump(uint8_t op) const;

  entries items_;
  std::unordered_map<std::string, entries::iterator> index_;
};

caf::actor spawn_dict_service(caf::actor_system& sys);

} // namespace actorpool::detail
