// The service transport: task code in a worker calls an actor in the parent
// over the worker's socket, and learns its answer or its error.

#include "actorpool/detail/service.hpp"

#include <unistd.h>

#include <string>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <gtest/gtest.h>

#include "actorpool/pool.hpp"
#include "actorpool/runtime.hpp"
#include "base/atoms.hpp"
#include "support/leak_check.hpp"
#include "support/process_helpers.hpp"
#include "support/test_tasks.hpp"

using namespace actorpool;
using namespace actorpool::test;
using actorpool::detail::service_handle;

namespace {

enum echo_op : uint8_t { echo = 1, refuse = 2, gone_clients = 3 };

struct echo_state {
  std::vector<int32_t> gone;
};

// Answers `echo` with the text and the caller's pid, `refuse` with an error,
// and `gone_clients` with the pids it was told are gone.
caf::result<std::string> on_echo_call(caf::stateful_actor<echo_state>* self,
                                      int32_t pid, uint8_t op,
                                      const std::string& payload) {
  using namespace actorpool::detail;
  std::string out;
  if (op == refuse)
    return make_error(errc::invalid_argument, std::string{"refused"});
  if (op == gone_clients) {
    encode_into(out, self->state.gone);
    return out;
  }
  auto text = decode_one<std::string>(payload) + " from " + std::to_string(pid);
  encode_into(out, text);
  return out;
}

// Calls from workers carry the longest reply they can receive.
caf::behavior echo_service(caf::stateful_actor<echo_state>* self) {
  using namespace actorpool::detail;
  return {
    [=](service_atom, int32_t pid, uint64_t, uint8_t op,
        std::string& payload) -> caf::result<std::string> {
      return on_echo_call(self, pid, op, payload);
    },
    [=](service_atom, int32_t pid, uint64_t, uint8_t op, std::string& payload,
        uint64_t) -> caf::result<std::string> {
      return on_echo_call(self, pid, op, payload);
    },
    [=](client_down_atom, int32_t pid) { self->state.gone.push_back(pid); },
  };
}

service_handle make_echo() {
  return service_handle{default_system().spawn(echo_service)};
}

std::string call_echo(service_handle h, std::string text) {
  return detail::call_service_as<std::string>(h.id(), echo, text);
}

std::string call_refuse(service_handle h) {
  try {
    detail::call_service_as<std::string>(h.id(), refuse);
  } catch (const bad_argument& e) {
    return std::string{"bad_argument: "} + e.what();
  }
  return "no error";
}

// What a call on `h` throws, from a worker.
std::string call_gone(service_handle h) {
  try {
    call_echo(h, "x");
  } catch (const bad_argument&) {
    return "bad_argument";
  } catch (const std::exception& e) {
    return e.what();
  }
  return "no error";
}

class service_test : public process_test_p {};

} // namespace

ACTORPOOL_TASK(call_echo)
ACTORPOOL_TASK(call_refuse)
ACTORPOOL_TASK(call_gone)

TEST_P(service_test, calls_from_the_parent) {
  auto h = make_echo();
  EXPECT_EQ(call_echo(h, "hi"), "hi from " + std::to_string(getpid()));
  EXPECT_EQ(call_refuse(h),
            "bad_argument: actorpool::invalid_argument: refused");
}

TEST_P(service_test, calls_from_workers) {
  auto h = make_echo();
  pool p{workers()};
  auto pids = p.stats().pids;
  for (int i = 0; i < 3 * workers(); ++i) {
    auto reply = p.apply(call_echo, h, std::string{"x"});
    auto pid = std::stoi(reply.substr(reply.rfind(' ') + 1));
    EXPECT_NE(std::find(pids.begin(), pids.end(), pid), pids.end()) << reply;
  }
  EXPECT_EQ(p.apply(call_refuse, h),
            "bad_argument: actorpool::invalid_argument: refused");
}

TEST_P(service_test, many_concurrent_calls) {
  auto h = make_echo();
  pool p{workers()};
  std::vector<async_result<std::string>> rs;
  for (int i = 0; i < 200; ++i)
    rs.push_back(p.apply_async(call_echo, h, std::to_string(i)));
  for (int i = 0; i < 200; ++i)
    EXPECT_EQ(rs[static_cast<size_t>(i)].get().rfind(std::to_string(i), 0), 0u);
}

TEST_P(service_test, services_learn_when_workers_are_gone) {
  auto h = make_echo();
  std::vector<int32_t> pids;
  {
    pool p{workers()};
    pids = p.stats().pids;
  }
  auto gone = detail::call_service_as<std::vector<int32_t>>(h.id(),
                                                            gone_clients);
  std::sort(gone.begin(), gone.end());
  std::sort(pids.begin(), pids.end());
  EXPECT_EQ(gone, pids);
}

TEST_P(service_test, destroyed_service_is_a_clear_error) {
  uint64_t id = 0;
  {
    auto h = make_echo();
    id = h.id();
  }
  EXPECT_THROW(detail::call_service(id, echo, {}), bad_argument);
}

// A service that has stopped while still registered (it was stopped at
// exit, or between the lookup and the call): a call bounces, and the caller
// learns that the service is gone, as if it were unregistered already.
TEST_P(service_test, stopped_service_is_a_clear_error) {
  auto actor = default_system().spawn(echo_service);
  service_handle h{actor};
  {
    caf::scoped_actor self{default_system()};
    self->send_exit(actor, caf::exit_reason::kill);
    self->wait_for(actor);
  }
  EXPECT_THROW(call_echo(h, "x"), bad_argument);
  pool p{workers()};
  EXPECT_EQ(p.apply(call_gone, h), "bad_argument");
}

INSTANTIATE_TEST_SUITE_P(transport, service_test,
                         ::testing::ValuesIn(worker_counts()), worker_name);
