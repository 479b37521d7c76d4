#include "actorpool/task.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <memory>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include "support/test_tasks.hpp"

using actorpool::errc;
using actorpool::detail::codec_failure;
using actorpool::detail::find_task;
using actorpool::detail::register_task;
using actorpool::detail::task_invoker;
using actorpool::detail::task_name_of;

namespace actorpool::unit {

int twice(int x) {
  return 2 * x;
}

int overloaded(int x) {
  return x + 1;
}

std::string overloaded(std::string x) {
  return x + "!";
}

int never_registered(int x) {
  return x;
}

int other_same_signature(int x) {
  return x - 1;
}

} // namespace actorpool::unit

ACTORPOOL_TASK(actorpool::unit::twice)
ACTORPOOL_TASK_AS(
  "unit.overloaded_string",
  static_cast<std::string (*)(std::string)>(actorpool::unit::overloaded))

namespace {

const auto cube = actorpool::make_task("unit.cube",
                                       [](int x) { return x * x * x; });

/// An invoker that must never run; only its identity matters.
class dummy_invoker : public task_invoker {
public:
  void invoke(const char*, size_t, uint32_t, std::string&) const override {
    ADD_FAILURE() << "dummy invoker called";
  }
};

/// A task name not registered before, also when tests run repeatedly.
std::string fresh_name(const std::string& prefix) {
  static int n = 0;
  return prefix + "." + std::to_string(++n);
}

/// A registry key no function uses (the address of a new object).
const void* fresh_key() {
  static std::deque<int> keys;
  return &keys.emplace_back();
}

const void* key_of(int (*fn)(int)) {
  return reinterpret_cast<const void*>(fn);
}

/// Encodes one argument tuple per element of `args`.
template <class... Ts>
std::string encode_calls(const std::vector<std::tuple<Ts...>>& args) {
  std::string buf;
  for (auto xs : args)
    actorpool::detail::encode_tuple(buf, xs);
  return buf;
}

/// Runs the task `name` over `count` argument tuples in `payload`.
std::string invoke(const std::string& name, const std::string& payload,
                   uint32_t count) {
  auto entry = find_task(name);
  if (entry == nullptr)
    throw std::logic_error("no task " + name);
  std::string out;
  entry->invoker->invoke(payload.data(), payload.size(), count, out);
  return out;
}

template <class T>
std::vector<T> decode_results(const std::string& buf, size_t n) {
  actorpool::detail::decoder src{buf};
  std::vector<T> result(n);
  for (auto& x : result)
    src.read(x);
  src.expect_end();
  return result;
}

} // namespace

TEST(task, function_registered_by_qualified_name) {
  auto entry = find_task("actorpool::unit::twice");
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry->name, "actorpool::unit::twice");
  EXPECT_NE(entry->invoker, nullptr);
  EXPECT_FALSE(entry->ambiguous);
}

TEST(task, support_tasks_are_registered) {
  EXPECT_NE(find_task("actorpool::test::sqr"), nullptr);
  EXPECT_NE(find_task("actorpool::test::mul"), nullptr);
  EXPECT_GE(actorpool::detail::task_count(), 20u);
}

TEST(task, unknown_name_is_not_found) {
  EXPECT_EQ(find_task("no::such::task"), nullptr);
  EXPECT_EQ(find_task(""), nullptr);
}

TEST(task, lookup_by_function_pointer) {
  auto name = task_name_of(key_of(actorpool::unit::twice));
  ASSERT_NE(name, nullptr);
  EXPECT_EQ(*name, "actorpool::unit::twice");
  auto& rn = actorpool::detail::registered_name(key_of(actorpool::test::sqr));
  EXPECT_EQ(rn, "actorpool::test::sqr");
}

TEST(task, unregistered_function_has_no_name) {
  auto key = key_of(actorpool::unit::never_registered);
  EXPECT_EQ(task_name_of(key), nullptr);
  try {
    actorpool::detail::registered_name(key);
    FAIL() << "registered_name returned";
  } catch (const actorpool::unknown_task_error& e) {
    EXPECT_EQ(e.code(), errc::unknown_task);
    std::string what = e.what();
    EXPECT_EQ(what.rfind("actorpool: ", 0), 0u) << what;
    EXPECT_NE(what.find("not registered"), std::string::npos) << what;
    EXPECT_NE(what.find("ACTORPOOL_TASK(function)"), std::string::npos) << what;
  }
}

