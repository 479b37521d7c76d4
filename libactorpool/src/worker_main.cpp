#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>

#include "actorpool/entry.hpp"
#include "internal/atoms.hpp"
#include "internal/process.hpp"
#include "internal/worker_runtime.hpp"

namespace actorpool {

namespace detail {

namespace {

struct worker_args {
  int fd = -1;
  int parent = -1;
};

// Parses ACTORPOOL_WORKER ("<fd>,<parent pid>") and removes it, so that a
// pool created inside a task starts its own workers cleanly.
bool take_worker_args(worker_args& out) {
  auto value = getenv(worker_env_var);
  if (value == nullptr)
    return false;
  std::string s{value};
  unsetenv(worker_env_var);
  auto comma = s.find(',');
  if (comma == std::string::npos)
    return false;
  out.fd = std::atoi(s.c_str());
  out.parent = std::atoi(s.c_str() + comma + 1);
  return out.fd >= 0;
}

// A worker dies with its parent even if something else keeps the socket
// open; Ctrl-C at a terminal is for the parent to handle, not the workers.
void guard_against_orphaning(int parent) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent)
    _exit(0);
  signal(SIGINT, SIG_IGN);
}

} // namespace

// A worker needs no middleman: its only connection is read by a detached
// actor with blocking reads, and written by whoever has a frame to send.
// That keeps start-up short and a round trip at two thread hand-offs.
int run_worker(int fd) {
  // Declared before the actor system: they must outlive its actors, which
  // ~actor_system waits for.
  worker_channel out{fd};
  task_board board;
  call_table calls{out};
  set_worker_calls(&calls);
  hello_msg hello{protocol_version, static_cast<int32_t>(getpid())};
  out.write(frame_kind::hello, hello);
  caf::actor_system_config cfg;
  cfg.set("scheduler.max-threads", 1);
  cfg.set("scheduler.policy", caf::atom("sharing"));
  caf::actor_system sys{cfg};
  auto runner = spawn_task_runner(sys, &out, &board);
  spawn_child_reader(sys, fd, runner, &out, &board, &calls);
  return 0; // ~actor_system waits until the reader and the runner are done
}

} // namespace detail

int serve_if_worker() {
  detail::worker_args args;
  if (!detail::take_worker_args(args))
    return -1;
  detail::guard_against_orphaning(args.parent);
  return detail::run_worker(args.fd);
}

} // namespace actorpool
