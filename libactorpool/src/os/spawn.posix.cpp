#include "os/spawn.hpp"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "actorpool/errc.hpp"
#include "base/this_process.hpp"
#include "os/child_registry.hpp"

extern char** environ;

namespace actorpool::detail {

namespace {

caf::error os_error(const char* call, int code) {
  auto what = std::string{"cannot start a worker: "} + call + ": "
              + strerror(code);
  return make_error(errc::worker_start_failed, std::move(what));
}

bool is_ours(const char* entry) {
  for (auto name : {worker_env_var, worker_name_env_var, parent_name_env_var,
                    daemon_env_var, max_frame_env_var}) {
    auto n = strlen(name);
    if (strncmp(entry, name, n) == 0 && entry[n] == '=')
      return true;
  }
  return false;
}

std::string own_name() {
  auto self = this_worker();
  return self != nullptr ? self->name : "MainProcess";
}

// The environment of the child: ours without stale worker variables, plus
// the ones that make the child a worker of this process.
std::vector<std::string> worker_environment(const std::string& name,
                                            bool daemon,
                                            size_t max_frame_size) {
  std::vector<std::string> env;
  for (char** e = environ; e && *e; ++e)
    if (!is_ours(*e))
      env.emplace_back(*e);
  env.emplace_back(std::string{worker_env_var} + "=" + std::to_string(worker_fd)
                   + "," + std::to_string(getpid()));
  env.emplace_back(std::string{worker_name_env_var} + "=" + name);
  env.emplace_back(std::string{parent_name_env_var} + "=" + own_name());
  env.emplace_back(std::string{daemon_env_var} + "=" + (daemon ? "1" : "0"));
  env.emplace_back(std::string{max_frame_env_var} + "="
                   + std::to_string(max_frame_size));
  return env;
}

std::vector<char*> as_argv(std::vector<std::string>& xs) {
  std::vector<char*> result;
  for (auto& x : xs)
    result.push_back(x.data());
  result.push_back(nullptr);
  return result;
}

// posix_spawn attributes: empty signal mask and default dispositions for the
// signals the parent (or CAF) may have changed, so the worker starts clean.
int init_attributes(posix_spawnattr_t& attr) {
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGCHLD, SIGUSR1, SIGUSR2})
    sigaddset(&defaults, sig);
  int rc = posix_spawnattr_init(&attr);
  if (rc == 0)
    rc = posix_spawnattr_setsigmask(&attr, &none);
  if (rc == 0)
    rc = posix_spawnattr_setsigdefault(&attr, &defaults);
  if (rc == 0)
    rc = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK
                                           | POSIX_SPAWN_SETSIGDEF);
  return rc;
}

// The descriptors a child gets besides the parent's 0 to 2, all above fd 3
// in the parent: its socket end and, when its output is captured, the write
// ends of its stdout and stderr pipes.
struct child_fds {
  int sock = -1;
  int out = -1;
  int err = -1;
};

// The socket end becomes fd 3, the pipes (if any) fds 1 and 2 (dup2 clears
// close-on-exec); every other descriptor above 3 is closed, including ones
// we inherited without close-on-exec, so the child holds no other worker's
// socket or pipe and sees EOF as soon as the parent's end closes.
int init_file_actions(posix_spawn_file_actions_t& fa, const child_fds& c) {
  int rc = posix_spawn_file_actions_init(&fa);
  if (rc == 0)
    rc = posix_spawn_file_actions_adddup2(&fa, c.sock, worker_fd);
  if (rc == 0 && c.out >= 0)
    rc = posix_spawn_file_actions_adddup2(&fa, c.out, STDOUT_FILENO);
  if (rc == 0 && c.err >= 0)
    rc = posix_spawn_file_actions_adddup2(&fa, c.err, STDERR_FILENO);
  if (rc == 0)
    rc = posix_spawn_file_actions_addclosefrom_np(&fa, worker_fd + 1);
  return rc;
}

// Moves `fd` to a number above 3 so that dup2(fd, 3) is never a no-op that
// would keep close-on-exec set.
int above_worker_fd(int fd) {
  if (fd > worker_fd)
    return fd;
  int moved = fcntl(fd, F_DUPFD_CLOEXEC, worker_fd + 1);
  close_fd(fd);
  return moved;
}

caf::expected<int> spawn_child(const child_fds& child, const std::string& name,
                               bool daemon, size_t max_frame_size) {
  posix_spawnattr_t attr;
  posix_spawn_file_actions_t fa;
  if (int rc = init_attributes(attr))
    return os_error("posix_spawnattr", rc);
  if (int rc = init_file_actions(fa, child)) {
    posix_spawnattr_destroy(&attr);
    return os_error("posix_spawn_file_actions", rc);
  }
  std::vector<std::string> args{program_invocation_name, "--actorpool-worker"};
  auto env = worker_environment(name, daemon, max_frame_size);
  auto argv = as_argv(args);
  auto envp = as_argv(env);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, "/proc/self/exe", &fa, &attr, argv.data(),
                       envp.data());
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  if (rc != 0)
    return os_error("posix_spawn", rc);
  return static_cast<int>(pid);
}

} // namespace

