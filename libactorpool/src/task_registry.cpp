#include "actorpool/detail/task_registry.hpp"

#include <mutex>
#include <unordered_map>

#include "actorpool/task.hpp"

namespace actorpool::detail {

task_invoker::~task_invoker() {
  // nop
}

namespace {

struct registry_entry {
  task_entry entry;
  const void* key = nullptr;
  std::unique_ptr<task_invoker> invoker;
};

// The registry is filled during static initialization, from any translation
// unit, so it lives in a function-local static (no initialization order
// problem). Entries are never removed, which keeps returned pointers valid.
struct registry {
  std::mutex mtx;
  std::unordered_map<std::string, registry_entry> by_name;
  std::unordered_map<const void*, std::string> by_key;
};

registry& tasks() {
  static registry instance;
  return instance;
}

} // namespace

void register_task(std::string name, const void* key,
                   std::unique_ptr<task_invoker> invoker) {
  auto& reg = tasks();
  std::lock_guard<std::mutex> guard{reg.mtx};
  auto i = reg.by_name.find(name);
  if (i != reg.by_name.end()) {
    if (i->second.key != key)
      i->second.entry.ambiguous = true;
    return;
  }
  reg.by_key.emplace(key, name);
  auto& e = reg.by_name[name];
  e.key = key;
  e.invoker = std::move(invoker);
  e.entry.name = std::move(name);
  e.entry.invoker = e.invoker.get();
}

const task_entry* find_task(std::string_view name) {
  auto& reg = tasks();
  std::lock_guard<std::mutex> guard{reg.mtx};
  auto i = reg.by_name.find(std::string{name});
  return i == reg.by_name.end() ? nullptr : &i->second.entry;
}

const std::string* task_name_of(const void* key) {
  auto& reg = tasks();
  std::lock_guard<std::mutex> guard{reg.mtx};
  auto i = reg.by_key.find(key);
  return i == reg.by_key.end() ? nullptr : &i->second;
}

size_t task_count() {
  auto& reg = tasks();
  std::lock_guard<std::mutex> guard{reg.mtx};
  return reg.by_name.size();
}

std::string function_registrar::clean_name(const char* name) {
  std::string result{name};
  while (!result.empty() && (result.front() == '&' || result.front() == ' '))
    result.erase(result.begin());
  if (result.compare(0, 2, "::") == 0)
    result.erase(0, 2);
  return result;
}

const std::string& registered_name(const void* fn) {
  if (auto name = task_name_of(fn))
    return *name;
  throw unknown_task_error(errc::unknown_task,
                           "function is not registered as a task; add "
                           "ACTORPOOL_TASK(<function>) at namespace scope");
}

} // namespace actorpool::detail
