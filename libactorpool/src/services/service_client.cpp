#include "actorpool/detail/service.hpp"

#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>

#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/sec.hpp>

#include "actorpool/exceptions.hpp"
#include "actorpool/runtime.hpp"
#include "base/atoms.hpp"
#include "base/this_process.hpp"
#include "services/service_registry.hpp"
#include "worker/call_table.hpp"

namespace actorpool::detail {

namespace {

[[noreturn]] void throw_reply_error(const std::string& payload) {
  uint8_t code = 0;
  std::string message;
  decoder src{payload};
  src.read(code, message);
  throw_error(make_error(static_cast<errc>(code), message));
}

std::string call_from_worker(call_table& calls, uint64_t id, service_op op,
                             std::string payload) {
  auto reply = calls.call(id, this_client().thread, op, std::move(payload));
  if (reply.status != service_reply_msg::ok)
    throw_reply_error(reply.payload);
  return std::move(reply.payload);
}

std::string call_locally(uint64_t id, service_op op, std::string payload) {
  auto service = find_service(id);
  if (!service)
    throw bad_argument(errc::invalid_argument,
                       "the service was destroyed in the parent process");
  auto client = this_client();
  caf::scoped_actor self{service->home_system()};
  std::string result;
  caf::error err;
  self
    ->request(service, caf::infinite, service_atom::value, client.pid,
              client.thread, op, std::move(payload))
    .receive([&](std::string& x) { result = std::move(x); },
             [&](caf::error& x) { err = std::move(x); });
  if (err == caf::sec::request_receiver_down)
    throw bad_argument(errc::invalid_argument,
                       "the service was destroyed in the parent process");
  if (err)
    throw_error(err);
  return result;
}

} // namespace

client_id this_client() {
  return client_id{static_cast<int32_t>(getpid()),
                   static_cast<uint64_t>(syscall(SYS_gettid))};
}

std::string call_service(uint64_t id, service_op op, std::string payload) {
  if (auto calls = worker_calls())
    return call_from_worker(*calls, id, op, std::move(payload));
  return call_locally(id, op, std::move(payload));
}

void cast_service(uint64_t id, service_op op, std::string payload) {
  if (auto calls = worker_calls())
    calls->cast(id, this_client().thread, op, std::move(payload));
  else
    call_locally(id, op, std::move(payload));
}

service_handle::service_handle(caf::actor service) {
  auto hold = hold_system(service->home_system());
  id_ = register_service(std::move(service));
  auto id = id_;
  owner_ = std::shared_ptr<void>(nullptr,
                                 [id, hold](void*) { unregister_service(id); });
}

} // namespace actorpool::detail
