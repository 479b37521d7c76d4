// What a child starts with: CPython's _TestProcess.test_cpu_count (here also
// under a restricted affinity mask, which `cpu_count` counts) and
// test_child_fd_inflation (here: the exact set of descriptors of processes
// and pool workers, with many descriptors open in the parent).

#include <fcntl.h>
#include <sched.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "actorpool/cpu_count.hpp"
#include "actorpool/event.hpp"
#include "actorpool/pool.hpp"
#include "actorpool/process.hpp"
#include "actorpool/queue.hpp"
#include "support/leak_check.hpp"
#include "support/process_helpers.hpp"

extern char** environ;

using namespace actorpool;
using namespace actorpool::test;

namespace {

/// "<fd> -> <target>" for every open descriptor of this process.
std::vector<std::string> describe_fds() {
  std::vector<std::string> result;
  for (auto fd : open_fds()) {
    char target[256] = {};
    auto path = "/proc/self/fd/" + std::to_string(fd);
    auto n = readlink(path.c_str(), target, sizeof(target) - 1);
    result.push_back(std::to_string(fd) + " -> "
                     + (n > 0 ? std::string{target, static_cast<size_t>(n)}
                              : std::string{"?"}));
  }
  return result;
}

std::string target_of(const std::string& line) {
  return line.substr(line.find("-> ") + 3);
}

/// Opens `n` pipes, every other one inheritable; returns their descriptors.
std::vector<int> open_pipes(int n) {
  std::vector<int> result;
  for (int i = 0; i < n; ++i) {
    int fds[2];
    EXPECT_EQ(pipe2(fds, i % 2 == 0 ? 0 : O_CLOEXEC), 0);
    result.insert(result.end(), {fds[0], fds[1]});
  }
  return result;
}

/// What the descriptors `fds` of this process refer to.
std::set<std::string> targets_of(const std::vector<int>& fds) {
  std::set<std::string> result;
  for (auto& line : describe_fds())
    if (std::find(fds.begin(), fds.end(), std::stoi(line)) != fds.end())
      result.insert(target_of(line));
  return result;
}

/// The CPUs the calling thread may run on (what `cpu_count` counts).
size_t allowed_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  EXPECT_EQ(sched_getaffinity(0, sizeof(set), &set), 0);
  return static_cast<size_t>(CPU_COUNT(&set));
}

/// Runs the CPU probe (tests/helpers) with the affinity mask `mask` and
/// returns what it printed; expects it to exit with 0.
std::string run_cpu_probe(const cpu_set_t& mask) {
  cpu_set_t saved;
  EXPECT_EQ(sched_getaffinity(0, sizeof(saved), &saved), 0);
  int out[2];
  EXPECT_EQ(pipe2(out, O_CLOEXEC), 0);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, out[1], 1);
  char* argv[] = {const_cast<char*>(ACTORPOOL_CPU_PROBE), nullptr};
  // posix_spawn starts the child with the calling thread's mask.
  EXPECT_EQ(sched_setaffinity(0, sizeof(mask), &mask), 0);
  pid_t pid = -1;
  auto rc = posix_spawn(&pid, ACTORPOOL_CPU_PROBE, &fa, nullptr, argv, environ);
  EXPECT_EQ(sched_setaffinity(0, sizeof(saved), &saved), 0);
  posix_spawn_file_actions_destroy(&fa);
  close(out[1]);
  std::string text;
  char buf[256];
  for (ssize_t n; rc == 0 && (n = read(out[0], buf, sizeof(buf))) > 0;)
    text.append(buf, static_cast<size_t>(n));
  close(out[0]);
  EXPECT_EQ(rc, 0);
  int st = 0;
  EXPECT_EQ(rc == 0 ? waitpid(pid, &st, 0) : pid, pid);
  EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0) << text;
  return text;
}

class child_resources_test : public process_test {};

} // namespace

// Python's _test_child_fd_inflation: reports the descriptors, then waits.
void report_fds(queue<std::vector<std::string>> q, event done) {
  q.put(describe_fds());
  done.wait();
}

std::vector<std::string> worker_fds(int) {
  return describe_fds();
}

ACTORPOOL_TASK(report_fds)
ACTORPOOL_TASK(worker_fds)

// Python's test_cpu_count: at least 1; here also no more than (exactly) the
// CPUs this thread may run on.
TEST_F(child_resources_test, cpu_count) {
  auto n = cpu_count();
  EXPECT_GE(n, 1u);
  EXPECT_LE(n, allowed_cpus());
  EXPECT_EQ(n, allowed_cpus());
}

// A program started on one CPU (its affinity mask, as `taskset -c` sets it)
// counts one CPU, has one worker in a default pool, and so do its workers.
TEST_F(child_resources_test, cpu_count_follows_the_affinity_mask) {
  cpu_set_t all;
  CPU_ZERO(&all);
  ASSERT_EQ(sched_getaffinity(0, sizeof(all), &all), 0);
  int first = 0;
  while (!CPU_ISSET(first, &all))
    ++first;
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(first, &one);
  EXPECT_EQ(run_cpu_probe(one), "cpu_count 1 pool 1 worker 1\n");
  auto n = std::to_string(allowed_cpus());
  EXPECT_EQ(run_cpu_probe(all),
            "cpu_count " + n + " pool " + n + " worker " + n + "\n");
}

// Python's test_child_fd_inflation: the descriptors of a child do not grow
// with the number of running children. Here, more: with many descriptors
// open in the parent (inheritable or not), five running processes and the
// workers of a pool all have the same small set, the standard streams and
// their socket to the parent, and none of the parent's.
TEST_F(child_resources_test, child_fd_inflation) {
  auto extra = open_pipes(32);
  auto parents = targets_of(extra);
  ASSERT_EQ(parents.size(), extra.size() / 2);
  constexpr int n = 5;
  event done;
  queue<std::vector<std::string>> q;
  std::vector<process> procs;
  for (int i = 0; i < n; ++i)
    procs.emplace_back(report_fds, q, done);
  for (auto& p : procs)
    p.start();
  std::vector<std::vector<std::string>> seen;
  for (int i = 0; i < n; ++i)
    seen.push_back(q.get(true, std::chrono::microseconds{patience}));
  done.set();
  EXPECT_EQ(join_all(procs), 0);
  {
    pool p{2};
    for (auto& fds : p.map(worker_fds, std::vector<int>(4, 0), 1))
      seen.push_back(fds);
  }
  for (int fd : extra)
    close(fd);
  for (auto& fds : seen) {
    std::string all;
    std::set<int> numbers;
    for (auto& line : fds) {
      all += line + "; ";
      numbers.insert(std::stoi(line));
      EXPECT_EQ(parents.count(target_of(line)), 0u) << "inherited " << line;
    }
    EXPECT_EQ(numbers, (std::set<int>{0, 1, 2, 3})) << all;
  }
}
