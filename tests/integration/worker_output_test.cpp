// What a task prints reaches the program's output line by line, also when
// that output is not a terminal: a line the task finished is not lost when
// its worker is killed (here: for exceeding its time limit). With
// `pool_options::output_prefix`, every line of a worker carries the prefix,
// arrives whole, and is printed even after its worker was killed.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "actorpool/call_options.hpp"
#include "actorpool/exceptions.hpp"
#include "actorpool/pool.hpp"
#include "support/leak_check.hpp"
#include "support/process_helpers.hpp"

using namespace actorpool;
using namespace actorpool::test;
using namespace std::chrono_literals;

namespace {

void print_then_hang(std::string line) {
  std::printf("%s\n", line.c_str());
  ::pause(); // until the pool kills the worker
}

void print_then_die(std::string line) {
  std::printf("%s\n", line.c_str());
  ::raise(SIGKILL);
}

int print_lines(std::string marker, int n) {
  for (int i = 0; i < n; ++i)
    std::printf("%s pid=%d i=%d %s\n", marker.c_str(), getpid(), i,
                std::string(100, 'x').c_str());
  return getpid();
}

int print_partial(std::string text) {
  check(::write(STDOUT_FILENO, text.data(), text.size())
          == static_cast<ssize_t>(text.size()),
        "write");
  return getpid();
}

int print_to_stderr(std::string line) {
  std::fprintf(stderr, "%s\n", line.c_str());
  return getpid();
}

// Leaves a process behind that keeps the worker's stdout and stderr open.
int print_and_leave_a_child(std::string line) {
  std::printf("%s\n", line.c_str());
  std::fflush(stdout);
  check(std::system("sleep 20 &") == 0, "system");
  return getpid();
}

} // namespace

ACTORPOOL_TASK(print_then_hang)
ACTORPOOL_TASK(print_then_die)
ACTORPOOL_TASK(print_lines)
ACTORPOOL_TASK(print_partial)
ACTORPOOL_TASK(print_to_stderr)
ACTORPOOL_TASK(print_and_leave_a_child)

namespace {

class worker_output_test : public process_test_p {};

// Sends this process's descriptor `fd` (stdout or stderr, and so the
// workers' it starts) to a file while it lives.
class output_to_file {
public:
  output_to_file(int fd, const std::string& name)
    : fd_(fd),
      path_(::testing::TempDir() + name + "." + std::to_string(getpid())) {
    std::fflush(nullptr);
    saved_ = fcntl(fd, F_DUPFD_CLOEXEC, 3);
    auto file = open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
                     0600);
    dup2(file, fd);
    close(file);
  }

  ~output_to_file() {
    std::fflush(nullptr);
    dup2(saved_, fd_);
    close(saved_);
    std::remove(path_.c_str());
  }

  std::string text() const {
    std::ifstream in{path_};
    std::stringstream result;
    result << in.rdbuf();
    return result.str();
  }

private:
  int fd_;
  std::string path_;
  int saved_ = -1;
};

std::string unique_marker(const char* what) {
  return std::string{what} + "-of-" + std::to_string(getpid());
}

pool_options prefixed(int workers, const char* pattern) {
  return pool_options{}.processes(workers).output_prefix(pattern);
}

} // namespace

TEST_P(worker_output_test, a_finished_line_survives_the_kill_of_its_worker) {
  output_to_file out{STDOUT_FILENO, "worker_output"};
  auto marker = unique_marker("line of a task");
  {
    pool p{workers()};
    auto r = p.apply_async(call_options{}.timeout(2s), print_then_hang, marker);
    EXPECT_THROW(r.get(), timeout_error);
  }
  EXPECT_NE(out.text().find(marker + "\n"), std::string::npos)
    << "output was: " << out.text();
}

