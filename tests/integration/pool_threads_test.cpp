// The cases of the _TestPool port (pool_test.cpp) that only a thread pool
// has: calls of any callable through a `thread_pool&` give back a task's
// exception as the very object thrown, and hold none of the caller's objects
// once they are done.

#include "actorpool/thread_pool.hpp"

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "support/pool_kinds.hpp"
#include "support/test_tasks.hpp"

using namespace actorpool;
using namespace actorpool::test;

namespace {

/// Cases of calls that take any callable.
class thread_only_pool_test : public pool_kind_test_p {};

} // namespace

// Through its own type, a thread_pool's apply, map and starmap (and their
// _async forms) rethrow a task's exception as the very object it threw.
TEST_P(thread_only_pool_test, traceback_is_the_very_object) {
  auto pp = make_pool();
  auto& p = static_cast<thread_pool&>(*pp);
  auto expect_plain = [](auto&& call) {
    try {
      call();
      FAIL() << "expected std::runtime_error";
    } catch (const std::runtime_error& e) {
      EXPECT_STREQ(e.what(), "123");
      EXPECT_EQ(dynamic_cast<const remote_failure*>(&e), nullptr);
    }
  };
  expect_plain([&] { p.apply(raise_runtime_error, std::string{"123"}); });
  expect_plain(
    [&] { p.apply_async(raise_runtime_error, std::string{"123"}).get(); });
  std::vector<std::string> xs{"123"};
  expect_plain([&] { p.map(raise_runtime_error, xs); });
  expect_plain([&] { p.map_async(raise_runtime_error, xs, 1).get(); });
  std::vector<std::tuple<std::string>> args{{"123"}};
  expect_plain([&] { p.starmap(raise_runtime_error, args); });
  expect_plain([&] { p.starmap_async(raise_runtime_error, args).get(); });
  // A type that could never be encoded arrives as itself.
  struct local_error {
    int code;
  };
  try {
    p.apply([] { throw local_error{7}; });
    FAIL() << "expected local_error";
  } catch (const local_error& e) {
    EXPECT_EQ(e.code, 7);
  }
}

// Python's test_release_task_refs, for calls of any callable: once a call is
// done, the pool holds none of the objects it was given (arguments, items,
// callables, results). Threads only: a process pool takes registered tasks
// and encodes their arguments.
TEST_P(thread_only_pool_test, release_task_refs_of_any_callable) {
  auto pp = make_pool();
  auto& p = static_cast<thread_pool&>(*pp);
  std::vector<std::weak_ptr<int>> refs;
  {
    std::vector<std::shared_ptr<int>> objs;
    for (int i = 0; i < 10; ++i) {
      objs.push_back(std::make_shared<int>(i));
      refs.push_back(objs.back());
    }
    auto identity_ptr = [](std::shared_ptr<int> x) {
      return x;
    };
    EXPECT_EQ(p.map(identity_ptr, objs, 1), objs);
    EXPECT_EQ(p.map_async(identity_ptr, objs).get(), objs);
    auto held = objs[0];
    EXPECT_EQ(p.apply([held] { return *held; }), 0);
    EXPECT_EQ(p.apply_async(identity_ptr, objs[1]).get(), objs[1]);
  }
  // The pool lets go of its copies as the calls complete.
  EXPECT_TRUE(await_true([&] {
    return std::all_of(refs.begin(), refs.end(),
                       [](auto& r) { return r.expired(); });
  }));
}

INSTANTIATE_TEST_SUITE_P(cpython, thread_only_pool_test,
                         ::testing::ValuesIn(pool_cases({pool_kind::threads})),
                         pool_case_name);
