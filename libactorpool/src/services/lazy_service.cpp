#include "actorpool/detail/lazy_service.hpp"

#include <atomic>
#include <mutex>

#include "actorpool/exceptions.hpp"
#include "actorpool/runtime.hpp"
#include "base/this_process.hpp"

namespace actorpool::detail {

/// Shared by the copies of a handle. `id` is set at construction or, last,
/// by `create` under `once`; only `create` touches `make` and `owner`.
struct lazy_service::state {
  std::once_flag once;
  service_factory make;
  std::atomic<uint64_t> id{0};
  service_handle owner;
};

lazy_service::lazy_service(service_factory make)
  : st_(std::make_shared<state>()) {
  st_->make = std::move(make);
}

lazy_service lazy_service::from_id(uint64_t id) {
  lazy_service result;
  if (id != 0) {
    result.st_ = std::make_shared<state>();
    result.st_->id = id;
  }
  return result;
}

uint64_t lazy_service::id() const {
  if (!st_)
    throw state_error(errc::invalid_state,
                      "actorpool::invalid_state: empty handle");
  if (st_->id == 0)
    std::call_once(st_->once, [this] { create(*st_); });
  return st_->id;
}

bool lazy_service::same(const lazy_service& other) const noexcept {
  if (st_ == other.st_)
    return true;
  if (!st_ || !other.st_)
    return false;
  auto x = st_->id.load();
  return x != 0 && x == other.st_->id.load();
}

caf::error lazy_service::save(uint64_t& id) const noexcept {
  try {
    id = valid() ? this->id() : 0;
    return caf::none;
  } catch (const std::exception& e) {
    return make_error(errc::encoding_failed, std::string{e.what()});
  }
}

void lazy_service::create(state& st) {
  if (!st.make)
    throw state_error(errc::invalid_state,
                      "actorpool::invalid_state: empty handle");
  if (worker_calls() != nullptr)
    throw state_error(errc::invalid_state,
                      "actorpool::invalid_state: locks, queues, pipes, shared "
                      "values and managed objects are created in the parent "
                      "process; create it there and pass it to the task");
  auto& sys = default_system();
  auto svc = st.make(sys);
  track_actor(sys, svc, stop_order::first);
  st.owner = service_handle{std::move(svc)};
  st.make = nullptr;
  st.id = st.owner.id();
}

} // namespace actorpool::detail