namespace {

void close_ends(spawned_process& parent, child_fds& child) {
  for (int fd : {parent.fd, parent.out_fd, parent.err_fd, child.sock, child.out,
                 child.err})
    close_fd(fd);
  parent = spawned_process{};
  child = child_fds{};
}

// A socketpair or pipe: the parent's end in `parent_end`, the child's
// (moved above fd 3) in `child_end`.
caf::error make_channel(bool socket, int& parent_end, int& child_end) {
  int fds[2];
  int rc = socket ? socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds)
                  : pipe2(fds, O_CLOEXEC);
  if (rc != 0)
    return os_error(socket ? "socketpair" : "pipe2", errno);
  parent_end = fds[0];
  child_end = above_worker_fd(fds[1]);
  if (child_end < 0)
    return os_error("fcntl", errno);
  return caf::none;
}

caf::error make_channels(spawned_process& parent, child_fds& child,
                         bool capture_output) {
  auto err = make_channel(true, parent.fd, child.sock);
  if (!err && capture_output)
    err = make_channel(false, parent.out_fd, child.out);
  if (!err && capture_output)
    err = make_channel(false, parent.err_fd, child.err);
  return err;
}

caf::expected<spawned_process>
spawn_registered(const std::string& name, bool daemon, size_t max_frame_size,
                 bool capture_output) {
  spawned_process parent;
  child_fds child;
  if (auto err = make_channels(parent, child, capture_output)) {
    close_ends(parent, child);
    return err;
  }
  auto pid = spawn_child(child, name, daemon, max_frame_size);
  for (int fd : {child.sock, child.out, child.err})
    close_fd(fd);
  child = child_fds{};
  if (!pid) {
    close_ends(parent, child);
    return std::move(pid.error());
  }
  register_child(*pid);
  parent.pid = *pid;
  return parent;
}

} // namespace

caf::expected<spawned_process>
spawn_worker_process(const std::string& name, bool daemon,
                     size_t max_frame_size, bool capture_output) {
  if (!begin_spawn())
    return make_error(errc::worker_start_failed,
                      std::string{"the program is ending on a signal"});
  auto result = spawn_registered(name, daemon, max_frame_size, capture_output);
  if (!result)
    spawn_failed();
  return result;
}

namespace {

// Waits for `pid` to end (with `WNOHANG`: checks) without reaping it, so
// that its pid cannot be reused while it leaves the registry; then reaps it.
std::optional<exit_status> reap(int pid, int flags) {
  siginfo_t info{};
  int rc;
  do {
    rc = waitid(P_PID, static_cast<id_t>(pid), &info,
                WEXITED | WNOWAIT | flags);
  } while (rc < 0 && errno == EINTR);
  if (rc < 0)
    return exit_status{0, false}; // reaped elsewhere (ECHILD)
  if (info.si_pid == 0)
    return std::nullopt; // still running
  unregister_child(pid);
  int st = 0;
  while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
    ; // it has ended: returns at once
  if (WIFSIGNALED(st))
    return exit_status{-WTERMSIG(st), true};
  return exit_status{WEXITSTATUS(st), true};
}

} // namespace

std::optional<exit_status> try_reap(int pid) {
  return reap(pid, WNOHANG);
}

exit_status reap_blocking(int pid) {
  return *reap(pid, 0);
}

std::string describe(const exit_status& st) {
  if (!st.known)
    return "ended (status unknown)";
  if (st.code >= 0)
    return "exited with code " + std::to_string(st.code);
  return "killed by signal " + std::to_string(-st.code) + " ("
         + strsignal(-st.code) + ")";
}

std::optional<size_t> resident_memory(int pid) {
  char path[64];
  std::snprintf(path, sizeof(path), "/proc/%d/statm", pid);
  auto f = std::fopen(path, "r");
  if (f == nullptr)
    return std::nullopt;
  unsigned long size = 0, resident = 0;
  auto n = std::fscanf(f, "%lu %lu", &size, &resident);
  std::fclose(f);
  if (n != 2)
    return std::nullopt;
  return static_cast<size_t>(resident)
         * static_cast<size_t>(sysconf(_SC_PAGESIZE));
}

void signal_process(int pid, int sig) {
  if (pid > 0)
    kill(pid, sig);
}

void close_fd(int fd) {
  if (fd < 0)
    return;
  // On Linux the descriptor is released even when close() reports EINTR, so
  // retrying could close a descriptor another thread just received.
  close(fd);
}

} // namespace actorpool::detail
