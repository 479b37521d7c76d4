// Programs linked by hand, without the entry object and -Wl,--wrap=main
// (tests/helpers/no_entry_main.cpp). Without serve_if_worker() in main,
// each worker would run main, make a pool of its own, and so on without
// end: each must stop at once, saying how to fix the build, and the
// program's pool must fail with that message. With serve_if_worker() first
// in main, the program works. Each program runs in a session of its own, so
// that every process it leads to can be counted, and killed if need be.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

extern char** environ;

namespace {

using clock_type = std::chrono::steady_clock;
using namespace std::chrono_literals;

/// More processes than the program ever has when all is well (itself and
/// its two workers): it multiplies.
constexpr size_t runaway = 12;

/// A bound on a run that must not hang; a good run takes well under it.
constexpr auto limit = 60s;

/// The processes (zombies too) of session `sid`, from /proc.
std::vector<pid_t> session_members(pid_t sid) {
  std::vector<pid_t> result;
  for (auto& entry : std::filesystem::directory_iterator{"/proc"}) {
    auto name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos)
      continue;
    std::ifstream in{entry.path() / "stat"};
    std::string line;
    std::getline(in, line);
    auto paren = line.rfind(')'); // the name in parentheses may hold spaces
    if (paren == std::string::npos)
      continue;
    char state = 0;
    int ppid = 0, pgrp = 0, session = 0;
    if (std::sscanf(line.c_str() + paren + 1, " %c %d %d %d", &state, &ppid,
                    &pgrp, &session)
          == 4
        && session == sid)
      result.push_back(std::stoi(name));
  }
  return result;
}

/// Reaps the orphans handed to this process (a subreaper).
void reap_orphans() {
  while (waitpid(-1, nullptr, WNOHANG) > 0)
    ; // nothing else to do with them
}

/// Waits up to `wait` for session `sid` to be empty; returns who is left.
std::vector<pid_t> left_in(pid_t sid, std::chrono::milliseconds wait) {
  auto deadline = clock_type::now() + wait;
  for (;;) {
    reap_orphans();
    auto members = session_members(sid);
    if (members.empty() || clock_type::now() >= deadline)
      return members;
    std::this_thread::yield(); // nothing signals the end of a non-child
  }
}

/// Kills every process of session `sid` (its group leader has pid `sid`,
/// and nothing in it changes group), however fast it multiplies.
void kill_session(pid_t sid) {
  auto deadline = clock_type::now() + 30s;
  for (auto members = session_members(sid);
       !members.empty() && clock_type::now() < deadline;
       members = session_members(sid)) {
    kill(-sid, SIGKILL);
    for (auto pid : members)
      kill(pid, SIGKILL);
    reap_orphans();
  }
}

void drain(int fd, std::string& into) {
  char buf[4096];
  for (ssize_t n; (n = read(fd, buf, sizeof(buf))) > 0;)
    into.append(buf, static_cast<size_t>(n));
}

struct run_result {
  /// Ended by itself within `limit`, with `status`.
  bool exited = false;
  int status = 0;
  std::string out;
  std::string err;
  /// The most processes seen in its session at once.
  size_t most = 0;
  /// Processes of its session still there after it exited.
  std::vector<pid_t> left;
};

/// Starts `path` in a session of its own, its stdout and stderr in pipes.
pid_t start_in_session(const char* path, int out[2], int err[2]) {
  EXPECT_EQ(pipe2(out, O_CLOEXEC | O_NONBLOCK), 0);
  EXPECT_EQ(pipe2(err, O_CLOEXEC | O_NONBLOCK), 0);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, out[1], 1);
  posix_spawn_file_actions_adddup2(&fa, err[1], 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID);
  char* argv[] = {const_cast<char*>(path), nullptr};
  pid_t pid = -1;
  EXPECT_EQ(posix_spawn(&pid, path, &fa, &attr, argv, environ), 0);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  close(out[1]);
  close(err[1]);
  return pid;
}

/// Runs `path` until it exits, multiplies past `runaway` or runs past
/// `limit`; whatever of it is left in the end is killed.
run_result run_boxed(const char* path) {
  int out[2], err[2];
  run_result r;
  auto pid = start_in_session(path, out, err);
  if (pid <= 0)
    return r;
  auto deadline = clock_type::now() + limit;
  for (;;) {
    drain(out[0], r.out);
    drain(err[0], r.err);
    if (waitpid(pid, &r.status, WNOHANG) == pid) {
      r.exited = true;
      break;
    }
    r.most = std::max(r.most, session_members(pid).size());
    if (r.most > runaway || clock_type::now() >= deadline)
      break;
    pollfd fds[] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
    poll(fds, 2, 10); // output, or a look at the processes again
  }
  if (r.exited)
    r.left = left_in(pid, 2000ms);
  kill_session(pid);
  if (!r.exited)
    waitpid(pid, nullptr, 0);
  drain(out[0], r.out);
  drain(err[0], r.err);
  close(out[0]);
  close(err[0]);
  return r;
}

bool contains(const std::string& text, const char* what) {
  return text.find(what) != std::string::npos;
}

class entry_test : public ::testing::Test {
protected:
  void SetUp() override {
    // Orphans of the program come to this process, to be seen and reaped.
    ASSERT_EQ(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
  }
};

} // namespace

TEST_F(entry_test, workers_of_a_program_without_the_entry_stop_and_say_why) {
  auto r = run_boxed(ACTORPOOL_NO_ENTRY);
  ASSERT_TRUE(r.exited) << "the program multiplied (" << r.most
                        << " processes) or hung; its stderr:\n"
                        << r.err.substr(0, 2000);
  ASSERT_TRUE(WIFEXITED(r.status));
  EXPECT_EQ(WEXITSTATUS(r.status), 1) << r.err;
  EXPECT_LE(r.most, 3u) << "the program, and its two workers at most";
  EXPECT_TRUE(r.left.empty()) << r.left.size() << " processes left";
  EXPECT_TRUE(contains(r.err, "ran main() instead of serving")) << r.err;
  // The ways to fix it: the entry object, the wrap, or serve_if_worker().
  EXPECT_TRUE(contains(r.err, "libactorpool_entry.a")) << r.err;
  EXPECT_TRUE(contains(r.err, "-Wl,--wrap=main")) << r.err;
  EXPECT_TRUE(contains(r.err, "actorpool::serve_if_worker()")) << r.err;
  // The pool's start error is that message, not a start timeout.
  auto failed = r.err.find("pool failed: start_error: ");
  ASSERT_NE(failed, std::string::npos) << r.err;
  auto report = r.err.substr(failed, r.err.find('\n', failed) - failed);
  EXPECT_TRUE(contains(report, "ran main() instead of serving")) << report;
  EXPECT_FALSE(contains(report, "start timeout")) << report;
  EXPECT_TRUE(r.out.empty()) << r.out;
}

TEST_F(entry_test, a_program_that_serves_first_in_main_works) {
  auto r = run_boxed(ACTORPOOL_NO_ENTRY_SERVE_FIRST);
  ASSERT_TRUE(r.exited) << "the program multiplied (" << r.most
                        << " processes) or hung; its stderr:\n"
                        << r.err.substr(0, 2000);
  ASSERT_TRUE(WIFEXITED(r.status));
  EXPECT_EQ(WEXITSTATUS(r.status), 0) << r.err;
  EXPECT_EQ(r.out, "sum 12\n");
  EXPECT_FALSE(contains(r.err, "actorpool")) << r.err;
  EXPECT_TRUE(r.left.empty()) << r.left.size() << " processes left";
}
