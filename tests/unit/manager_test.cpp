// The dict and list services behind the manager's containers, on CAF's
// deterministic scheduler.

#include "actorpool/manager.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "services/shared/dict_service.hpp"
#include "services/shared/list_service.hpp"
#include "unit/service_test_support.hpp"

using namespace actorpool;
using namespace actorpool::test;
using dops = actorpool::detail::dict_op;
using lops = actorpool::detail::list_op;

namespace {

using strings = std::vector<std::string>;

template <class T>
std::string enc(T x) {
  return encode(x);
}

// Splits a "found" reply into the flag and the decoded value.
template <class T>
std::optional<T> found(const answer& a) {
  detail::decoder src{a.value};
  bool flag = false;
  src.read(flag);
  if (!flag)
    return std::nullopt;
  T x{};
  src.read(x);
  src.expect_end();
  return x;
}

class dict_test : public ::testing::Test {
protected:
  answer set(int key, std::string value) {
    return c.call(dops::set, encode(enc(key), enc(std::move(value))));
  }

  std::optional<std::string> get(int key) {
    return found<std::string>(c.call(dops::get, enc(key)));
  }

  std::vector<int> keys() {
    std::vector<int> result;
    for (auto& k : c.call(dops::keys).as<strings>())
      result.push_back(detail::decode_one<int>(k));
    return result;
  }

  test_system ts;
  caf::actor d = detail::spawn_dict_service(ts.sys());
  client c{ts, d, 10};
};

TEST_F(dict_test, set_get_and_contains) {
  EXPECT_EQ(c.call(dops::size).as<uint64_t>(), 0u);
  for (int i = 65; i < 70; ++i)
    EXPECT_TRUE(set(i, std::string(1, static_cast<char>(i))).ok());
  EXPECT_EQ(c.call(dops::size).as<uint64_t>(), 5u);
  EXPECT_EQ(get(66), "B");
  EXPECT_FALSE(get(1));
  EXPECT_TRUE(c.call(dops::contains, enc(67)).as<bool>());
  EXPECT_FALSE(c.call(dops::contains, enc(1)).as<bool>());
}

TEST_F(dict_test, keys_keep_insertion_order_across_updates) {
  set(3, "c");
  set(1, "a");
  set(2, "b");
  set(1, "A"); // an update keeps the position
  EXPECT_EQ(keys(), (std::vector<int>{3, 1, 2}));
  EXPECT_EQ(get(1), "A");
  auto values = c.call(dops::values).as<strings>();
  ASSERT_EQ(values.size(), 3u);
  EXPECT_EQ(detail::decode_one<std::string>(values[1]), "A");
  auto items = c.call(dops::items).as<strings>();
  ASSERT_EQ(items.size(), 6u);
  EXPECT_EQ(detail::decode_one<int>(items[4]), 2);
  EXPECT_EQ(detail::decode_one<std::string>(items[5]), "b");
}

TEST_F(dict_test, erase_pop_and_clear) {
  set(1, "a");
  set(2, "b");
  EXPECT_TRUE(c.call(dops::erase, enc(1)).as<bool>());
  EXPECT_FALSE(c.call(dops::erase, enc(1)).as<bool>());
  EXPECT_EQ(found<std::string>(c.call(dops::pop, enc(2))), "b");
  EXPECT_FALSE(found<std::string>(c.call(dops::pop, enc(2))));
  set(3, "c");
  EXPECT_TRUE(c.call(dops::clear).ok());
  EXPECT_EQ(c.call(dops::size).as<uint64_t>(), 0u);
  EXPECT_TRUE(keys().empty());
}

TEST_F(dict_test, update_and_setdefault) {
  strings kvs{enc(1), enc(std::string{"a"}), enc(2), enc(std::string{"b"})};
  EXPECT_TRUE(c.call(dops::update, encode(kvs)).ok());
  EXPECT_EQ(keys(), (std::vector<int>{1, 2}));
  auto kept = c.call(dops::setdefault, encode(enc(1), enc(std::string{"x"})));
  EXPECT_EQ(detail::decode_one<std::string>(kept.value), "a");
  auto added = c.call(dops::setdefault, encode(enc(5), enc(std::string{"e"})));
  EXPECT_EQ(detail::decode_one<std::string>(added.value), "e");
  EXPECT_EQ(get(5), "e");
}

TEST_F(dict_test, malformed_calls_are_errors) {
  EXPECT_EQ(c.call(dops::set, "\x01").code(), errc::decoding_failed);
  EXPECT_EQ(c.call(0).code(), errc::protocol_error);
  EXPECT_EQ(c.call(200).code(), errc::protocol_error);
}

class list_test : public ::testing::Test {
protected:
  std::vector<int> items() {
    std::vector<int> result;
    for (auto& x : c.call(lops::items).as<strings>())
      result.push_back(detail::decode_one<int>(x));
    return result;
  }

  std::optional<int> get(int64_t i) {
    return found<int>(c.call(lops::get, enc(i)));
  }

  test_system ts;
  caf::actor l = detail::spawn_list_service(ts.sys());
  client c{ts, l, 10};
};

TEST_F(list_test, append_extend_and_index) {
  for (int i = 0; i < 3; ++i)
    EXPECT_TRUE(c.call(lops::append, enc(i)).ok());
  EXPECT_TRUE(c.call(lops::extend, encode(strings{enc(3), enc(4)})).ok());
  EXPECT_EQ(items(), (std::vector<int>{0, 1, 2, 3, 4}));
  EXPECT_EQ(c.call(lops::size).as<uint64_t>(), 5u);
  EXPECT_EQ(get(2), 2);
  EXPECT_EQ(get(-1), 4); // from the end, as in Python
  EXPECT_EQ(get(-5), 0);
  EXPECT_FALSE(get(5));
  EXPECT_FALSE(get(-6));
}

TEST_F(list_test, set_pop_and_clear) {
  c.call(lops::extend, encode(strings{enc(0), enc(1), enc(2)}));
  auto set = [&](int64_t i, int x) {
    return c.call(lops::set, enc(i) + enc(x)).as<bool>();
  };
  EXPECT_TRUE(set(-1, 55));
  EXPECT_FALSE(set(3, 1));
  EXPECT_EQ(items(), (std::vector<int>{0, 1, 55}));
  EXPECT_EQ(found<int>(c.call(lops::pop, enc(int64_t{-1}))), 55);
  EXPECT_EQ(found<int>(c.call(lops::pop, enc(int64_t{0}))), 0);
  EXPECT_EQ(items(), (std::vector<int>{1}));
  EXPECT_TRUE(c.call(lops::clear).ok());
  EXPECT_FALSE(found<int>(c.call(lops::pop, enc(int64_t{-1}))));
}

TEST_F(list_test, client_down_changes_nothing) {
  c.call(lops::append, enc(1));
  client_down(ts, l, 66);
  EXPECT_EQ(items(), (std::vector<int>{1}));
}

} // namespace