TEST(task, task_traits_name_of_function) {
  using traits = actorpool::detail::task_traits<
    decltype(&actorpool::unit::twice)>;
  EXPECT_EQ(traits::name(&actorpool::unit::twice), "actorpool::unit::twice");
  static_assert(std::is_same_v<traits::result_type, int>);
  static_assert(std::is_same_v<traits::args_tuple, std::tuple<int>>);
}

TEST(task, task_as_registers_an_overload) {
  auto entry = find_task("unit.overloaded_string");
  ASSERT_NE(entry, nullptr);
  std::string arg = "hi";
  std::string payload;
  actorpool::detail::encode_into(payload, arg);
  auto out = invoke("unit.overloaded_string", payload, 1);
  EXPECT_EQ(actorpool::detail::decode_one<std::string>(out), "hi!");
}

TEST(task, make_task_with_lambda) {
  EXPECT_EQ(cube.name(), "unit.cube");
  EXPECT_EQ(cube(3), 27);
  auto entry = find_task("unit.cube");
  ASSERT_NE(entry, nullptr);
  EXPECT_FALSE(entry->ambiguous);
  auto out = invoke("unit.cube", encode_calls<int>({{2}, {-3}}), 2);
  EXPECT_EQ(decode_results<int>(out, 2), (std::vector<int>{8, -27}));
}

TEST(task, task_traits_name_of_task_object) {
  using traits = actorpool::detail::task_traits<decltype(cube)>;
  EXPECT_EQ(traits::name(cube), "unit.cube");
  static_assert(std::is_same_v<traits::result_type, int>);
}

TEST(task, duplicate_registration_with_same_key_is_a_no_op) {
  auto name = fresh_name("unit.dup_same");
  auto key = fresh_key();
  register_task(name, key, std::make_unique<dummy_invoker>());
  auto entry = find_task(name);
  ASSERT_NE(entry, nullptr);
  auto first = entry->invoker;
  auto count = actorpool::detail::task_count();
  register_task(name, key, std::make_unique<dummy_invoker>());
  EXPECT_EQ(actorpool::detail::task_count(), count);
  EXPECT_EQ(find_task(name), entry);
  EXPECT_EQ(entry->invoker, first);
  EXPECT_FALSE(entry->ambiguous);
}

TEST(task, duplicate_registration_with_other_key_is_ambiguous) {
  auto name = fresh_name("unit.dup_other");
  auto key_a = fresh_key();
  register_task(name, key_a, std::make_unique<dummy_invoker>());
  ASSERT_FALSE(find_task(name)->ambiguous);
  register_task(name, fresh_key(), std::make_unique<dummy_invoker>());
  EXPECT_TRUE(find_task(name)->ambiguous);
  auto registered = task_name_of(key_a);
  ASSERT_NE(registered, nullptr);
  EXPECT_EQ(*registered, name);
}

TEST(task, same_function_registered_twice_is_not_ambiguous) {
  // ACTORPOOL_TASK for the same function in two translation units.
  actorpool::detail::function_registrar again{"actorpool::unit::twice",
                                              actorpool::unit::twice};
  EXPECT_FALSE(find_task("actorpool::unit::twice")->ambiguous);
}

TEST(task, make_task_with_same_name_and_other_function_is_ambiguous) {
  // Two different function pointers of the same type under one name must be
  // detected as ambiguous, not silently resolved to the first.
  using fn = int (*)(int);
  auto a = actorpool::make_task<fn>("unit.same_type", actorpool::unit::twice);
  auto b = actorpool::make_task<fn>("unit.same_type",
                                    actorpool::unit::other_same_signature);
  EXPECT_TRUE(find_task("unit.same_type")->ambiguous);
}

TEST(task, invoker_runs_several_argument_tuples) {
  auto payload = encode_calls<int>({{1}, {2}, {3}});
  auto out = invoke("actorpool::test::sqr", payload, 3);
  EXPECT_EQ(decode_results<int>(out, 3), (std::vector<int>{1, 4, 9}));
}

TEST(task, typed_invoker_over_a_lambda) {
  auto add = [](int a, std::string b) {
    return b + std::to_string(a);
  };
  actorpool::detail::typed_invoker<decltype(add)> inv{add};
  auto payload = encode_calls<int, std::string>({{1, "a"}, {2, "b"}});
  std::string out = "prefix";
  inv.invoke(payload.data(), payload.size(), 2, out);
  actorpool::detail::decoder src{out.data() + 6, out.size() - 6};
  std::string x;
  std::string y;
  src.read(x, y);
  src.expect_end();
  EXPECT_EQ(x, "a1");
  EXPECT_EQ(y, "b2");
}

