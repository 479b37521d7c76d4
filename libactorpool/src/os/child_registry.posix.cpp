#include "os/child_registry.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <mutex>

namespace actorpool::detail {

namespace {

constexpr int max_children = 4096;

std::atomic<int> children[max_children];

std::atomic<bool> dying{false};

/// Threads between the decision to start a child and its registration.
std::atomic<int> spawning{0};

constexpr int fatal_signals[] = {SIGINT, SIGTERM, SIGHUP};

// Kills and reaps the recorded children; true if there were any. Pools may
// start replacements for the killed workers meanwhile (`dying` makes them
// kill those at once), hence the caller's loop.
bool kill_and_reap_children() {
  bool any = false;
  for (auto& slot : children)
    if (int pid = slot.load(); pid > 0)
      kill(pid, SIGKILL);
  for (auto& slot : children) {
    if (int pid = slot.exchange(0); pid > 0) {
      any = true;
      while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR)
        ; // SIGKILL cannot be ignored: this ends at once
    }
  }
  return any;
}

// Async-signal-safe: atomics, kill(2), waitpid(2), nanosleep(2),
// signal(2), raise(3). A child being started as the signal came is waited
// for, so that it is killed and reaped too.
void on_fatal_signal(int sig) {
  int saved = errno;
  dying = true;
  do {
    while (spawning.load() > 0) {
      timespec ts{0, 100000};
      nanosleep(&ts, nullptr);
    }
  } while (kill_and_reap_children());
  signal(sig, SIG_DFL);
  raise(sig); // delivered on return, with the default action
  errno = saved;
}

void install_handlers() {
  for (int sig : fatal_signals) {
    struct sigaction old {};
    if (sigaction(sig, nullptr, &old) != 0 || old.sa_handler != SIG_DFL
        || (old.sa_flags & SA_SIGINFO) != 0)
      continue; // the program handles (or ignores) it itself
    struct sigaction sa {};
    sa.sa_handler = on_fatal_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(sig, &sa, nullptr);
  }
}

} // namespace

bool begin_spawn() noexcept {
  static std::once_flag once;
  std::call_once(once, install_handlers);
  ++spawning;
  if (!dying)
    return true;
  --spawning;
  return false;
}

void register_child(int pid) noexcept {
  for (auto& slot : children) {
    int empty = 0;
    if (slot.compare_exchange_strong(empty, pid))
      break;
  }
  --spawning;
}

void spawn_failed() noexcept {
  --spawning;
}

void unregister_child(int pid) noexcept {
  for (auto& slot : children) {
    int expected = pid;
    if (slot.compare_exchange_strong(expected, 0))
      return;
  }
}

} // namespace actorpool::detail
