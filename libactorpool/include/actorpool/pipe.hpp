#pragma once

#include <utility>

#include "actorpool/connection.hpp"

namespace actorpool {

/// Makes a pipe and returns its two ends (Python: `multiprocessing.Pipe`).
/// With `duplex` both ends send and receive; without it the first end only
/// receives and the second only sends. Spawns one service actor in the
/// parent (must be called there: in a worker it throws `state_error`); it
/// lives as long as a handle to either end in the parent. See `connection`
/// for the semantics, what a dead peer means, and costs.
template <class T>
std::pair<connection<T>, connection<T>> pipe(bool duplex = true) {
  auto svc = detail::make_pipe_service(duplex);
  svc.id(); // create it now, in this process
  uint8_t first = duplex ? 3 : 1;
  uint8_t second = duplex ? 3 : 2;
  using factory = detail::connection_factory;
  return {factory::make<connection<T>>(svc, 0, first),
          factory::make<connection<T>>(svc, 1, second)};
}

} // namespace actorpool
