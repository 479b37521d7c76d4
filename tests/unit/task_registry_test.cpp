#include "actorpool/detail/task_registry.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "actorpool/exceptions.hpp"
#include "actorpool/task.hpp"

using actorpool::detail::conflict_report;
using actorpool::detail::find_task;
using actorpool::detail::register_task;
using actorpool::detail::task_invoker;
using actorpool::detail::task_site;

namespace actorpool::unit {

int clash_a(int x) {
  return x;
}

int clash_b(int x) {
  return -x;
}

int clash_c(int x) {
  return 2 * x;
}

} // namespace actorpool::unit

namespace {

/// An invoker that must never run; only its identity matters.
class dummy_invoker : public task_invoker {
public:
  void invoke(const char*, size_t, uint32_t, std::string&) const override {
    ADD_FAILURE() << "dummy invoker called";
  }
};

/// Whether `text` contains `part`, saying what it holds when not.
testing::AssertionResult contains(const std::string& text,
                                  const std::string& part) {
  if (text.find(part) != std::string::npos)
    return testing::AssertionSuccess();
  return testing::AssertionFailure()
         << "\"" << text << "\" does not contain \"" << part << "\"";
}

std::unique_ptr<task_invoker> dummy() {
  return std::make_unique<dummy_invoker>();
}

/// A task name not registered before, also when tests run repeatedly.
std::string fresh_name(const std::string& prefix) {
  static int n = 0;
  return "registry." + prefix + "." + std::to_string(++n);
}

/// Distinct registry keys (addresses of distinct objects).
const int keys[3] = {};

const void* key_of(int (*fn)(int)) {
  return reinterpret_cast<const void*>(fn);
}

/// Sets `ACTORPOOL_WORKER` while alive, as in a worker process.
class as_worker {
public:
  as_worker() {
    setenv("ACTORPOOL_WORKER", "3,1", 1);
  }

  ~as_worker() {
    unsetenv("ACTORPOOL_WORKER");
  }
};

const task_site site_a{"ACTORPOOL_TASK(f)", "src/a.cpp", 12};
const task_site site_b{"ACTORPOOL_TASK(g::f)", "src/b.cpp", 30};
const task_site site_c{"make_task", "src/c.cpp", 7};

} // namespace

TEST(task_registry, conflict_report_names_both_places_and_the_fix) {
  auto text = conflict_report("f", site_a, site_b);
  EXPECT_EQ(text.rfind("actorpool: ", 0), 0u) << text;
  EXPECT_TRUE(contains(text, "\"f\""));
  EXPECT_TRUE(contains(text, "ACTORPOOL_TASK(f) at src/a.cpp:12"));
  EXPECT_TRUE(contains(text, "ACTORPOOL_TASK(g::f) at src/b.cpp:30"));
  EXPECT_TRUE(contains(text, "ACTORPOOL_TASK_AS(\"name\", fn)"));
  EXPECT_TRUE(contains(text, "qualified name"));
  EXPECT_EQ(text.find('\n'), std::string::npos);
}

TEST(task_registry, conflict_report_of_one_place_run_twice) {
  // A lambda or static function registered in a header: one function per
  // translation unit, all registered from the same line.
  auto text = conflict_report("t", site_c, site_c);
  EXPECT_EQ(text.rfind("actorpool: ", 0), 0u) << text;
  EXPECT_TRUE(contains(text, "make_task at src/c.cpp:7"));
  EXPECT_TRUE(contains(text, "inline"));
}

TEST(task_registry, conflict_report_of_unknown_places) {
  auto text = conflict_report("t", task_site{}, task_site{});
  EXPECT_TRUE(contains(text, "place unknown"));
  EXPECT_TRUE(contains(text, "ACTORPOOL_TASK_AS"));
}

TEST(task_registry, second_function_under_a_name_is_reported_once) {
  auto name = fresh_name("second");
  testing::internal::CaptureStderr();
  register_task(name, &keys[0], dummy(), site_a);
  register_task(name, &keys[1], dummy(), site_b);
  register_task(name, &keys[1], dummy(), site_b); // the same again: no-op
  register_task(name, &keys[0], dummy(), site_a);
  auto err = testing::internal::GetCapturedStderr();
  auto report = conflict_report(name, site_a, site_b);
  EXPECT_EQ(err, report + "\n");
  auto entry = find_task(name);
  ASSERT_NE(entry, nullptr);
  EXPECT_TRUE(entry->ambiguous);
  EXPECT_EQ(entry->conflict, report);
}