TEST_P(worker_output_test, prefixed_lines_of_several_workers_stay_whole) {
  output_to_file out{STDOUT_FILENO, "worker_output_lines"};
  auto marker = unique_marker("many");
  const int lines = 200;
  std::set<int> pids;
  {
    pool p{prefixed(workers(), "[w {place} pid {pid}] ").window(1)};
    std::vector<async_result<int>> rs;
    for (int i = 0; i < 2 * workers(); ++i)
      rs.push_back(p.apply_async(print_lines, marker, lines));
    for (auto& r : rs)
      pids.insert(r.get());
  }
  std::regex line{R"(\[w (\d+) pid (\d+)\] )" + marker
                  + R"( pid=(\d+) i=\d+ x{100})"};
  std::istringstream in{out.text()};
  int seen = 0;
  for (std::string text; std::getline(in, text);) {
    if (text.find(marker) == std::string::npos)
      continue;
    std::smatch m;
    ASSERT_TRUE(std::regex_match(text, m, line)) << "mixed line: " << text;
    EXPECT_EQ(m[2].str(), m[3].str()) << text;
    EXPECT_LT(std::stoi(m[1].str()), workers()) << text;
    EXPECT_EQ(pids.count(std::stoi(m[2].str())), 1u) << text;
    ++seen;
  }
  EXPECT_EQ(seen, 2 * workers() * lines);
}

TEST_P(worker_output_test, a_line_before_a_timeout_kill_is_printed_prefixed) {
  output_to_file out{STDOUT_FILENO, "worker_output_timeout"};
  auto marker = unique_marker("last words");
  {
    pool p{prefixed(workers(), "<{pid}> ")};
    auto r = p.apply_async(call_options{}.timeout(1s), print_then_hang, marker);
    EXPECT_THROW(r.get(), timeout_error);
  }
  EXPECT_TRUE(
    std::regex_search(out.text(), std::regex{"<\\d+> " + marker + "\n"}))
    << "output was: " << out.text();
}

TEST_P(worker_output_test, a_line_before_a_sigkill_is_printed_prefixed) {
  output_to_file out{STDOUT_FILENO, "worker_output_sigkill"};
  auto marker = unique_marker("killed");
  {
    pool p{prefixed(workers(), "<{pid}> ").max_retries(0)};
    EXPECT_THROW(p.apply(print_then_die, marker), worker_died_error);
  }
  EXPECT_TRUE(
    std::regex_search(out.text(), std::regex{"<\\d+> " + marker + "\n"}))
    << "output was: " << out.text();
}

TEST_P(worker_output_test, a_partial_last_line_gets_its_newline) {
  output_to_file out{STDOUT_FILENO, "worker_output_partial"};
  auto marker = unique_marker("no newline");
  int pid = 0;
  {
    pool p{prefixed(workers(), "<{pid}> ")};
    pid = p.apply(print_partial, marker);
  }
  auto expected = "<" + std::to_string(pid) + "> " + marker + "\n";
  EXPECT_NE(out.text().find(expected), std::string::npos)
    << "output was: " << out.text();
}

TEST_P(worker_output_test, stderr_lines_are_prefixed_too) {
  output_to_file err{STDERR_FILENO, "worker_output_stderr"};
  auto marker = unique_marker("to stderr");
  int pid = 0;
  {
    pool p{prefixed(workers(), "<{pid}> ")};
    pid = p.apply(print_to_stderr, marker);
  }
  auto expected = "<" + std::to_string(pid) + "> " + marker + "\n";
  EXPECT_NE(err.text().find(expected), std::string::npos)
    << "stderr was: " << err.text();
}

TEST_P(worker_output_test, prefixed_lines_reach_a_pipe_while_the_task_runs) {
  int fds[2];
  ASSERT_EQ(pipe2(fds, O_CLOEXEC), 0);
  std::fflush(stdout);
  int saved = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
  dup2(fds[1], STDOUT_FILENO);
  close(fds[1]);
  auto marker = unique_marker("through a pipe");
  std::string seen;
  {
    pool p{prefixed(workers(), "<{pid}> ")};
    auto r = p.apply_async(print_then_hang, marker);
    // The task hangs after its line: the line must arrive meanwhile.
    pollfd pfd{fds[0], POLLIN, 0};
    while (seen.find(marker + "\n") == std::string::npos
           && poll(&pfd, 1, 20000) == 1) {
      char buf[4096];
      auto n = read(fds[0], buf, sizeof(buf));
      if (n <= 0)
        break;
      seen.append(buf, static_cast<size_t>(n));
    }
    p.terminate();
  }
  std::fflush(stdout);
  dup2(saved, STDOUT_FILENO);
  close(saved);
  close(fds[0]);
  EXPECT_TRUE(std::regex_search(seen, std::regex{"<\\d+> " + marker + "\n"}))
    << "pipe got: " << seen;
}

