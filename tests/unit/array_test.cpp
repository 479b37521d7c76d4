// The shared cell service behind array<T> (internal/shared_cell_service.hpp)
// on CAF's deterministic scheduler.

#include "actorpool/array.hpp"

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "services/shared/shared_cell_service.hpp"
#include "unit/sync_test_support.hpp"

using namespace actorpool;
using namespace actorpool::detail;
using namespace actorpool::test;
using namespace std::chrono_literals;

namespace {

int negate(int x) {
  return -x;
}

std::string el(int x) {
  return encode(x);
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
    h.call(a, cell_op::get_range, encode(first, last));
    return ints(decode_one<std::vector<std::string>>(**h.reply(a)));
  }

  int get(uint64_t i) {
    h.call(a, cell_op::get, encode(i));
    return decode_one<int>(**h.reply(a));
  }

  harness h;
};

} // namespace

ACTORPOOL_TASK(negate)

// Python's _TestArray.test_array, without the process.
TEST_F(array_service_test, like_python) {
  h.call(a, cell_op::size);
  EXPECT_EQ(decode_one<uint64_t>(**h.reply(a)), seq.size());
  EXPECT_EQ(get(3), seq[3]);
  EXPECT_EQ(range(2, 7), std::vector<int>(seq.begin() + 2, seq.begin() + 7));
  h.call(a, cell_op::set_range, encode(uint64_t{4}, els({1, 2, 3, 4})));
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
  h.call(a, cell_op::set_range, encode(uint64_t{8}, els({1, 2, 3})));
  EXPECT_EQ(h.error_of(a), errc::invalid_argument);
  h.call(a, cell_op::set_range, encode(uint64_t{11}, els({})));
  EXPECT_EQ(h.error_of(a), errc::invalid_argument);
  EXPECT_EQ(range(0, 100), seq);
}

TEST_F(array_service_test, indexes_are_checked) {
  for (auto op :
       {cell_op::get, cell_op::set, cell_op::fetch_add, cell_op::update}) {
    std::string payload = encode(uint64_t{10});
    if (op != cell_op::get)
      payload += encode(op == cell_op::update ? std::string{"negate"} : el(1));
    h.call(a, op, payload);
    EXPECT_EQ(h.error_of(a), errc::invalid_argument) << static_cast<int>(op);
  }
}

TEST_F(array_service_test, read_modify_write_by_index) {
  h.call(a, cell_op::fetch_add, encode(uint64_t{1}, el(4)));
  EXPECT_EQ(decode_one<int>(**h.reply(a)), 626);
  h.call(a, cell_op::update, encode(uint64_t{2}, std::string{"negate"}));
  EXPECT_EQ(decode_one<int>(**h.reply(a)), -934);
  EXPECT_EQ(get(0), 680);
  EXPECT_EQ(get(1), 630);
  EXPECT_EQ(get(2), -934);
}

TEST_F(array_service_test, many_clients_each_add) {
  for (int i = 0; i < 10; ++i) {
    client_id x{1000 + i, 1};
    h.call(x, cell_op::fetch_add, encode(uint64_t{0}, el(100)));
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
