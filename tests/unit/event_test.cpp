// The event service (internal/event_service.hpp) on CAF's deterministic
// scheduler.

#include "actorpool/event.hpp"

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <gtest/gtest.h>

#include "internal/event_service.hpp"

using namespace actorpool;
using namespace actorpool::detail;
using namespace std::chrono_literals;

namespace {

// Drives one service actor on the deterministic scheduler; each client (pid,
// thread) talks through a scoped actor of its own, so replies are told apart.
class harness {
public:
  harness()
    : sys_(cfg_), sched_(dynamic_cast<caf::scheduler::test_coordinator&>(
                    sys_.scheduler())) {
    // nop
  }

  ~harness() {
    caf::anon_send_exit(svc_, caf::exit_reason::user_shutdown);
    sched_.run();
  }

  caf::actor_system& sys() {
    return sys_;
  }

  caf::scheduler::test_coordinator& sched() {
    return sched_;
  }

  void serve(caf::actor svc) {
    svc_ = std::move(svc);
  }

  /// Sends a call without running the scheduler.
  void post(client_key c, uint8_t op, std::string payload = {}) {
    client(c)->send(svc_, service_atom::value, c.pid, c.thread, op,
                    std::move(payload));
  }

  /// Sends a call and runs everything that follows from it.
  void call(client_key c, uint8_t op, std::string payload = {}) {
    post(c, op, std::move(payload));
    sched_.run();
  }

  void down(int32_t pid) {
    caf::anon_send(svc_, client_down_atom::value, pid);
    sched_.run();
  }

  void advance(std::chrono::milliseconds d) {
    sched_.advance_time(d);
    sched_.run();
  }

  void stop() {
    caf::anon_send_exit(svc_, caf::exit_reason::user_shutdown);
    sched_.run();
  }

  /// The reply `c` got (a payload or an error), if any.
  std::optional<caf::expected<std::string>> reply(client_key c) {
    std::optional<caf::expected<std::string>> result;
    client(c)->receive([&](std::string& x) { result = std::move(x); },
                       [&](caf::error& x) {
                         result = caf::expected<std::string>{std::move(x)};
                       },
                       caf::after(std::chrono::seconds{0}) >> [] {});
    return result;
  }

  /// The `acquire_status` byte `c` got; -1 without reply, -2 for an error.
  int status(client_key c) {
    auto r = reply(c);
    if (!r)
      return -1;
    return *r ? decode_one<uint8_t>(**r) : -2;
  }

  /// The error code `c` got; nullopt without an error reply.
  std::optional<errc> error_of(client_key c) {
    auto r = reply(c);
    if (!r || *r)
      return std::nullopt;
    return static_cast<errc>(r->error().code());
  }

private:
  struct config : caf::actor_system_config {
    config() {
      set("scheduler.policy", caf::atom("testing"));
    }
  };

  caf::scoped_actor& client(client_key c) {
    auto& ptr = clients_[{c.pid, c.thread}];
    if (!ptr)
      ptr = std::make_unique<caf::scoped_actor>(sys_, true);
    return *ptr;
  }

  config cfg_;
  caf::actor_system sys_;
  caf::scheduler::test_coordinator& sched_;
  caf::actor svc_;
  std::map<std::pair<int32_t, uint64_t>, std::unique_ptr<caf::scoped_actor>>
    clients_;
};

const client_key a{100, 1};
const client_key b{200, 1};
const client_key c{300, 1};
const client_key d{400, 1};

[[maybe_unused]] std::string timeout(std::chrono::milliseconds x) {
  return encode_reply(static_cast<int64_t>(
    std::chrono::duration_cast<std::chrono::nanoseconds>(x).count()));
}

const std::string forever = encode_reply(int64_t{-1});
const std::string no_wait = encode_reply(int64_t{0});

class event_service_test : public ::testing::Test {
protected:
  event_service_test() {
    h.serve(spawn_event_service(h.sys()));
  }

  void wait(client_key x, const std::string& t = forever) {
    h.call(x, event_wait, t);
  }

  /// The flag a wait or is_set answered: 0/1, -1 without reply.
  int flag(client_key x) {
    auto r = h.reply(x);
    if (!r)
      return -1;
    return decode_one<bool>(**r) ? 1 : 0;
  }

  bool is_set() {
    h.call(d, event_is_set);
    return flag(d) == 1;
  }

  void set() {
    h.call(d, event_set);
    h.reply(d);
  }

  void clear() {
    h.call(d, event_clear);
    h.reply(d);
  }

  harness h;
};

} // namespace

// Python's _TestEvent.test_event without the timing.
TEST_F(event_service_test, like_python) {
  EXPECT_FALSE(is_set());
  wait(a, no_wait);
  EXPECT_EQ(flag(a), 0);
  wait(a, timeout(10ms));
  EXPECT_EQ(flag(a), -1);
  h.advance(10ms);
  EXPECT_EQ(flag(a), 0);
  set();
  EXPECT_TRUE(is_set());
  wait(a);
  EXPECT_EQ(flag(a), 1);
  wait(a, timeout(10ms));
  EXPECT_EQ(flag(a), 1);
  clear();
  EXPECT_FALSE(is_set());
  wait(a);
  EXPECT_EQ(flag(a), -1);
  set();
  EXPECT_EQ(flag(a), 1);
}

TEST_F(event_service_test, set_wakes_every_waiter_once) {
  wait(a);
  wait(b, timeout(50ms));
  wait(c);
  set();
  EXPECT_EQ(flag(a), 1);
  EXPECT_EQ(flag(b), 1);
  EXPECT_EQ(flag(c), 1);
  h.advance(50ms); // b's timer: no second reply
  EXPECT_EQ(flag(b), -1);
}

TEST_F(event_service_test, set_then_clear_before_anyone_looks) {
  wait(a);
  set();
  clear();
  EXPECT_EQ(flag(a), 1); // woken by the set
  EXPECT_FALSE(is_set());
}

TEST_F(event_service_test, waits_of_a_dead_process_are_forgotten) {
  wait(a);
  wait(b);
  h.down(a.pid);
  EXPECT_EQ(h.error_of(a), errc::invalid_argument); // nobody reads it
  h.call(d, event_describe);
  EXPECT_EQ(decode_one<uint32_t>(**h.reply(d)), 1u);
  set();
  EXPECT_EQ(flag(b), 1);
}

TEST_F(event_service_test, stopping_the_service_fails_its_waiters) {
  wait(a);
  h.stop();
  EXPECT_EQ(h.error_of(a), errc::invalid_argument);
}

TEST(event_handle, copies_are_equal_without_creating_a_service) {
  event x;
  event y = x;
  event z;
  EXPECT_TRUE(x == y);
  y = z;
  EXPECT_TRUE(y == z);
}
