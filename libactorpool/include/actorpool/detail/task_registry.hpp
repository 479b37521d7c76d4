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

/// A registered task as the registry reports it.
struct task_entry {
  std::string name;
  const task_invoker* invoker = nullptr;
  /// Set when two different functions registered under the same name.
  bool ambiguous = false;
};

/// Registers `invoker` under `name`. `key` identifies the function (its
/// address for free functions); registering the same name again with the
/// same key is a no-op, with another key it marks the name ambiguous.
/// Safe to call during static initialization.
void register_task(std::string name, const void* key,
                   std::unique_ptr<task_invoker> invoker);

/// Looks a task up by name; `nullptr` if no task has that name.
const task_entry* find_task(std::string_view name);

/// Returns the name a function was registered under, or `nullptr`.
const std::string* task_name_of(const void* key);

/// Number of registered task names.
size_t task_count();

} // namespace actorpool::detail
