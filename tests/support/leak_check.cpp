#include "support/leak_check.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "actorpool/runtime.hpp"

namespace actorpool::test {

namespace {

std::vector<int> numeric_entries(const char* dir) {
  std::vector<int> result;
  if (auto d = opendir(dir)) {
    while (auto e = readdir(d)) {
      char* end = nullptr;
      auto n = std::strtol(e->d_name, &end, 10);
      if (end != e->d_name && *end == '\0')
        result.push_back(static_cast<int>(n));
    }
    closedir(d);
  }
  return result;
}

int parent_of(int pid) {
  std::ifstream in{"/proc/" + std::to_string(pid) + "/stat"};
  std::string line;
  std::getline(in, line);
  // Fields after the command name (which may contain spaces) in parens.
  auto close = line.rfind(')');
  if (close == std::string::npos)
    return -1;
  std::istringstream rest{line.substr(close + 2)};
  std::string state;
  int ppid = -1;
  rest >> state >> ppid;
  return ppid;
}

std::string describe(const std::vector<int>& children,
                     const std::vector<int>& fds) {
  std::string result;
  for (auto pid : children)
    result += "child process " + std::to_string(pid) + "; ";
  for (auto fd : fds) {
    char target[256] = {};
    auto path = "/proc/self/fd/" + std::to_string(fd);
    auto n = readlink(path.c_str(), target, sizeof(target) - 1);
    result += "fd " + std::to_string(fd) + " -> "
              + (n > 0 ? std::string{target, static_cast<size_t>(n)} : "?")
              + "; ";
  }
  return result;
}

std::vector<int> extra_fds(const std::set<int>& baseline) {
  std::vector<int> result;
  for (auto fd : open_fds())
    if (baseline.count(fd) == 0)
      result.push_back(fd);
  return result;
}

} // namespace

std::set<int> open_fds() {
  auto xs = numeric_entries("/proc/self/fd");
  std::set<int> result(xs.begin(), xs.end());
  // The descriptor opendir used for the listing is closed again by now.
  std::set<int> still_open;
  for (auto fd : result)
    if (fcntl(fd, F_GETFD) != -1)
      still_open.insert(fd);
  return still_open;
}

std::vector<int> child_pids() {
  std::vector<int> result;
  auto self = getpid();
  for (auto pid : numeric_entries("/proc"))
    if (parent_of(pid) == self)
      result.push_back(pid);
  return result;
}

std::string leftovers(const std::set<int>& baseline,
                      std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto children = child_pids();
    auto fds = extra_fds(baseline);
    if (children.empty() && fds.empty())
      return {};
    if (std::chrono::steady_clock::now() >= deadline)
      return describe(children, fds);
    // Nothing notifies about a descriptor being closed by another thread:
    // poll, politely, until the deadline.
    std::this_thread::yield();
  }
}

void process_test::SetUp() {
  actorpool::default_system();
  baseline_ = open_fds();
}

void process_test::TearDown() {
  EXPECT_EQ(leftovers(baseline_), "");
}

void process_test_p::SetUp() {
  actorpool::default_system();
  baseline_ = open_fds();
}

void process_test_p::TearDown() {
  EXPECT_EQ(leftovers(baseline_), "");
}

} // namespace actorpool::test
