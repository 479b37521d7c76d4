#pragma once

#include <vector>

// Stand-in types for what the compiler has reported as not a valid task (see
// task_checks.hpp): the code after the report compiles with them, so that
// the report stays the first and nearly the only error.

namespace actorpool::detail {

/// The result type of something that is not a valid task: it converts to
/// anything and compares with anything, so the caller's code compiles on
/// and adds no errors of its own. The codec reads nothing into it. Its
/// conversions and operators are declared only: a program using them does
/// not compile.
struct not_a_task {
  template <class T>
  operator T() const;

  not_a_task operator*() const;

  template <class T>
  friend bool operator==(const not_a_task&, const T&);
  template <class T>
  friend bool operator!=(const not_a_task&, const T&);
  template <class T>
  friend bool operator<(const not_a_task&, const T&);
  template <class T>
  friend bool operator>(const not_a_task&, const T&);
};

/// The `map` result of something that is not a valid task.
struct not_a_task_list : std::vector<not_a_task> {
  template <class T>
  operator T() const;
};

/// The argument tuple of something that is not a valid task: calls with it
/// encode nothing (see `check_arguments`).
struct not_a_task_args {};

} // namespace actorpool::detail
