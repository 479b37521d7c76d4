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

// The child's end becomes fd 3 (dup2 clears close-on-exec); every other
// descriptor above 2 is closed, including ones we inherited without
// close-on-exec, so the child holds no other worker's socket and sees EOF as
// soon as the parent's end closes.
int init_file_actions(posix_spawn_file_actions_t& fa, int child_end) {
  int rc = posix_spawn_file_actions_init(&fa);
  if (rc == 0)
    rc = posix_spawn_file_actions_adddup2(&fa, child_end, worker_fd);
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

caf::expected<int> spawn_child(int child_end, const std::string& name,
                               bool daemon, size_t max_frame_size) {
  posix_spawnattr_t attr;
  posix_spawn_file_actions_t fa;
  if (int rc = init_attributes(attr))
    return os_error("posix_spawnattr", rc);
  if (int rc = init_file_actions(fa, child_end)) {
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

caf::expected<spawned_process>
spawn_registered(const std::string& name, bool daemon, size_t max_frame_size) {
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
    return os_error("socketpair", errno);
  int child_end = above_worker_fd(sv[1]);
  if (child_end < 0) {
    close_fd(sv[0]);
    return os_error("fcntl", errno);
  }
  auto pid = spawn_child(child_end, name, daemon, max_frame_size);
  close_fd(child_end);
  if (!pid) {
    close_fd(sv[0]);
    return std::move(pid.error());
  }
  register_child(*pid);
  return spawned_process{*pid, sv[0]};
}

} // namespace

caf::expected<spawned_process> spawn_worker_process(const std::string& name,
                                                    bool daemon,
                                                    size_t max_frame_size) {
  if (!begin_spawn())
    return make_error(errc::worker_start_failed,
                      std::string{"the program is ending on a signal"});
  auto result = spawn_registered(name, daemon, max_frame_size);
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
