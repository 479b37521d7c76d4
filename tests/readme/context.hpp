#pragma once

// The names the README's code fragments use without defining them: the
// tasks they call, and (as parameters of the function each fragment is
// compiled in, see extract_blocks.py) a pool `p`, an actor system `sys`, an
// actor `self`, inputs `xs` and a count `n`.

#include <actorpool/all.hpp>

#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <caf/all.hpp>
#include <caf/io/all.hpp>

using namespace std::chrono_literals;
using caf::infinite;

namespace readme {

inline int square(int x) {
  return x * x;
}
ACTORPOOL_TASK(square)

inline int parse(std::string text) {
  return std::stoi(text);
}
ACTORPOOL_TASK(parse)

inline bool is_prime_candidate(long x) {
  return x % 6 == 1 || x % 6 == 5;
}
ACTORPOOL_TASK(is_prime_candidate)

inline long f(long x) {
  return x + 1;
}
ACTORPOOL_TASK(f)

inline bool pred(long y) {
  return y > 10;
}

inline int slow(int x) {
  std::this_thread::sleep_for(std::chrono::seconds{x});
  return x;
}
ACTORPOOL_TASK(slow)

} // namespace readme