// A program whose stdout is a pipe nobody reads any more goes on (the lines
// are dropped), and so do its workers.
TEST_P(worker_output_test, a_closed_output_pipe_kills_nobody) {
  int fds[2];
  ASSERT_EQ(pipe2(fds, O_CLOEXEC), 0);
  std::fflush(stdout);
  int saved = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
  dup2(fds[1], STDOUT_FILENO);
  close(fds[1]);
  close(fds[0]);
  int pid = 0;
  {
    pool p{prefixed(workers(), "<{pid}> ")};
    pid = p.apply(print_lines, unique_marker("unread"), 10);
  }
  dup2(saved, STDOUT_FILENO);
  close(saved);
  EXPECT_GT(pid, 0);
}

TEST_P(worker_output_test, join_does_not_wait_for_a_child_of_a_task) {
  output_to_file out{STDOUT_FILENO, "worker_output_grandchild"};
  auto marker = unique_marker("left a child");
  int pid = 0;
  auto took = elapsed([&] {
    pool p{prefixed(workers(), "<{pid}> ")};
    pid = p.apply(print_and_leave_a_child, marker);
    p.close();
    p.join();
  });
  EXPECT_LT(took, 15s) << "join waited for the task's child (sleep 20)";
  auto expected = "<" + std::to_string(pid) + "> " + marker + "\n";
  EXPECT_NE(out.text().find(expected), std::string::npos)
    << "output was: " << out.text();
}

TEST_P(worker_output_test, many_prefixed_pools_leave_no_descriptor) {
  output_to_file out{STDOUT_FILENO, "worker_output_pools"};
  auto marker = unique_marker("pool round");
  for (int i = 0; i < 10; ++i) {
    pool p{prefixed(workers(), "<{pid}> ")};
    p.apply(print_lines, marker, 1);
  }
  std::regex line{"<(\\d+)> " + marker + " pid=(\\d+) "};
  auto text = out.text();
  auto n = std::distance(std::sregex_iterator(text.begin(), text.end(), line),
                         std::sregex_iterator());
  EXPECT_EQ(n, 10) << "output was: " << text;
  // The fixture checks that no descriptor and no child is left.
}

INSTANTIATE_TEST_SUITE_P(output, worker_output_test,
                         ::testing::ValuesIn(worker_counts()), worker_name);

TEST(worker_output, an_unknown_placeholder_is_a_bad_argument) {
  for (auto pattern : {"[{worker}] ", "{pid", "pid}", "{}"}) {
    try {
      pool p{pool_options{}.processes(1).output_prefix(pattern)};
      ADD_FAILURE() << "accepted: " << pattern;
    } catch (const bad_argument& e) {
      EXPECT_NE(std::string{e.what()}.find("output_prefix"), std::string::npos)
        << e.what();
    }
  }
  EXPECT_THROW(pool{pool_options{}.processes(1).output_prefix("{place}{id}")},
               bad_argument);
}

TEST(worker_output, braces_can_be_printed) {
  output_to_file out{STDOUT_FILENO, "worker_output_braces"};
  auto marker = unique_marker("braces");
  int pid = 0;
  {
    pool p{prefixed(1, "{{{pid}}} ")};
    pid = p.apply(print_lines, marker, 1);
  }
  auto expected = "{" + std::to_string(pid) + "} " + marker;
  EXPECT_NE(out.text().find(expected), std::string::npos)
    << "output was: " << out.text();
}
