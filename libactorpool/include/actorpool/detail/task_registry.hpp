#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace actorpool::detail {

/// Runs one registered task over encoded arguments. Implementations decode
/// `count` argument tuples from `[data, data + size)`, call the task for each
/// and append each encoded result to `out`. They throw `codec_failure` for
/// undecodable input or unencodable results and let the task's own
/// exceptions pass through.
class task_invoker {
public:
  virtual ~task_invoker();

  virtual void invoke(const char* data, size_t size, uint32_t count,
                      std::string& out) const = 0;
};

/// Where a task was registered: what `register_task` reports when one name
/// gets two different functions.
struct task_site {
  /// How: `ACTORPOOL_TASK(f)`, `ACTORPOOL_TASK_AS("f", g)` or `make_task`;
  /// null when not known.
  const char* form = nullptr;
  /// The source file and line; null and 0 when not known.
  const char* file = nullptr;
  unsigned line = 0;
};

/// A registered task as the registry reports it.
struct task_entry {
  std::string name;
  const task_invoker* invoker = nullptr;
  /// Set when two different functions registered under the same name.
  bool ambiguous = false;
  /// When `ambiguous`: one line naming the first two registrations and the
  /// fix (see `conflict_report`).
  std::string conflict;
};

/// Registers `invoker` under `name`. `key` identifies the function (its
/// address for free functions); registering the same name again with the
/// same key is a no-op, with another key it marks the name ambiguous and,
/// in the main program (not in worker processes, which run the same
/// registrations), prints `conflict_report` to stderr. Calls of an ambiguous
/// name fail with `unknown_task_error` carrying that report. Safe to call
/// during static initialization.
void register_task(std::string name, const void* key,
                   std::unique_ptr<task_invoker> invoker, task_site site = {});

/// The one-line report of two different functions registered as `name`, at
/// `first` and `second`, with the fix.
std::string conflict_report(const std::string& name, const task_site& first,
                            const task_site& second);

/// Looks a task up by name; `nullptr` if no task has that name.
const task_entry* find_task(std::string_view name);

/// Returns the name a function was registered under, or `nullptr`.
const std::string* task_name_of(const void* key);

/// Number of registered task names.
size_t task_count();

} // namespace actorpool::detail
