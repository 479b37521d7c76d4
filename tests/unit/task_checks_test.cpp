#include "actorpool/detail/task_checks.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include "actorpool/call_options.hpp"
#include "actorpool/task.hpp"
#include "support/test_tasks.hpp"

// The checks classify without reporting: these assertions instantiate
// `checked_signature` and `argument_problem` only, never `diagnose` with a
// problem. What the compiler prints is tested by tests/compile_errors.

namespace {

using actorpool::detail::argument_problem;
using actorpool::detail::checked_signature;
using actorpool::detail::not_a_task;
using actorpool::detail::not_a_task_args;
using actorpool::detail::task_problem;
using actorpool::detail::task_traits;

struct no_inspect {
  int x = 0;
};

struct no_default {
  explicit no_default(int v) : x(v) {
  }
  int x;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, no_default& v) {
  return f(v.x);
}

template <class F>
constexpr task_problem problem_of = checked_signature<F>::problem;

template <class F>
using culprit_of = typename checked_signature<F>::culprit;

template <class T, class = void>
struct has_result_type : std::false_type {};

template <class T>
struct has_result_type<T, std::void_t<typename T::result_type>>
  : std::true_type {};

auto generic = [](auto x) {
  return x;
};

} // namespace

TEST(task_checks, accepts_values_references_to_const_and_rvalues) {
  static_assert(problem_of<int (*)(int)> == task_problem::none);
  static_assert(problem_of<void (*)()> == task_problem::none);
  static_assert(problem_of<std::string (*)(const std::string&,
                                           int&&)> == task_problem::none);
  static_assert(problem_of<std::map<std::string, int> (*)(
                  std::vector<double>)> == task_problem::none);
  static_assert(
    problem_of<actorpool::test::point (*)(actorpool::test::point,
                                          int)> == task_problem::none);
  static_assert(problem_of<std::function<int(int)>> == task_problem::none);
  using sig = checked_signature<int (*)(const std::string&)>;
  static_assert(std::is_same_v<sig::args_tuple, std::tuple<std::string>>);
  static_assert(std::is_same_v<sig::result_type, int>);
  SUCCEED();
}

TEST(task_checks, names_the_problem_and_the_type_that_has_it) {
  using up = std::unique_ptr<int>;
  static_assert(problem_of<int (*)(up)> == task_problem::not_copyable);
  static_assert(std::is_same_v<culprit_of<int (*)(up)>, up>);
  static_assert(problem_of<up (*)(int)> == task_problem::not_copyable);
  static_assert(
    problem_of<int (*)(int, no_inspect)> == task_problem::not_serializable);
  static_assert(
    std::is_same_v<culprit_of<int (*)(int, no_inspect)>, no_inspect>);
  static_assert(
    problem_of<int (*)(const char*)> == task_problem::not_serializable);
  static_assert(
    problem_of<no_default (*)()> == task_problem::not_default_constructible);
  static_assert(
    problem_of<void (*)(std::vector<int>&)> == task_problem::mutable_ref_param);
  static_assert(
    problem_of<decltype(generic)> == task_problem::unknown_signature);
  SUCCEED();
}

TEST(task_checks, parameters_are_checked_before_the_result) {
  using sig = int* (*)(std::unique_ptr<int>);
  static_assert(problem_of<sig> == task_problem::not_copyable);
  static_assert(std::is_same_v<culprit_of<sig>, std::unique_ptr<int>>);
  SUCCEED();
}

TEST(task_checks, a_task_that_cannot_work_gets_stand_in_types) {
  using sig = checked_signature<int (*)(std::unique_ptr<int>)>;
  static_assert(std::is_same_v<sig::result_type, not_a_task>);
  static_assert(std::is_same_v<sig::args_tuple, not_a_task_args>);
  SUCCEED();
}

TEST(task_checks, arguments_of_a_call) {
  using args = std::tuple<int, std::string>;
  static_assert(argument_problem<args, int, const char*>::problem
                == task_problem::none);
  static_assert(argument_problem<args, int>::problem
                == task_problem::wrong_arity);
  static_assert(argument_problem<args, int, int>::problem
                == task_problem::bad_argument);
  static_assert(argument_problem<not_a_task_args, int>::problem
                == task_problem::none);
  SUCCEED();
}

TEST(task_checks, traits_of_arguments_and_options_report_nothing) {
  // Pool functions take options or a task first; the traits of whatever a
  // non-chosen overload deduces as the task must compile quietly.
  static_assert(!task_traits<int>::valid);
  static_assert(!task_traits<std::vector<int>&>::valid);
  static_assert(!has_result_type<task_traits<actorpool::call_options>>::value);
  static_assert(task_traits<int (&)(int)>::valid);
  SUCCEED();
}
