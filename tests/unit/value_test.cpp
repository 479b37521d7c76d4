// The shared cell service behind value<T> (internal/shared_cell_service.hpp)
// on CAF's deterministic scheduler.

#include "actorpool/value.hpp"

#include <chrono>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <gtest/gtest.h>

#include "actorpool/exceptions.hpp"
#include "internal/shared_cell_service.hpp"

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

int double_it(int x) {
  return 2 * x;
}

int refuse(int) {
  throw std::invalid_argument("refused");
}

std::string el(int x) {
  return encode_element<int>(x);
}

class value_service_test : public ::testing::Test {
protected:
  void start(std::vector<std::string> elements,
             const cell_ops* ops = cell_ops_for<int>()) {
    h.serve(spawn_shared_cell(h.sys(), std::move(elements), ops));
  }

  /// Calls `op` as `x` and returns the element it answered.
  int call_int(client_key x, uint8_t op, std::string payload) {
    h.call(x, op, std::move(payload));
    auto r = h.reply(x);
    EXPECT_TRUE(r && *r) << (r ? render(r->error()) : "no reply");
    return r && *r ? decode_one<int>(**r) : -1;
  }

  int get(uint64_t i = 0) {
    return call_int(a, cell_get, encode_reply(i));
  }

  harness h;
};

} // namespace

ACTORPOOL_TASK(double_it)
ACTORPOOL_TASK(refuse)

TEST_F(value_service_test, get_and_set) {
  start({el(4343)});
  EXPECT_EQ(get(), 4343);
  h.call(b, cell_set, encode_reply(uint64_t{0}, el(24234)));
  EXPECT_TRUE(h.reply(b).has_value());
  EXPECT_EQ(get(), 24234);
}

TEST_F(value_service_test, fetch_add_is_atomic_per_message) {
  start({el(1)});
  int pid = 1000;
  for (int i = 0; i < 10; ++i) {
    client_key x{pid + i, 1};
    EXPECT_EQ(call_int(x, cell_fetch_add, encode_reply(uint64_t{0}, el(100))),
              1 + 100 * i);
  }
  EXPECT_EQ(get(), 1001);
}

TEST_F(value_service_test, fetch_add_wraps_around) {
  start({el(std::numeric_limits<int>::max())});
  call_int(a, cell_fetch_add, encode_reply(uint64_t{0}, el(1)));
  EXPECT_EQ(get(), std::numeric_limits<int>::min());
}

TEST_F(value_service_test, update_runs_a_registered_task) {
  start({el(21)});
  EXPECT_EQ(call_int(a, cell_update,
                     encode_reply(uint64_t{0}, std::string{"double_it"})),
            42);
  EXPECT_EQ(get(), 42);
}

TEST_F(value_service_test, a_throwing_update_leaves_the_value) {
  start({el(7)});
  h.call(a, cell_update, encode_reply(uint64_t{0}, std::string{"refuse"}));
  auto r = h.reply(a);
  ASSERT_TRUE(r && !*r);
  EXPECT_EQ(static_cast<errc>(r->error().code()), errc::task_failed);
  EXPECT_THROW(throw_error(r->error()), std::invalid_argument);
  EXPECT_EQ(get(), 7);
}

TEST_F(value_service_test, an_unknown_update_task_is_an_error) {
  start({el(7)});
  h.call(a, cell_update, encode_reply(uint64_t{0}, std::string{"nope"}));
  EXPECT_EQ(h.error_of(a), errc::unknown_task);
}

TEST_F(value_service_test, types_without_plus_refuse_fetch_add) {
  start({encode_element<bool>(true)}, cell_ops_for<bool>());
  h.call(a, cell_fetch_add,
         encode_reply(uint64_t{0}, encode_element<bool>(true)));
  EXPECT_EQ(h.error_of(a), errc::invalid_argument);
}

TEST_F(value_service_test, doubles_and_strings_add) {
  start({encode_element<double>(3.625)}, cell_ops_for<double>());
  h.call(a, cell_fetch_add,
         encode_reply(uint64_t{0}, encode_element<double>(-4.25)));
  EXPECT_EQ(decode_one<double>(**h.reply(a)), 3.625);
  h.call(a, cell_get, encode_reply(uint64_t{0}));
  EXPECT_EQ(decode_one<double>(**h.reply(a)), 3.625 - 4.25);
  auto add = cell_ops_for<std::string>()->add;
  ASSERT_NE(add, nullptr);
  EXPECT_EQ(decode_one<std::string>(add(encode_element<std::string>("ab"),
                                        encode_element<std::string>("cd"))),
            "abcd");
}

TEST_F(value_service_test, client_down_changes_nothing) {
  start({el(5)});
  h.down(a.pid);
  EXPECT_EQ(get(), 5);
}

TEST(value_handle, default_and_explicit_locks) {
  value<int> v;
  value<int> w{5};
  lock l;
  value<int> x{5, l};
  EXPECT_TRUE(x.get_lock() == l);
  EXPECT_FALSE(w.get_lock() == l);
  value<int> copy = w;
  EXPECT_TRUE(copy.get_lock() == w.get_lock());
}
