#pragma once

#include <chrono>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace actorpool::test {

/// Open file descriptors of this process.
std::set<int> open_fds();

/// Child processes of this process, including zombies.
std::vector<int> child_pids();

/// Describes the child processes and descriptors (beyond `baseline`) that
/// are still around, waiting up to `timeout` for them to go (a socket is
/// closed by CAF's I/O thread shortly after its broker quits). Empty when
/// nothing leaked.
std::string
leftovers(const std::set<int>& baseline,
          std::chrono::milliseconds timeout = std::chrono::milliseconds{5000});

/// Base fixture of tests that start worker processes: records the open
/// descriptors before the test (with the default actor system running) and
/// checks afterwards that no child process and no descriptor is left.
class process_test : public ::testing::Test {
protected:
  void SetUp() override;

  void TearDown() override;

private:
  std::set<int> baseline_;
};

/// Same, parameterized over the number of worker processes.
class process_test_p : public ::testing::TestWithParam<int> {
protected:
  void SetUp() override;

  void TearDown() override;

  int workers() const {
    return GetParam();
  }

private:
  std::set<int> baseline_;
};

} // namespace actorpool::test
