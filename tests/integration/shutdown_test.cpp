// What happens to the workers when the program that owns the pool dies:
// killed outright, its workers follow within a second (parent-death
// signal); ended by SIGTERM, SIGINT or SIGHUP, it kills and reaps them
// itself before it goes, so nothing is left to anyone. And CPython's
// _TestPoolWorkerLifetime.test_worker_finalization_via_atexit_handler_of_
// multiprocessing: a program that returns from main while its pool lives in
// a static, a global or a leaked object exits with 0, at once, and leaves
// no worker behind.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <optional>
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

owner start_owner(int workers, const char* mode = "wait") {
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
  char* argv[] = {const_cast<char*>(ACTORPOOL_POOL_PARENT), n.data(),
                  const_cast<char*>(mode), nullptr};
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
  if (std::string{mode}.find("process") == std::string::npos) {
    EXPECT_EQ(o.workers.size(), static_cast<size_t>(workers));
  }
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

/// Waits up to `limit` for child `pid` to end and reaps it; its wait
/// status, or nothing if it was still running then (it is killed and reaped
/// so that nothing is left behind).
std::optional<int> wait_at_most(pid_t pid, std::chrono::milliseconds limit) {
  int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  EXPECT_GE(pidfd, 0) << "pidfd_open: " << strerror(errno);
  pollfd ended{pidfd, POLLIN, 0};
  int rc;
  while ((rc = poll(&ended, 1, static_cast<int>(limit.count()))) < 0
         && errno == EINTR)
    ; // poll again (a signal for the test process)
  close(pidfd);
  bool timed_out = rc == 0;
  if (timed_out)
    kill(pid, SIGKILL);
  int st = 0;
  EXPECT_EQ(waitpid(pid, &st, 0), pid);
  if (timed_out)
    return std::nullopt;
  return st;
}

/// Starts a pool_parent in `mode` that returns from main with its pool still
/// alive, and checks that it exits with 0 within 10 s, having ended and
/// reaped its workers itself.
void expect_clean_exit(int workers, const char* mode) {
  auto o = start_owner(workers, mode);
  close(o.stdin_fd);
  auto st = wait_at_most(o.pid, std::chrono::seconds{10});
  ASSERT_TRUE(st.has_value()) << "the program did not exit within 10 s";
  EXPECT_TRUE(WIFEXITED(*st))
    << "ended by signal " << (WIFSIGNALED(*st) ? WTERMSIG(*st) : 0);
  if (WIFEXITED(*st)) {
    EXPECT_EQ(WEXITSTATUS(*st), 0);
  }
  // Reaped by their owner before it went: none was left to us.
  EXPECT_EQ(waitpid(-1, nullptr, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
  for (auto w : o.workers)
    EXPECT_FALSE(exists(w)) << "worker " << w;
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

TEST_P(shutdown_test, pool_in_a_static_object_exits_cleanly) {
  expect_clean_exit(GetParam(), "static");
}

TEST_P(shutdown_test, pool_in_an_object_held_by_a_global_exits_cleanly) {
  expect_clean_exit(GetParam(), "global");
}

TEST_P(shutdown_test, leaked_pool_exits_cleanly) {
  expect_clean_exit(GetParam(), "leaked");
}

// A process that waits on a queue when the program ends: the queue stops
// first, so the wait fails, the process ends, and it is joined. Leaked, the
// process is started just before the end: it still gets its task (and then
// its wait fails).
TEST(shutdown, process_waiting_on_a_queue_in_a_global_exits_cleanly) {
  ASSERT_EQ(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
  expect_clean_exit(1, "global_process");
}

TEST(shutdown, leaked_process_waiting_on_a_queue_exits_cleanly) {
  ASSERT_EQ(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
  expect_clean_exit(1, "leaked_process");
}

INSTANTIATE_TEST_SUITE_P(owner, shutdown_test,
                         ::testing::ValuesIn(actorpool::test::worker_counts()),
                         actorpool::test::worker_name);
