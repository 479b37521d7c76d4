#include "python_runner.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <iostream>
#include <memory>
#include <spawn.h>
#include <stdexcept>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

#ifndef ACTORPOOL_BENCH_PYTHON_SCRIPT
#error "ACTORPOOL_BENCH_PYTHON_SCRIPT must name python_mp_bench.py"
#endif

extern char** environ;

namespace bench {

std::string python_workload(const std::string& name) {
  if (name == "worker_replace_spare")
    return "worker_replace";
  return name;
}

namespace {

/// The command line for python_mp_bench.py matching `opts`.
std::vector<std::string> python_command(const options& opts) {
  std::vector<std::string> args{"python3",   ACTORPOOL_BENCH_PYTHON_SCRIPT,
                                "--workers", std::to_string(opts.workers),
                                "--repeat",  std::to_string(opts.repeat)};
  if (opts.quick)
    args.emplace_back("--quick");
  if (opts.verbose)
    args.emplace_back("--verbose");
  if (!opts.only.empty()) {
    args.emplace_back("--only");
    args.push_back(python_workload(opts.only));
  }
  return args;
}

/// Starts `args` (found on PATH) with stdout into a pipe. Returns the pid
/// and sets `out_fd` to the pipe's read end; returns -1 if the program does
/// not exist. Throws on other errors.
pid_t spawn_with_stdout(const std::vector<std::string>& args, int& out_fd) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0)
    throw std::runtime_error(std::string{"pipe2: "} + std::strerror(errno));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  std::vector<char*> argv;
  for (auto& arg : args)
    argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    if (rc == ENOENT)
      return -1;
    throw std::runtime_error("cannot start " + args[0] + ": "
                             + std::strerror(rc));
  }
  out_fd = fds[0];
  return pid;
}

/// Reads `fd` line by line until EOF, relaying every line to stdout and
/// collecting the figures among them.
std::vector<figure> relay_lines(int fd) {
  std::unique_ptr<FILE, int (*)(FILE*)> in{fdopen(fd, "r"), &fclose};
  if (!in) {
    close(fd);
    throw std::runtime_error("fdopen failed");
  }
  std::vector<figure> figures;
  char* buf = nullptr;
  size_t cap = 0;
  for (ssize_t len; (len = getline(&buf, &cap, in.get())) >= 0;) {
    std::string line{buf, static_cast<size_t>(len)};
    if (!line.empty() && line.back() == '\n')
      line.pop_back();
    std::cout << line << std::endl;
    if (auto x = parse_figure(line); x && x->impl.rfind("python-", 0) == 0)
      figures.push_back(std::move(*x));
  }
  std::free(buf);
  return figures;
}

/// Waits for `pid`; throws unless it exited with status 0.
void expect_success(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR)
      throw std::runtime_error("waitpid failed");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error("python_mp_bench.py failed (wait status "
                             + std::to_string(status) + ")");
}

} // namespace

python_result run_python_bench(const options& opts) {
  std::cout.flush(); // keep our lines ahead of the child's
  int fd = -1;
  auto pid = spawn_with_stdout(python_command(opts), fd);
  if (pid < 0)
    return python_result{};
  auto figures = relay_lines(fd);
  expect_success(pid);
  return python_result{true, std::move(figures)};
}

} // namespace bench
