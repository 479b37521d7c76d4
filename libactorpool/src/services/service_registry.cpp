#include "services/service_registry.hpp"

#include <mutex>
#include <unordered_map>
#include <vector>

#include <caf/send.hpp>

#include "base/atoms.hpp"

namespace actorpool::detail {

namespace {

struct registry {
  std::mutex mtx;
  uint64_t next_id = 1;
  std::unordered_map<uint64_t, caf::actor> services;
};

// Never destroyed: actors keep using it while the program exits (a process
// supervisor reaping its child calls notify_client_down), and the actor
// system that runs them may be torn down after the other static objects
// (the default one is). A registry destroyed among those raced with them.
registry& the_registry() {
  static auto instance = new registry;
  return *instance;
}

} // namespace

uint64_t register_service(caf::actor service) {
  auto& reg = the_registry();
  std::lock_guard<std::mutex> guard{reg.mtx};
  auto id = reg.next_id++;
  reg.services.emplace(id, std::move(service));
  return id;
}

caf::actor find_service(uint64_t id) {
  auto& reg = the_registry();
  std::lock_guard<std::mutex> guard{reg.mtx};
  auto i = reg.services.find(id);
  return i == reg.services.end() ? caf::actor{} : i->second;
}

void unregister_service(uint64_t id) {
  caf::actor service;
  {
    auto& reg = the_registry();
    std::lock_guard<std::mutex> guard{reg.mtx};
    auto i = reg.services.find(id);
    if (i == reg.services.end())
      return;
    service = std::move(i->second);
    reg.services.erase(i);
  }
  caf::anon_send_exit(service, caf::exit_reason::user_shutdown);
}

void notify_client_down(int32_t pid) {
  std::vector<caf::actor> all;
  {
    auto& reg = the_registry();
    std::lock_guard<std::mutex> guard{reg.mtx};
    for (auto& kvp : reg.services)
      all.push_back(kvp.second);
  }
  for (auto& service : all)
    caf::anon_send(service, client_down_atom::value, pid);
}

} // namespace actorpool::detail