TEST(task, invoker_results_are_concatenated_encodings) {
  auto out = invoke("actorpool::test::sqr", encode_calls<int>({{2}, {3}}), 2);
  std::string expected;
  int a = 4;
  int b = 9;
  actorpool::detail::encode_into(expected, a, b);
  EXPECT_EQ(out, expected);
}

TEST(task, invoker_with_two_parameters) {
  auto payload = encode_calls<int, int>({{2, 3}, {4, 5}});
  auto out = invoke("actorpool::test::mul", payload, 2);
  EXPECT_EQ(decode_results<int>(out, 2), (std::vector<int>{6, 20}));
}

TEST(task, invoker_with_user_struct) {
  auto payload = encode_calls<actorpool::test::point, int>(
    {{actorpool::test::point{1, 2, "p"}, 3}});
  auto out = invoke("actorpool::test::scale_point", payload, 1);
  auto p = actorpool::detail::decode_one<actorpool::test::point>(out);
  EXPECT_EQ(p.x, 3);
  EXPECT_EQ(p.y, 6);
  EXPECT_EQ(p.label, "p*3");
}

TEST(task, invoker_of_void_task_appends_nothing) {
  auto payload = encode_calls<int>({{5}, {6}});
  EXPECT_EQ(invoke("actorpool::test::set_marker", payload, 2), "");
  EXPECT_EQ(actorpool::test::read_marker(), 6);
}

TEST(task, invoker_with_zero_count_and_empty_payload) {
  EXPECT_EQ(invoke("actorpool::test::sqr", "", 0), "");
}

TEST(task, invoker_rejects_truncated_arguments) {
  auto payload = encode_calls<int>({{1}, {2}});
  try {
    invoke("actorpool::test::sqr", payload, 3);
    FAIL() << "invoke returned";
  } catch (const codec_failure& e) {
    EXPECT_EQ(e.code(), errc::decoding_failed);
  }
}

TEST(task, invoker_rejects_trailing_arguments) {
  auto payload = encode_calls<int>({{1}, {2}});
  try {
    invoke("actorpool::test::sqr", payload, 1);
    FAIL() << "invoke returned";
  } catch (const codec_failure& e) {
    EXPECT_EQ(e.code(), errc::decoding_failed);
  }
}

TEST(task, task_exception_passes_through) {
  EXPECT_THROW(invoke("actorpool::test::raising", "", 1),
               actorpool::test::key_error);
}

TEST(task, task_exception_after_earlier_results) {
  auto payload = encode_calls<std::string>({{"1"}, {"x"}});
  std::string out;
  auto entry = find_task("actorpool::test::parse_int");
  ASSERT_NE(entry, nullptr);
  EXPECT_THROW(entry->invoker->invoke(payload.data(), payload.size(), 2, out),
               actorpool::test::value_error);
}

TEST(task, unencodable_result_fails_with_encoding_failed) {
  try {
    invoke("actorpool::test::unsendable_result", "", 1);
    FAIL() << "invoke returned";
  } catch (const codec_failure& e) {
    EXPECT_EQ(e.code(), errc::encoding_failed);
  }
}

TEST(task, clean_name) {
  using actorpool::detail::function_registrar;
  EXPECT_EQ(function_registrar::clean_name("f"), "f");
  EXPECT_EQ(function_registrar::clean_name("&f"), "f");
  EXPECT_EQ(function_registrar::clean_name("& ns::f"), "ns::f");
  EXPECT_EQ(function_registrar::clean_name("::ns::f"), "ns::f");
  EXPECT_EQ(function_registrar::clean_name("&::f"), "f");
  EXPECT_EQ(function_registrar::clean_name("ns::f"), "ns::f");
  EXPECT_EQ(function_registrar::clean_name(""), "");
}

TEST(task, signature_of_callables) {
  using actorpool::detail::signature;
  auto lambda = [](const std::string&, int&&) noexcept {
    return 1.0;
  };
  using sig = signature<decltype(lambda)>;
  static_assert(std::is_same_v<sig::result_type, double>);
  static_assert(std::is_same_v<sig::args_tuple, std::tuple<std::string, int>>);
  static_assert(sig::arity == 2);
  using fsig = signature<void (*)(int)>;
  static_assert(std::is_void_v<fsig::result_type>);
  SUCCEED();
}
