#pragma once

#include <chrono>

namespace actorpool::test {

/// Every test of a binary that links the support library runs under a
/// watchdog: a test still running after `limit` aborts the process with a
/// message naming it, so a hang fails fast instead of stalling CI. The limit
/// defaults to 60 s, 180 s in sanitized builds (environment:
/// ACTORPOOL_TEST_WATCHDOG_S).
std::chrono::seconds watchdog_limit();

/// How many times slower this build runs the tests than a plain one: 3 in
/// sanitized builds, else 1 (the factor of the time limits).
int time_factor();

} // namespace actorpool::test
