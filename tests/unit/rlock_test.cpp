// The rlock service (internal/lock_service.hpp, reentrant) on CAF's
// deterministic scheduler.

#include "actorpool/rlock.hpp"

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

class rlock_service_test : public ::testing::Test {
protected:
  rlock_service_test() {
    h.serve(spawn_rlock_service(h.sys()));
  }

  void acquire(client_key x, const std::string& t = forever) {
    h.call(x, mutex_acquire, t);
  }

  void release(client_key x) {
    h.call(x, mutex_release);
  }

  uint32_t count() {
    h.call(d, mutex_describe);
    auto r = h.reply(d);
    int32_t pid = 0;
    uint64_t thread = 0;
    uint32_t n = 0;
    decoder src{**r};
    src.read(pid, thread, n);
    return n;
  }

  harness h;
};

} // namespace

// Python: three acquires and three releases, then a release is an error.
TEST_F(rlock_service_test, reentrant_like_python) {
  for (int i = 0; i < 3; ++i) {
    acquire(a);
    EXPECT_EQ(h.status(a), acquired);
  }
  EXPECT_EQ(count(), 3u);
  for (int i = 0; i < 3; ++i) {
    release(a);
    EXPECT_TRUE(h.reply(a).has_value());
  }
  EXPECT_EQ(count(), 0u);
  release(a);
  EXPECT_EQ(h.error_of(a), errc::invalid_state);
}

TEST_F(rlock_service_test, only_the_owner_may_release) {
  acquire(a);
  h.reply(a);
  release(b);
  EXPECT_EQ(h.error_of(b), errc::invalid_state);
  release(client_key{a.pid, a.thread + 1}); // same process, other thread
  EXPECT_EQ(h.error_of(client_key{a.pid, a.thread + 1}), errc::invalid_state);
  release(a);
  EXPECT_TRUE(h.reply(a).has_value());
}

TEST_F(rlock_service_test, another_thread_of_the_owner_process_waits) {
  client_key a2{a.pid, a.thread + 1};
  acquire(a);
  h.reply(a);
  acquire(a2, no_wait);
  EXPECT_EQ(h.status(a2), not_acquired);
  acquire(a2);
  EXPECT_EQ(h.status(a2), -1);
  release(a);
  h.reply(a);
  EXPECT_EQ(h.status(a2), acquired);
}

TEST_F(rlock_service_test, freed_only_by_the_last_release_then_fifo) {
  acquire(a);
  acquire(a);
  h.reply(a);
  h.reply(a);
  acquire(b);
  acquire(c);
  release(a);
  h.reply(a);
  EXPECT_EQ(h.status(b), -1);
  release(a);
  h.reply(a);
  EXPECT_EQ(h.status(b), acquired);
  acquire(b); // reentrant while c waits
  EXPECT_EQ(h.status(b), acquired);
  release(b);
  release(b);
  h.reply(b);
  h.reply(b);
  EXPECT_EQ(h.status(c), acquired);
}

TEST_F(rlock_service_test, timed_acquire_times_out) {
  acquire(a);
  h.reply(a);
  acquire(b, timeout(5ms));
  h.advance(5ms);
  EXPECT_EQ(h.status(b), not_acquired);
  release(a);
  h.reply(a);
  EXPECT_EQ(h.status(b), -1);
}

TEST_F(rlock_service_test, owner_death_frees_whatever_the_count) {
  for (int i = 0; i < 3; ++i)
    acquire(a);
  acquire(b);
  h.down(a.pid);
  while (h.reply(a)) {
  }
  EXPECT_EQ(h.status(b), acquired_owner_died);
  EXPECT_EQ(count(), 1u);
  acquire(b); // reentrant: no owner died
  EXPECT_EQ(h.status(b), acquired);
}

TEST_F(rlock_service_test, a_dead_process_cannot_be_granted) {
  acquire(a);
  h.reply(a);
  acquire(b);
  acquire(c);
  h.down(b.pid);
  release(a);
  h.reply(a);
  EXPECT_EQ(h.status(c), acquired);
}

TEST(rlock_handle, copies_are_equal_without_creating_a_service) {
  rlock x;
  rlock y = x;
  rlock z;
  EXPECT_TRUE(x == y);
  EXPECT_FALSE(x.owner_died());
  y = z;
  EXPECT_TRUE(y == z);
}
