#pragma once

// Helpers of the tests that share objects between processes: naming the
// instances of a test over 1, 2 and 4 workers, timing a call, and running
// `process`es to the end.

#include <chrono>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "actorpool/pool_options.hpp"
#include "actorpool/process.hpp"
#include "support/leak_check.hpp"

namespace actorpool::test {

/// Python's TIMEOUT1 and TIMEOUT2 (in _test_multiprocessing.py), shorter.
constexpr std::chrono::milliseconds timeout1{100};
constexpr std::chrono::milliseconds timeout2{250};

/// A generous bound for calls that must not block for long.
constexpr std::chrono::seconds patience{30};

/// Throws `std::logic_error` unless `ok`: a failed check inside a task or
/// process (which then fails, or exits with 1).
void check(bool ok, const char* what);

/// The worker counts of a test parameterised over them: 1, 2 and 4 in a plain
/// build; 2 alone in a sanitized one, which runs several times slower and
/// looks for memory errors and races (two workers and the parent already
/// race) rather than for what the number of workers changes.
std::vector<int> worker_counts();

/// "workers_<n>": the instance names of a test over `n` workers.
std::string worker_name(const ::testing::TestParamInfo<int>& info);

/// Base fixture over `worker_counts()` workers whose pools keep one task in
/// flight per worker (`window(1)`), so that concurrent tasks run in different
/// workers.
class spread_test_p : public process_test_p {
protected:
  pool_options opts() const {
    return pool_options{}.processes(workers()).window(1);
  }
};

/// The wall time `f()` takes.
template <class F>
std::chrono::duration<double, std::milli> elapsed(F f) {
  auto start = std::chrono::steady_clock::now();
  f();
  return std::chrono::steady_clock::now() - start;
}

/// Starts a thread that waits until the calling thread sleeps, runs `then`,
/// and ends. A thread asleep in a service call has sent its request and
/// waits for the reply, so `when_blocked(f); q.get();` runs `f` once the
/// `get` is on its way to the queue (ahead of anything `f` sends).
void when_blocked(std::function<void()> then);

/// Joins every process; returns how many did not exit with 0.
int join_all(std::vector<process>& ps);

/// Starts every process, then joins them; returns how many failed.
int run_all(std::vector<process>& ps);

/// Sets an environment variable for the lifetime of the object.
class scoped_env {
public:
  scoped_env(const char* name, const char* value) : name_(name) {
    setenv(name, value, 1);
  }

  ~scoped_env() {
    unsetenv(name_);
  }

private:
  const char* name_;
};

} // namespace actorpool::test
