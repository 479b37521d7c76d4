// What a task prints reaches the program's output line by line, also when
// that output is not a terminal: a line the task finished is not lost when
// its worker is killed (here: for exceeding its time limit).

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
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

} // namespace

ACTORPOOL_TASK(print_then_hang)

namespace {

class worker_output_test : public process_test_p {};

// Sends this process's stdout (and so the workers' it starts) to a file
// while it lives.
class stdout_to_file {
public:
  explicit stdout_to_file(const std::string& path) : path_(path) {
    std::fflush(stdout);
    saved_ = dup(STDOUT_FILENO);
    auto fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
                   0600);
    dup2(fd, STDOUT_FILENO);
    close(fd);
  }

  ~stdout_to_file() {
    std::fflush(stdout);
    dup2(saved_, STDOUT_FILENO);
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
  std::string path_;
  int saved_ = -1;
};

} // namespace

TEST_P(worker_output_test, a_finished_line_survives_the_kill_of_its_worker) {
  stdout_to_file out{::testing::TempDir() + "worker_output."
                     + std::to_string(getpid())};
  auto marker = "line of a task in pid-" + std::to_string(getpid());
  {
    pool p{workers()};
    auto r = p.apply_async(call_options{}.timeout(2s), print_then_hang, marker);
    EXPECT_THROW(r.get(), timeout_error);
  }
  EXPECT_NE(out.text().find(marker + "\n"), std::string::npos)
    << "output was: " << out.text();
}

INSTANTIATE_TEST_SUITE_P(output, worker_output_test, ::testing::Values(1, 2),
                         worker_name);
