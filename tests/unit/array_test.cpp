// The shared cell service behind array<T> (internal/shared_cell_service.hpp)
// on CAF's deterministic scheduler.

#include "actorpool/array.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <gtest/gtest.h>

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

int negate(int x) {
  return -x;
}

std::string el(int x) {
  return encode_element<int>(x);
}

std::vector<std::string> els(const std::vector<int>& xs) {
  std::vector<std::string> result;
  for (auto x : xs)
    result.push_back(el(x));
  return result;
}

std::vector<int> ints(const std::vector<std::string>& xs) {
  std::vector<int> result;
  for (auto& x : xs)
    result.push_back(decode_one<int>(x));
  return result;
}

const std::vector<int> seq{680, 626, 934, 821, 150, 233, 548, 982, 714, 831};

class array_service_test : public ::testing::Test {
protected:
  array_service_test() {
    h.serve(spawn_shared_cell(h.sys(), els(seq), cell_ops_for<int>()));
  }

  std::vector<int> range(uint64_t first, uint64_t last) {
    h.call(a, cell_get_range, encode_reply(first, last));
    return ints(decode_one<std::vector<std::string>>(**h.reply(a)));
  }

  int get(uint64_t i) {
    h.call(a, cell_get, encode_reply(i));
    return decode_one<int>(**h.reply(a));
  }

  harness h;
};

} // namespace

ACTORPOOL_TASK(negate)

// Python's _TestArray.test_array, without the process.
TEST_F(array_service_test, like_python) {
  h.call(a, cell_size);
  EXPECT_EQ(decode_one<uint64_t>(**h.reply(a)), seq.size());
  EXPECT_EQ(get(3), seq[3]);
  EXPECT_EQ(range(2, 7), std::vector<int>(seq.begin() + 2, seq.begin() + 7));
  h.call(a, cell_set_range, encode_reply(uint64_t{4}, els({1, 2, 3, 4})));
  EXPECT_TRUE(h.reply(a).has_value());
  auto expected = seq;
  std::copy_n(std::vector<int>{1, 2, 3, 4}.begin(), 4, expected.begin() + 4);
  EXPECT_EQ(range(0, UINT64_MAX), expected);
}

TEST_F(array_service_test, ranges_are_clamped_like_slices) {
  EXPECT_EQ(range(8, 100), std::vector<int>(seq.begin() + 8, seq.end()));
  EXPECT_TRUE(range(20, 30).empty());
  EXPECT_TRUE(range(5, 2).empty());
}

TEST_F(array_service_test, writes_must_fit) {
  h.call(a, cell_set_range, encode_reply(uint64_t{8}, els({1, 2, 3})));
  EXPECT_EQ(h.error_of(a), errc::invalid_argument);
  h.call(a, cell_set_range, encode_reply(uint64_t{11}, els({})));
  EXPECT_EQ(h.error_of(a), errc::invalid_argument);
  EXPECT_EQ(range(0, 100), seq);
}

TEST_F(array_service_test, indexes_are_checked) {
  for (uint8_t op : {cell_get, cell_set, cell_fetch_add, cell_update}) {
    std::string payload = encode_reply(uint64_t{10});
    if (op != cell_get)
      payload += encode_reply(op == cell_update ? std::string{"negate"}
                                                : el(1));
    h.call(a, op, payload);
    EXPECT_EQ(h.error_of(a), errc::invalid_argument) << int{op};
  }
}

TEST_F(array_service_test, read_modify_write_by_index) {
  h.call(a, cell_fetch_add, encode_reply(uint64_t{1}, el(4)));
  EXPECT_EQ(decode_one<int>(**h.reply(a)), 626);
  h.call(a, cell_update, encode_reply(uint64_t{2}, std::string{"negate"}));
  EXPECT_EQ(decode_one<int>(**h.reply(a)), -934);
  EXPECT_EQ(get(0), 680);
  EXPECT_EQ(get(1), 630);
  EXPECT_EQ(get(2), -934);
}

TEST_F(array_service_test, many_clients_each_add) {
  for (int i = 0; i < 10; ++i) {
    client_key x{1000 + i, 1};
    h.call(x, cell_fetch_add, encode_reply(uint64_t{0}, el(100)));
    EXPECT_TRUE(h.reply(x).has_value());
  }
  EXPECT_EQ(get(0), 680 + 1000);
}

TEST(array_handle, constructors_and_locks) {
  array<int> empty;
  array<int> zeros(10);
  array<int> xs{seq};
  lock l;
  array<int> ys{seq, l};
  EXPECT_TRUE(ys.get_lock() == l);
  array<int> copy = xs;
  EXPECT_TRUE(copy.get_lock() == xs.get_lock());
}
