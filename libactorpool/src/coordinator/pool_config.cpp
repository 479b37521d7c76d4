#include "coordinator/pool_config.hpp"

#include "actorpool/cpu_count.hpp"
#include "actorpool/exceptions.hpp"
#include "links/output_prefix.hpp"
#include "transport/frame.hpp"

namespace actorpool::detail {

static_assert(pool_options::min_frame_size_limit == min_frame_size_limit);
static_assert(pool_options::max_frame_size_limit == max_frame_size_limit);

namespace {

[[noreturn]] void reject(const std::string& what) {
  throw bad_argument(errc::invalid_argument, what);
}

// The initializer's arguments travel in one frame, like a task's.
task_msg initializer_of(const pool_options& opts, size_t max_frame_size) {
  auto& name = opts.initializer_name();
  auto& args = opts.initializer_args();
  if (auto err = check_task_size(name, args.size(), max_frame_size,
                                 "initializer arguments"))
    throw_error(err);
  return task_msg{0, name, 1, args};
}

} // namespace

pool_config make_pool_config(const pool_options& opts) {
  pool_config cfg;
  if (auto n = opts.processes()) {
    if (*n < 1)
      reject("processes must be at least 1");
    cfg.processes = static_cast<size_t>(*n);
  } else {
    cfg.processes = cpu_count();
  }
  if (opts.spare_workers() < 0)
    reject("spare_workers must not be negative");
  cfg.spare_workers = static_cast<size_t>(opts.spare_workers());
  if (auto n = opts.max_tasks_per_child()) {
    if (*n < 1)
      reject("max_tasks_per_child must be at least 1");
    cfg.max_tasks_per_child = static_cast<size_t>(*n);
  }
  if (opts.max_frame_size() < min_frame_size_limit
      || opts.max_frame_size() > max_frame_size_limit)
    reject("max_frame_size must be between "
           + std::to_string(min_frame_size_limit) + " and "
           + std::to_string(max_frame_size_limit) + " bytes");
  cfg.max_frame_size = opts.max_frame_size();
  if (opts.start_timeout().count() <= 0)
    reject("start_timeout must be positive");
  if (opts.cancel_grace().count() < 0)
    reject("cancel_grace must not be negative");
  if (opts.task_timeout().count() < 0)
    reject("task_timeout must not be negative");
  cfg.cancel_grace = opts.cancel_grace();
  cfg.task_timeout = opts.task_timeout();
  cfg.window = opts.window();
  cfg.max_worker_memory = opts.max_worker_memory();
  cfg.max_retries = opts.max_retries();
  cfg.start_timeout = opts.start_timeout();
  if (!opts.initializer_name().empty())
    cfg.initializer = initializer_of(opts, cfg.max_frame_size);
  if (auto parsed = output_prefix::parse(opts.output_prefix()); !parsed)
    throw_error(parsed.error());
  cfg.output_prefix = opts.output_prefix();
  return cfg;
}

} // namespace actorpool::detail
