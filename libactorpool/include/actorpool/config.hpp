#pragma once

#include <caf/actor_system_config.hpp>

#include "actorpool/pool_options.hpp"

namespace actorpool {

/// An actor system configuration for programs that use pools, following
/// CAF's conventions: it loads `caf::io::middleman`, registers the
/// `actorpool` error category (so that `sys.render(err)` names the error:
/// "actorpool::timeout: ...") and the messages of `pool_actor` (so that a
/// pool can be published to other CAF nodes), and declares the options of
/// the `actorpool` group, read from the command line
/// (`--actorpool.processes=4`) and from the `[actorpool]` section of
/// `caf-application.ini`:
///
/// | option | type | `pool_options` setter |
/// |---|---|---|
/// | `actorpool.processes` | integer | `processes` |
/// | `actorpool.spare-workers` | integer | `spare_workers` |
/// | `actorpool.max-tasks-per-child` | integer | `max_tasks_per_child` |
/// | `actorpool.window` | integer | `window` |
/// | `actorpool.max-worker-memory` | integer (bytes) | `max_worker_memory` |
/// | `actorpool.max-retries` | integer | `max_retries` |
/// | `actorpool.start-timeout` | duration (`10s`) | `start_timeout` |
/// | `actorpool.cancel-grace` | duration | `cancel_grace` |
/// | `actorpool.task-timeout` | duration | `task_timeout` |
/// | `actorpool.max-frame-size` | integer (bytes) | `max_frame_size` |
///
/// `read_pool_options` turns the parsed values into `pool_options`. Use it
/// with `CAF_MAIN` (`void caf_main(caf::actor_system&, const
/// actorpool::config&)`) or derive from it to add options of your own.
class config : public caf::actor_system_config {
public:
  config();
};

/// Registers the `actorpool` error category and the messages of
/// `pool_actor` in `cfg`: what `config` does besides its options, for
/// programs whose configuration class cannot derive from `config`.
void register_types(caf::actor_system_config& cfg);

/// The pool options set in `cfg` (see `config`) on top of `defaults`. CAF's
/// parser rejects a value of the wrong type (`parse` returns the error); a
/// negative size or count throws `bad_argument` here, other values out of
/// range are reported when the pool is created (`bad_argument`).
pool_options read_pool_options(const caf::actor_system_config& cfg,
                               pool_options defaults = {});

} // namespace actorpool
