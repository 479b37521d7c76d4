// The shared cell service behind value<T> (internal/shared_cell_service.hpp)
// on CAF's deterministic scheduler.

#include "actorpool/value.hpp"

#include <chrono>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "actorpool/exceptions.hpp"
#include "services/shared/shared_cell_service.hpp"
#include "unit/sync_test_support.hpp"

using namespace actorpool;
using namespace actorpool::detail;
using namespace actorpool::test;
using namespace std::chrono_literals;

namespace {

int double_it(int x) {
  return 2 * x;
}

int refuse(int) {
  throw std::invalid_argument("refused");
}

std::string el(int x) {
  return encode(x);
}

class value_service_test : public ::testing::Test {
protected:
  void start(std::vector<std::string> elements,
             const cell_ops* ops = cell_ops_for<int>()) {
    h.serve(spawn_shared_cell(h.sys(), std::move(elements), ops));
  }

  /// Calls `op` as `x` and returns the element it answered.
  int call_int(client_id x, wire_op op, std::string payload) {
    h.call(x, op, std::move(payload));
    auto r = h.reply(x);
    EXPECT_TRUE(r && *r) << (r ? render(r->error()) : "no reply");
    return r && *r ? decode_one<int>(**r) : -1;
  }

  int get(uint64_t i = 0) {
    return call_int(a, cell_op::get, encode(i));
  }

  harness h;
};

} // namespace

ACTORPOOL_TASK(double_it)
ACTORPOOL_TASK(refuse)

TEST_F(value_service_test, get_and_set) {
  start({el(4343)});
  EXPECT_EQ(get(), 4343);
  h.call(b, cell_op::set, encode(uint64_t{0}, el(24234)));
  EXPECT_TRUE(h.reply(b).has_value());
  EXPECT_EQ(get(), 24234);
}

TEST_F(value_service_test, fetch_add_is_atomic_per_message) {
  start({el(1)});
  int pid = 1000;
  for (int i = 0; i < 10; ++i) {
    client_id x{pid + i, 1};
    EXPECT_EQ(call_int(x, cell_op::fetch_add, encode(uint64_t{0}, el(100))),
              1 + 100 * i);
  }
  EXPECT_EQ(get(), 1001);
}

TEST_F(value_service_test, fetch_add_wraps_around) {
  start({el(std::numeric_limits<int>::max())});
  call_int(a, cell_op::fetch_add, encode(uint64_t{0}, el(1)));
  EXPECT_EQ(get(), std::numeric_limits<int>::min());
}

TEST_F(value_service_test, update_runs_a_registered_task) {
  start({el(21)});
  EXPECT_EQ(call_int(a, cell_op::update,
                     encode(uint64_t{0}, std::string{"double_it"})),
            42);
  EXPECT_EQ(get(), 42);
}

TEST_F(value_service_test, a_throwing_update_leaves_the_value) {
  start({el(7)});
  h.call(a, cell_op::update, encode(uint64_t{0}, std::string{"refuse"}));
  auto r = h.reply(a);
  ASSERT_TRUE(r && !*r);
  EXPECT_EQ(static_cast<errc>(r->error().code()), errc::task_failed);
  EXPECT_THROW(throw_error(r->error()), std::invalid_argument);
  EXPECT_EQ(get(), 7);
}

TEST_F(value_service_test, an_unknown_update_task_is_an_error) {
  start({el(7)});
  h.call(a, cell_op::update, encode(uint64_t{0}, std::string{"nope"}));
  EXPECT_EQ(h.error_of(a), errc::unknown_task);
}

TEST_F(value_service_test, types_without_plus_refuse_fetch_add) {
  start({encode(true)}, cell_ops_for<bool>());
  h.call(a, cell_op::fetch_add, encode(uint64_t{0}, encode(true)));
  EXPECT_EQ(h.error_of(a), errc::invalid_argument);
}

TEST_F(value_service_test, doubles_and_strings_add) {
  start({encode(3.625)}, cell_ops_for<double>());
  h.call(a, cell_op::fetch_add, encode(uint64_t{0}, encode(-4.25)));
  EXPECT_EQ(decode_one<double>(**h.reply(a)), 3.625);
  h.call(a, cell_op::get, encode(uint64_t{0}));
  EXPECT_EQ(decode_one<double>(**h.reply(a)), 3.625 - 4.25);
  auto add = cell_ops_for<std::string>()->add;
  ASSERT_NE(add, nullptr);
  EXPECT_EQ(decode_one<std::string>(
              add(encode(std::string{"ab"}), encode(std::string{"cd"}))),
            "abcd");
}

TEST_F(value_service_test, client_down_changes_nothing) {
  start({el(5)});
  h.down(a.pid);
  EXPECT_EQ(get(), 5);
}

TEST_F(value_service_test, unknown_ops_are_errors_whatever_their_payload) {
  start({el(5)});
  h.call(a, uint8_t{0});
  EXPECT_EQ(h.error_of(a), errc::invalid_argument);
  h.call(a, uint8_t{99}, encode(uint64_t{0}, el(1)));
  EXPECT_EQ(h.error_of(a), errc::invalid_argument);
  EXPECT_EQ(get(), 5); // the service still works
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
