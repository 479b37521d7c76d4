#include "actorpool/config.hpp"

#include <chrono>
#include <cstdint>

#include <caf/io/middleman.hpp>
#include <caf/timespan.hpp>

#include "actorpool/errc.hpp"
#include "actorpool/exceptions.hpp"
#include "actorpool/pool_actor.hpp"
#include "actorpool/pool_stats.hpp"
#include "actorpool/stream_protocol.hpp"

namespace actorpool {

namespace {

std::string render_error(uint8_t code, caf::atom_value category,
                         const caf::message& context) {
  return render(caf::error{code, category, context});
}

std::chrono::milliseconds millis(caf::timespan t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t);
}

/// Calls `set(value)` if `cfg` has a value of type T under `name`.
template <class T, class F>
void read(const caf::actor_system_config& cfg, const char* name, F set) {
  if (auto value = caf::get_if<T>(&cfg, name))
    set(*value);
}

/// `n` as a size or count, or `bad_argument` naming the option.
template <class T>
T non_negative(const char* name, int64_t n) {
  if (n < 0)
    throw bad_argument(errc::invalid_argument, std::string{name}
                                                 + " must not be negative, got "
                                                 + std::to_string(n));
  return static_cast<T>(n);
}

} // namespace

config::config() {
  load<caf::io::middleman>();
  register_types(*this);
  opt_group{custom_options_, "actorpool"}
    .add<int64_t>("processes", "number of worker processes")
    .add<int64_t>("spare-workers", "workers kept ready to replace others")
    .add<int64_t>("max-tasks-per-child",
                  "tasks a worker runs, then is replaced")
    .add<int64_t>("window", "chunks in flight per worker (0: adaptive)")
    .add<int64_t>("max-worker-memory", "bytes a worker may use (0: no limit)")
    .add<int64_t>("max-retries", "runs of a chunk whose worker died")
    .add<caf::timespan>("start-timeout", "time for a worker to say hello")
    .add<caf::timespan>("cancel-grace",
                        "time a cancelled task may keep running")
    .add<caf::timespan>("task-timeout", "time limit of every task (0: none)")
    .add<int64_t>("max-frame-size", "longest frame, both ways, in bytes");
}

void register_types(caf::actor_system_config& cfg) {
  cfg.add_error_category(errc_category, render_error);
  cfg.add_message_type<task_call>("actorpool::task_call");
  cfg.add_message_type<task_reply>("actorpool::task_reply");
  cfg.add_message_type<pool_stats>("actorpool::pool_stats");
  cfg.add_message_type<stream_open>("actorpool::stream_open");
  cfg.add_message_type<detail::encoded_chunk>("actorpool::encoded_chunk");
}

pool_options read_pool_options(const caf::actor_system_config& cfg,
                               pool_options opts) {
  read<int64_t>(cfg, "actorpool.processes",
                [&](int64_t n) { opts.processes(n); });
  read<int64_t>(cfg, "actorpool.spare-workers",
                [&](int64_t n) { opts.spare_workers(n); });
  read<int64_t>(cfg, "actorpool.max-tasks-per-child",
                [&](int64_t n) { opts.max_tasks_per_child(n); });
  read<int64_t>(cfg, "actorpool.window", [&](int64_t n) {
    opts.window(non_negative<size_t>("actorpool.window", n));
  });
  read<int64_t>(cfg, "actorpool.max-worker-memory", [&](int64_t n) {
    opts.max_worker_memory(
      non_negative<size_t>("actorpool.max-worker-memory", n));
  });
  read<int64_t>(cfg, "actorpool.max-retries", [&](int64_t n) {
    opts.max_retries(non_negative<unsigned>("actorpool.max-retries", n));
  });
  read<caf::timespan>(cfg, "actorpool.start-timeout",
                      [&](caf::timespan t) { opts.start_timeout(millis(t)); });
  read<caf::timespan>(cfg, "actorpool.cancel-grace",
                      [&](caf::timespan t) { opts.cancel_grace(millis(t)); });
  read<caf::timespan>(cfg, "actorpool.task-timeout",
                      [&](caf::timespan t) { opts.task_timeout(millis(t)); });
  read<int64_t>(cfg, "actorpool.max-frame-size", [&](int64_t n) {
    opts.max_frame_size(non_negative<size_t>("actorpool.max-frame-size", n));
  });
  return opts;
}

} // namespace actorpool
