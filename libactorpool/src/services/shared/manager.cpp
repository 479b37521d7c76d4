// The manager: a group of services that `shutdown()` stops at once. The
// services behind its containers are in dict.cpp and list.cpp.

#include "actorpool/manager.hpp"

#include <mutex>

#include "actorpool/exceptions.hpp"
#include "services/service_registry.hpp"

namespace actorpool {

struct manager::group {
  mutable std::mutex mtx;
  std::vector<detail::lazy_service> services;
  size_t objects = 0;
  bool running = true;
};

manager::manager() : group_(std::make_shared<group>()) {
  // nop
}

namespace {

[[noreturn]] void throw_shut_down() {
  throw state_error(errc::invalid_state,
                    "actorpool::invalid_state: the manager is shut down");
}

} // namespace

void manager::add(std::vector<detail::lazy_service> services) {
  if (!running())
    throw_shut_down();
  for (auto& svc : services)
    svc.id(); // creates it now, in this process
  std::lock_guard<std::mutex> guard{group_->mtx};
  if (!group_->running)
    throw_shut_down();
  for (auto& svc : services)
    group_->services.push_back(std::move(svc));
  ++group_->objects;
}

void manager::shutdown() {
  std::vector<detail::lazy_service> services;
  {
    std::lock_guard<std::mutex> guard{group_->mtx};
    group_->running = false;
    services.swap(group_->services);
  }
  for (auto& svc : services)
    detail::unregister_service(svc.id());
}

bool manager::running() const {
  std::lock_guard<std::mutex> guard{group_->mtx};
  return group_->running;
}

size_t manager::size() const {
  std::lock_guard<std::mutex> guard{group_->mtx};
  return group_->objects;
}

} // namespace actorpool