TEST(task_registry, each_other_function_gets_a_line) {
  auto name = fresh_name("third");
  testing::internal::CaptureStderr();
  register_task(name, &keys[0], dummy(), site_a);
  register_task(name, &keys[1], dummy(), site_b);
  register_task(name, &keys[2], dummy(), site_c);
  auto err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(err, conflict_report(name, site_a, site_b) + "\n"
                   + conflict_report(name, site_a, site_c) + "\n");
  // Calls report the first clash.
  EXPECT_EQ(find_task(name)->conflict, conflict_report(name, site_a, site_b));
}

TEST(task_registry, worker_processes_do_not_report) {
  // Workers run the program's registrations too; only the main program
  // prints, once.
  auto name = fresh_name("worker");
  std::string err;
  {
    as_worker env;
    testing::internal::CaptureStderr();
    register_task(name, &keys[0], dummy(), site_a);
    register_task(name, &keys[1], dummy(), site_b);
    err = testing::internal::GetCapturedStderr();
  }
  EXPECT_EQ(err, "");
  auto entry = find_task(name);
  ASSERT_NE(entry, nullptr);
  EXPECT_TRUE(entry->ambiguous); // calls still fail, with the report
  EXPECT_EQ(entry->conflict, conflict_report(name, site_a, site_b));
}

TEST(task_registry, calling_either_function_of_a_clash_names_both) {
  using actorpool::detail::function_registrar;
  auto name = fresh_name("call");
  testing::internal::CaptureStderr();
  function_registrar a{name.c_str(), actorpool::unit::clash_a, site_a};
  function_registrar b{name.c_str(), actorpool::unit::clash_b, site_b};
  testing::internal::GetCapturedStderr();
  for (auto fn : {actorpool::unit::clash_a, actorpool::unit::clash_b}) {
    try {
      actorpool::detail::registered_name(key_of(fn));
      ADD_FAILURE() << "registered_name returned";
    } catch (const actorpool::unknown_task_error& e) {
      EXPECT_EQ(e.code(), actorpool::errc::unknown_task);
      EXPECT_TRUE(contains(e.what(), "src/a.cpp:12"));
      EXPECT_TRUE(contains(e.what(), "src/b.cpp:30"));
    }
  }
}

TEST(task_registry, macros_record_where_they_are) {
  // Static locals: registered the first time this test runs.
  testing::internal::CaptureStderr();
  constexpr unsigned line = __LINE__ + 1;
  ACTORPOOL_TASK_AS("registry.macro_clash", actorpool::unit::clash_a)
  ACTORPOOL_TASK_AS("registry.macro_clash", actorpool::unit::clash_c)
  testing::internal::GetCapturedStderr();
  auto entry = find_task("registry.macro_clash");
  ASSERT_NE(entry, nullptr);
  auto at = std::string{" at "} + __FILE__ + ":";
  EXPECT_TRUE(
    contains(entry->conflict, "ACTORPOOL_TASK_AS(\"registry.macro_clash\", "
                              "actorpool::unit::clash_a)"
                                + at + std::to_string(line)));
  EXPECT_TRUE(
    contains(entry->conflict, "ACTORPOOL_TASK_AS(\"registry.macro_clash\", "
                              "actorpool::unit::clash_c)"
                                + at + std::to_string(line + 1)));
}

TEST(task_registry, make_task_records_the_callers_place) {
  auto name = fresh_name("make_task");
  testing::internal::CaptureStderr();
  constexpr unsigned line = __LINE__ + 1;
  auto t1 = actorpool::make_task(name, [](int x) { return x; });
  auto t2 = actorpool::make_task(name, [](int x) { return -x; });
  testing::internal::GetCapturedStderr();
  auto at = std::string{"make_task at "} + __FILE__ + ":";
  EXPECT_TRUE(
    contains(find_task(name)->conflict, at + std::to_string(line) + " and " + at
                                          + std::to_string(line + 1)));
}
