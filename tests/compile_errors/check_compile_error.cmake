# Compiles one source file of this directory the way a program using
# libactorpool does (-std=c++17, CAF's and libactorpool's include
# directories; -fsyntax-only) and checks what the compiler says.
#
#   cmake -DCOMPILER=<c++> -DACTORPOOL_INCLUDE=<dir> -DCAF_INCLUDE=<dir>
#         -DSOURCE=<file.cpp> -P check_compile_error.cmake
#
# A file with a line `// expect: <text>` must fail to compile, and the first
# line of the compiler's output containing "error:" must contain <text>. A
# file without one must compile. Prints the number of lines of output.

foreach(var COMPILER ACTORPOOL_INCLUDE CAF_INCLUDE SOURCE)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "check_compile_error.cmake: ${var} is not set")
  endif()
endforeach()

file(STRINGS "${SOURCE}" expect_lines REGEX "^// expect: ")
set(expected "")
if(expect_lines)
  list(GET expect_lines 0 expected)
  string(REGEX REPLACE "^// expect: " "" expected "${expected}")
endif()

execute_process(
  COMMAND "${COMPILER}" -std=c++17 -fsyntax-only -fdiagnostics-color=never
          -I${ACTORPOOL_INCLUDE} -I${CAF_INCLUDE} "${SOURCE}"
  RESULT_VARIABLE rc
  OUTPUT_VARIABLE out
  ERROR_VARIABLE out)

string(REGEX MATCHALL "\n" newlines "${out}")
list(LENGTH newlines line_count)
message(STATUS "${line_count} lines of compiler output")

if(expected STREQUAL "")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "expected to compile, but the compiler said:\n${out}")
  endif()
  return()
endif()

if(rc EQUAL 0)
  message(FATAL_ERROR "expected to fail with \"${expected}\", but it compiled")
endif()
string(REGEX MATCH "[^\n]*error:[^\n]*" first_error "${out}")
string(FIND "${first_error}" "${expected}" pos)
if(pos EQUAL -1)
  message(FATAL_ERROR
    "the first error does not say \"${expected}\":\n${first_error}\n\n"
    "whole output:\n${out}")
endif()
message(STATUS "first error: ${first_error}")
