#pragma once

// The service behind `dict` and `namespace_proxy` (protocol: `dict_op`):
// encoded keys to encoded values, in insertion order. Every call is answered
// at once, so a dead client changes nothing.

#include <cstdint>
#include <list>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "services/service_actor.hpp"
#include "services/service_protocol.hpp"
#include "services/service_state.hpp"

namespace actorpool::detail {

/// Operations (arguments -> reply; request format: services/README.md).
/// Keys and values are encoded; "raw" ones fill the arguments or the reply
/// on their own, without a length prefix.
enum class dict_op : service_op {
  /// string key, string value -> ().
  set = 1,
  /// raw key -> `encode_found` of the raw value.
  get = 2,
  /// raw key -> bool (was there).
  erase = 3,
  /// raw key -> bool.
  contains = 4,
  /// () -> uint64.
  size = 5,
  /// () -> vector<string> keys.
  keys = 6,
  /// () -> vector<string> values.
  values = 7,
  /// () -> vector<string> keys and values alternately.
  items = 8,
  /// vector<string> keys and values alternately -> ().
  update = 9,
  /// () -> ().
  clear = 10,
  /// raw key -> `encode_found` of the raw value (removed).
  pop = 11,
  /// string key, string value -> the raw value stored.
  setdefault = 12,
};

/// The dict's state; methods answer calls (see `dict_op`).
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
  std::string store_pair(dict_op op, const std::string& payload);

  void update(const std::string& payload);

  /// `keys`, `values` or `items`.
  std::vector<std::string> dump(dict_op op) const;

  entries items_;
  std::unordered_map<std::string, entries::iterator> index_;
};

caf::actor spawn_dict_service(caf::actor_system& sys);

} // namespace actorpool::detail
