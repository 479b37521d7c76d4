#pragma once

// The service behind `value<T>` and `array<T>`: a vector of encoded
// elements. One actor applies every operation in order, so a
// read-modify-write message (`fetch_add`, `update`) is atomic without a lock.

#include <cstdint>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "actorpool/detail/shared_cell.hpp"
#include "services/service_actor.hpp"
#include "services/service_protocol.hpp"
#include "services/service_state.hpp"

namespace actorpool::detail {

/// Operations (arguments -> reply; request format: services/README.md).
/// Elements travel encoded.
enum class cell_op : service_op {
  /// uint64 index -> element.
  get = 1,
  /// uint64 index, string element -> ().
  set = 2,
  /// () -> uint64.
  size = 3,
  /// uint64 first, uint64 last -> vector<string> elements in [first, last)
  /// (clamped to the size, like a Python slice).
  get_range = 4,
  /// uint64 first, vector<string> elements -> () (must fit).
  set_range = 5,
  /// uint64 index, string delta -> the element before adding.
  fetch_add = 6,
  /// uint64 index, string task name -> the element the task returned.
  update = 7,
};

/// The cell's state; methods answer calls (see `cell_op`). Nothing waits and
/// nothing is held between calls, so dead clients change nothing.
class cell_state : public service_state {
public:
  static inline const char* name = "actorpool.shared_cell";

  void init(caf::event_based_actor* self, std::vector<std::string> elements,
            const cell_ops* ops) {
    attach(self);
    elements_ = std::move(elements);
    ops_ = ops;
  }

  service_result on_call(client_id c, uint8_t op, const std::string& payload);

private:
  service_result get(uint64_t i) const;

  service_result set(uint64_t i, std::string& x);

  /// `cell_op::fetch_add` and `cell_op::update`.
  service_result read_modify_write(cell_op op, decoder& src);

  service_result get_range(uint64_t first, uint64_t last) const;

  service_result set_range(uint64_t first, std::vector<std::string>& xs);

  service_result fetch_add(uint64_t i, const std::string& delta);

  service_result update(uint64_t i, const std::string& task);

  /// An error unless `i` is a valid index.
  caf::error check(uint64_t i) const;

  std::vector<std::string> elements_;
  const cell_ops* ops_ = nullptr;
};

/// Spawns a cell holding `elements`; `ops` does the typed arithmetic (may
/// be null: `fetch_add` then fails).
caf::actor spawn_shared_cell(caf::actor_system& sys,
                             std::vector<std::string> elements,
                             const cell_ops* ops);

} // namespace actorpool::detail
