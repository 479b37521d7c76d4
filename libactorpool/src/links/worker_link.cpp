#include "links/worker_link.hpp"

namespace actorpool::detail {

worker_events::~worker_events() {
  // nop
}

worker_link::~worker_link() {
  // nop
}

} // namespace actorpool::detail
