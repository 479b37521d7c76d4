#include "actorpool/detail/task_registry.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "actorpool/task.hpp"
#include "base/this_process.hpp"

namespace actorpool::detail {

task_invoker::~task_invoker() {
  // nop
}

namespace {

struct registry_entry {
  task_entry entry;
  const void* key = nullptr;
  task_site site;
  /// Keys of the other functions registered under this name.
  std::vector<const void*> other_keys;
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

std::string describe(const task_site& site) {
  std::string result = site.form != nullptr ? site.form : "a registration";
  if (site.file == nullptr)
    return result + " (place unknown)";
  return result + " at " + site.file + ":" + std::to_string(site.line);
}

bool same_place(const task_site& x, const task_site& y) {
  return x.file != nullptr && y.file != nullptr
         && std::string_view{x.file} == y.file && x.line == y.line;
}

// Records another function under an existing name; returns the report to
// print, empty if there is nothing new to report.
std::string add_conflict(registry& reg, registry_entry& e, const void* key,
                         const task_site& site) {
  if (key == e.key || std::count(e.other_keys.begin(), e.other_keys.end(), key))
    return {};
  e.other_keys.push_back(key);
  reg.by_key.emplace(key, e.entry.name);
  auto report = conflict_report(e.entry.name, e.site, site);
  if (!e.entry.ambiguous) {
    e.entry.ambiguous = true;
    e.entry.conflict = report;
  }
  return report;
}

// Worker processes run the program's registrations too; only the main
// program reports.
bool is_worker_process() {
  return std::getenv(worker_env_var) != nullptr;
}

} // namespace

void register_task(std::string name, const void* key,
                   std::unique_ptr<task_invoker> invoker, task_site site) {
  auto& reg = tasks();
  std::string report;
  {
    std::lock_guard<std::mutex> guard{reg.mtx};
    auto i = reg.by_name.find(name);
    if (i != reg.by_name.end()) {
      report = add_conflict(reg, i->second, key, site);
    } else {
      reg.by_key.emplace(key, name);
      auto& e = reg.by_name[name];
      e.key = key;
      e.site = site;
      e.invoker = std::move(invoker);
      e.entry.name = std::move(name);
      e.entry.invoker = e.invoker.get();
    }
  }
  if (!report.empty() && !is_worker_process())
    std::fprintf(stderr, "%s\n", report.c_str());
}

std::string conflict_report(const std::string& name, const task_site& first,
                            const task_site& second) {
  std::string result = "actorpool: task name \"" + name + "\" is registered ";
  if (same_place(first, second))
    return result + "twice by " + describe(first)
           + " for different functions (a lambda or static function in a "
             "header makes one per translation unit); calling it fails. Make "
             "the task or the function inline";
  return result + "for two different functions, " + describe(first) + " and "
         + describe(second)
         + "; calling it fails. Give one of them another name "
           "(ACTORPOOL_TASK_AS(\"name\", fn), make_task(\"name\", ...)) or "
           "register them by qualified name (ACTORPOOL_TASK(ns::fn))";
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

const std::string& no_name() {
  static const std::string empty;
  return empty;
}

const std::string& registered_name(const void* fn) {
  auto name = task_name_of(fn);
  if (name == nullptr)
    throw unknown_task_error(errc::unknown_task,
                             "actorpool: this function is not registered as a "
                             "task: add ACTORPOOL_TASK(function) at namespace "
                             "scope in the program "
                             "(ACTORPOOL_TASK_AS(\"name\", "
                             "function) for overloads)");
  if (auto entry = find_task(*name); entry != nullptr && entry->ambiguous)
    throw unknown_task_error(errc::unknown_task, entry->conflict);
  return *name;
}

} // namespace actorpool::detail
