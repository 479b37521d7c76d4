// What happens to the workers when the program that owns the pool dies:
// killed outright, its workers follow within a second (parent-death
// signal); ended by SIGTERM, SIGINT or SIGHUP, it kills and reaps them
// itself before it goes, so nothing is left to anyone.

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "support/process_helpers.hpp"

extern char** environ;

namespace {

using clock_type = std::chrono::steady_clock;

/// A started pool_parent: its pid, its workers' pids, and its stdin.
struct owner {
  pid_t pid = -1;
  std::vector<pid_t> workers;
  int stdin_fd = -1;
};

owner start_owner(int workers) {
  int in[2], out[2];
  EXPECT_EQ(pipe2(in, O_CLOEXEC), 0);
  EXPECT_EQ(pipe2(out, O_CLOEXEC), 0);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in[0], 0);
  posix_spawn_file_actions_adddup2(&fa, out[1], 1);
  // The owner starts with the default action for the signals under test,
  // whatever this process inherited (a background job ignores SIGINT).
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t defaults, none;
  sigemptyset(&defaults);
  sigemptyset(&none);
  for (int sig : {SIGINT, SIGTERM, SIGHUP})
    sigaddset(&defaults, sig);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  std::string n = std::to_string(workers);
  char* argv[] = {const_cast<char*>(ACTORPOOL_POOL_PARENT), n.data(), nullptr};
  owner o;
  EXPECT_EQ(posix_spawn(&o.pid, ACTORPOOL_POOL_PARENT, &fa, &attr, argv,
                        environ),
            0);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  close(in[0]);
  close(out[1]);
  o.stdin_fd = in[1];
  std::string line;
  char c;
  while (read(out[0], &c, 1) == 1 && c != '\n')
    line += c;
  close(out[0]);
  std::istringstream words{line};
  std::string ready;
  pid_t self = 0;
  words >> ready >> self;
  EXPECT_EQ(ready, "ready");
  EXPECT_EQ(self, o.pid);
  for (pid_t w; words >> w;)
    o.workers.push_back(w);
  EXPECT_EQ(o.workers.size(), static_cast<size_t>(workers));
  return o;
}

/// Whether `pid` still exists (alive or a zombie not yet reaped).
bool exists(pid_t pid) {
  return kill(pid, 0) == 0 || errno != ESRCH;
}

/// Reaps whatever was handed to this process as subreaper, for up to
/// `limit`; returns the pids of the workers that were still around then.
std::vector<pid_t> survivors(const std::vector<pid_t>& workers,
                             std::chrono::milliseconds limit) {
  auto deadline = clock_type::now() + limit;
  for (;;) {
    while (waitpid(-1, nullptr, WNOHANG) > 0)
      ; // orphans that died (their parent-death signal) end up here
    std::vector<pid_t> left;
    for (auto w : workers)
      if (exists(w))
        left.push_back(w);
    if (left.empty() || clock_type::now() >= deadline)
      return left;
    std::this_thread::yield(); // nothing signals the end of a non-child
  }
}

class shutdown_test : public ::testing::TestWithParam<int> {
protected:
  void SetUp() override {
    // Orphaned workers come to this process, so that we can see them.
    ASSERT_EQ(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
  }
};

void expect_signal_shutdown(int workers, int sig) {
  auto o = start_owner(workers);
  ASSERT_EQ(kill(o.pid, sig), 0);
  int st = 0;
  ASSERT_EQ(waitpid(o.pid, &st, 0), o.pid);
  close(o.stdin_fd);
  EXPECT_TRUE(WIFSIGNALED(st)) << "the signal still ends the program";
  if (WIFSIGNALED(st)) {
    EXPECT_EQ(WTERMSIG(st), sig);
  }
  // Reaped by their owner before it went: none was left to us.
  EXPECT_EQ(waitpid(-1, nullptr, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
  for (auto w : o.workers)
    EXPECT_FALSE(exists(w)) << "worker " << w;
}

} // namespace

TEST_P(shutdown_test, killed_owner_takes_its_workers_within_a_second) {
  auto o = start_owner(GetParam());
  auto t0 = clock_type::now();
  ASSERT_EQ(kill(o.pid, SIGKILL), 0);
  ASSERT_EQ(waitpid(o.pid, nullptr, 0), o.pid);
  close(o.stdin_fd);
  EXPECT_TRUE(survivors(o.workers, std::chrono::milliseconds{1000}).empty());
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
    clock_type::now() - t0);
  EXPECT_LT(ms.count(), 1000);
}

TEST_P(shutdown_test, sigterm_reaps_every_worker_first) {
  expect_signal_shutdown(GetParam(), SIGTERM);
}

TEST_P(shutdown_test, sigint_reaps_every_worker_first) {
  expect_signal_shutdown(GetParam(), SIGINT);
}

TEST_P(shutdown_test, sighup_reaps_every_worker_first) {
  expect_signal_shutdown(GetParam(), SIGHUP);
}

TEST_P(shutdown_test, closing_stdin_lets_the_owner_exit_normally) {
  auto o = start_owner(GetParam());
  close(o.stdin_fd);
  int st = 0;
  ASSERT_EQ(waitpid(o.pid, &st, 0), o.pid);
  EXPECT_TRUE(WIFEXITED(st));
  EXPECT_EQ(WEXITSTATUS(st), 0);
  EXPECT_EQ(waitpid(-1, nullptr, WNOHANG), -1);
}

INSTANTIATE_TEST_SUITE_P(owner, shutdown_test, ::testing::Values(1, 2, 4),
                         actorpool::test::worker_name);
