#include "actorpool/thread_pool.hpp"

#include "actorpool/runtime.hpp"

namespace actorpool {

thread_pool::thread_pool() : thread_pool(pool_options{}) {
  // nop
}

thread_pool::thread_pool(long threads)
  : thread_pool(pool_options{}.processes(threads)) {
  // nop
}

thread_pool::thread_pool(const pool_options& opts)
  : thread_pool(default_system(), opts) {
  // nop
}

thread_pool::thread_pool(caf::actor_system& sys, const pool_options& opts)
  : pool(sys, opts, detail::worker_kind::threads) {
  // nop
}

} // namespace actorpool
