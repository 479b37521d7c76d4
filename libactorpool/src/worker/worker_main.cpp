#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>

#include "actorpool/entry.hpp"
#include "base/atoms.hpp"
#include "base/this_process.hpp"
#include "os/spawn.hpp"
#include "worker/call_table.hpp"
#include "worker/child_reader.hpp"
#include "worker/task_board.hpp"
#include "worker/task_runner.hpp"
#include "worker/worker_channel.hpp"
#include "worker/worker_main.hpp"

namespace actorpool {

namespace detail {

namespace {

size_t frame_limit = default_max_frame_size;
std::atomic<bool> target_done{false};
std::atomic<int> exit_code{0};

// Reads and removes a variable of the environment a pool or process gave
// this worker, so that pools created inside a task start their own workers
// cleanly.
std::string take_env(const char* name) {
  auto value = getenv(name);
  std::string result = value != nullptr ? value : "";
  unsetenv(name);
  return result;
}

// ACTORPOOL_WORKER is "<fd>,<parent pid>"; the other variables describe the
// worker (see process.posix.cpp).
bool take_worker_args(int& fd, worker_identity& identity) {
  auto value = take_env(worker_env_var);
  auto comma = value.find(',');
  if (value.empty() || comma == std::string::npos)
    return false;
  fd = std::atoi(value.c_str());
  identity.parent_pid = std::atoi(value.c_str() + comma + 1);
  identity.name = take_env(worker_name_env_var);
  identity.parent_name = take_env(parent_name_env_var);
  identity.daemon = take_env(daemon_env_var) == "1";
  frame_limit = parse_frame_limit(take_env(max_frame_env_var));
  return fd >= 0;
}

// A worker dies with its parent even if something else keeps the socket
// open; Ctrl-C at a terminal is for the parent to handle, not the workers.
// The socket must not leak into programs the task may start.
void guard_against_orphaning(int fd, int parent_pid) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent_pid)
    _exit(0);
  signal(SIGINT, SIG_IGN);
  fcntl(fd, F_SETFD, FD_CLOEXEC);
}

// What a task prints goes out line by line even when the output is a pipe
// or a file (stdio would hold it until the worker exits, and lose it when
// the worker is killed). Costs one write per line printed.
void line_buffer_output() {
  std::setvbuf(stdout, nullptr, _IOLBF, BUFSIZ);
}

} // namespace

void finish_process_target(int code, int fd) {
  exit_code = code;
  target_done = true;
  shutdown(fd, SHUT_RD); // the reader's blocking recv returns
}

bool process_target_done() noexcept {
  return target_done;
}

// A worker needs no middleman: its only connection is read by a detached
// actor with blocking reads, and written by whoever has a frame to send.
// That keeps start-up short and a round trip at two thread hand-offs.
int run_worker(int fd, size_t max_frame_size) {
  // Declared before the actor system: they must outlive its actors, which
  // ~actor_system waits for.
  worker_channel out{fd, max_frame_size};
  result_outbox outbox{[&out](std::vector<result_msg>& rs) {
                         out.write_or_exit(frame_kind::results, rs);
                       },
                       max_frame_size};
  task_board board;
  call_table calls{out};
  set_worker_services(&board, &calls);
  hello_msg hello{protocol_version, static_cast<int32_t>(getpid())};
  out.write_or_exit(frame_kind::hello, hello);
  {
    caf::actor_system_config cfg;
    cfg.set("scheduler.max-threads", 1);
    cfg.set("scheduler.policy", caf::atom("sharing"));
    caf::actor_system sys{cfg};
    auto runner = spawn_task_runner(sys, &out, &board, &outbox);
    spawn_result_watcher(sys, &outbox);
    spawn_child_reader(sys, fd, runner, &out, &board, &calls);
  } // ~actor_system waits until the reader and the runner are done
  set_worker_services(nullptr, nullptr);
  return exit_code;
}

} // namespace detail

int serve_if_worker() {
  int fd = -1;
  detail::worker_identity identity;
  if (!detail::take_worker_args(fd, identity))
    return -1;
  auto parent_pid = identity.parent_pid;
  detail::become_worker(std::move(identity));
  detail::guard_against_orphaning(fd, parent_pid);
  detail::line_buffer_output();
  return detail::run_worker(fd, detail::frame_limit);
}

} // namespace actorpool
