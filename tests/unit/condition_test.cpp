// The condition operations of the lock service (wait, notify), on a lock and
// on an rlock, on CAF's deterministic scheduler.

#include "actorpool/condition.hpp"

#include <chrono>
#include <cstdint>
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

#include "internal/lock_service.hpp"

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

class condition_service_test : public ::testing::TestWithParam<bool> {
protected:
  condition_service_test() {
    h.serve(GetParam() ? spawn_rlock_service(h.sys())
                       : spawn_lock_service(h.sys()));
  }

  void acquire(client_key x) {
    h.call(x, mutex_acquire, forever);
    EXPECT_EQ(h.status(x), acquired);
  }

  void release(client_key x) {
    h.call(x, mutex_release);
    EXPECT_TRUE(h.reply(x).has_value());
  }

  void wait(client_key x, const std::string& t = forever, uint64_t cond = 1) {
    h.call(x, mutex_wait, encode_reply(cond) + t);
  }

  void notify(client_key x, uint32_t n, uint64_t cond = 1) {
    h.call(x, mutex_notify, encode_reply(cond, n));
  }

  /// What `x`'s wait answered: bit 0 notified, bit 1 owner died; -1 none.
  int woken(client_key x) {
    return h.status(x);
  }

  harness h;
};

} // namespace

TEST_P(condition_service_test, wait_and_notify_need_the_lock) {
  wait(a);
  EXPECT_EQ(h.error_of(a), errc::invalid_state);
  notify(a, 1);
  EXPECT_EQ(h.error_of(a), errc::invalid_state);
  acquire(b);
  wait(a); // b holds it
  EXPECT_EQ(h.error_of(a), errc::invalid_state);
  notify(a, 1);
  EXPECT_EQ(h.error_of(a), errc::invalid_state);
}

TEST_P(condition_service_test, wait_releases_and_reacquires) {
  acquire(a);
  wait(a);
  EXPECT_EQ(woken(a), -1);
  acquire(b); // a released it by waiting
  notify(b, 1);
  EXPECT_TRUE(h.reply(b).has_value());
  EXPECT_EQ(woken(a), -1); // b still holds the lock
  release(b);
  EXPECT_EQ(woken(a), 1);
  release(a); // a holds it again
  h.call(a, mutex_release);
  EXPECT_EQ(h.error_of(a), errc::invalid_state);
}

TEST_P(condition_service_test, notify_n_wakes_the_oldest_in_order) {
  for (auto x : {a, b, c}) {
    acquire(x);
    wait(x);
  }
  acquire(d);
  notify(d, 2);
  h.reply(d);
  release(d);
  EXPECT_EQ(woken(a), 1);
  EXPECT_EQ(woken(b), -1);
  release(a);
  EXPECT_EQ(woken(b), 1);
  release(b);
  EXPECT_EQ(woken(c), -1);
  acquire(d);
  notify(d, 5); // more than are waiting
  h.reply(d);
  release(d);
  EXPECT_EQ(woken(c), 1);
  release(c);
}

TEST_P(condition_service_test, notify_all_wakes_everyone) {
  for (auto x : {a, b, c}) {
    acquire(x);
    wait(x);
  }
  acquire(d);
  notify(d, UINT32_MAX);
  h.reply(d);
  release(d);
  for (auto x : {a, b, c}) {
    EXPECT_EQ(woken(x), 1);
    release(x);
  }
}

TEST_P(condition_service_test, notify_without_waiters_is_lost) {
  acquire(a);
  notify(a, 1);
  h.reply(a);
  wait(a, timeout(10ms));
  h.advance(10ms);
  EXPECT_EQ(woken(a), 0);
  release(a);
}

TEST_P(condition_service_test, a_timed_out_wait_returns_false_holding_lock) {
  acquire(a);
  wait(a, timeout(10ms));
  acquire(b);
  h.advance(10ms);
  EXPECT_EQ(woken(a), -1); // timed out, but b holds the lock
  release(b);
  EXPECT_EQ(woken(a), 0);
  release(a);
}

TEST_P(condition_service_test, wait_zero_releases_and_times_out_at_once) {
  acquire(a);
  wait(a, no_wait);
  EXPECT_EQ(woken(a), 0);
  release(a);
}

TEST_P(condition_service_test, waiters_queued_for_the_lock_go_first) {
  acquire(a);
  h.call(b, mutex_acquire, forever); // queued
  wait(a, no_wait);
  EXPECT_EQ(h.status(b), acquired);
  EXPECT_EQ(woken(a), -1);
  release(b);
  EXPECT_EQ(woken(a), 0);
  release(a);
}

TEST_P(condition_service_test, conditions_on_one_lock_are_independent) {
  acquire(a);
  wait(a, forever, 1);
  acquire(b);
  wait(b, forever, 2);
  acquire(c);
  notify(c, 1, 2);
  h.reply(c);
  release(c);
  EXPECT_EQ(woken(a), -1);
  EXPECT_EQ(woken(b), 1);
  release(b);
}

TEST_P(condition_service_test, dead_waiters_are_never_notified) {
  acquire(a);
  wait(a);
  acquire(b);
  wait(b);
  h.down(a.pid);
  acquire(c);
  notify(c, 1);
  h.reply(c);
  release(c);
  EXPECT_EQ(woken(b), 1);
  release(b);
}

TEST_P(condition_service_test, holder_death_while_others_wait) {
  acquire(a);
  wait(a, timeout(10ms));
  acquire(b);
  h.advance(10ms); // a timed out and waits for b's lock
  h.down(b.pid);
  EXPECT_EQ(woken(a), 2); // not notified, took over from a dead holder
  release(a);
}

namespace {

class rlock_condition_test : public ::testing::Test {
protected:
  rlock_condition_test() {
    h.serve(spawn_rlock_service(h.sys()));
  }

  harness h;
};

} // namespace

TEST_F(rlock_condition_test, a_wait_restores_the_recursion_count) {
  h.call(a, mutex_acquire, forever);
  h.call(a, mutex_acquire, forever);
  EXPECT_EQ(h.status(a), acquired);
  EXPECT_EQ(h.status(a), acquired);
  h.call(a, mutex_wait, encode_reply(uint64_t{1}) + forever);
  h.call(b, mutex_acquire, forever);
  EXPECT_EQ(h.status(b), acquired);
  h.call(b, mutex_notify, encode_reply(uint64_t{1}, uint32_t{1}));
  h.call(b, mutex_release);
  h.reply(b);
  h.reply(b);
  EXPECT_EQ(h.status(a), 1);
  for (int i = 0; i < 2; ++i) {
    h.call(a, mutex_release);
    auto r = h.reply(a);
    EXPECT_TRUE(r && *r);
  }
  h.call(a, mutex_release);
  EXPECT_EQ(h.error_of(a), errc::invalid_state);
}

TEST_P(condition_service_test, stopping_the_service_fails_waits) {
  acquire(a);
  wait(a);
  h.stop();
  EXPECT_EQ(h.error_of(a), errc::invalid_argument);
}

INSTANTIATE_TEST_SUITE_P(on, condition_service_test, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "rlock" : "lock";
                         });

TEST(condition_handle, constructible_on_a_lock_or_rlock_without_services) {
  lock l;
  rlock r;
  condition c1;
  condition c2{l};
  condition c3{r};
  condition c4 = c2;
  EXPECT_FALSE(c4.owner_died());
}
