#include "support/process_helpers.hpp"

#include <sys/syscall.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "support/watchdog.hpp"

namespace actorpool::test {

namespace {

/// The state letter ('R', 'S', ...) of thread `tid` of this process.
char thread_state(long tid) {
  char path[64];
  std::snprintf(path, sizeof(path), "/proc/self/task/%ld/stat", tid);
  std::ifstream in{path};
  std::string line;
  std::getline(in, line);
  auto paren = line.rfind(')'); // the name in parentheses may hold spaces
  if (paren == std::string::npos || paren + 2 >= line.size())
    return '?';
  return line[paren + 2];
}

} // namespace

void when_blocked(std::function<void()> then) {
  auto tid = syscall(SYS_gettid);
  std::thread([tid, then = std::move(then)] {
    while (thread_state(tid) != 'S')
      std::this_thread::yield();
    then();
  }).detach();
}

void check(bool ok, const char* what) {
  if (!ok)
    throw std::logic_error(what);
}

std::vector<int> worker_counts() {
  if (time_factor() > 1)
    return {2};
  return {1, 2, 4};
}

std::string worker_name(const ::testing::TestParamInfo<int>& info) {
  return "workers_" + std::to_string(info.param);
}

int join_all(std::vector<process>& ps) {
  int failed = 0;
  for (auto& p : ps) {
    p.join();
    failed += p.exitcode() != 0;
  }
  return failed;
}

int run_all(std::vector<process>& ps) {
  for (auto& p : ps)
    p.start();
  return join_all(ps);
}

} // namespace actorpool::test
