// A program that owns a pool: prints "ready <pid> <pid> ..." (its own pid
// first, then its workers') and then, by mode:
//
//   wait    blocks reading stdin, until stdin closes or a signal ends it
//           (the parent-death and signal tests);
//   static  returns from main with the pool in a function-local static;
//   global  returns from main with the pool in an object held by a global
//           made before main (CPython's test_worker_finalization_via_atexit
//           _handler_of_multiprocessing: `problem = A()`, `A` owning a pool);
//   leaked  returns from main with the pool leaked (never destroyed).
//
// Modes global_process and leaked_process start instead a process (not a
// daemon) that waits in `get` on a queue, and return from main with both in
// a global holder or leaked; they print "ready <pid> <child pid>". The first
// leaves once the process is about to wait, the second right after start().
//
// Usage: actorpool-pool-parent <workers> [wait|static|global|leaked|
//                                         global_process|leaked_process]

#include <poll.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include <actorpool/event.hpp>
#include <actorpool/pool.hpp>
#include <actorpool/process.hpp>
#include <actorpool/queue.hpp>

namespace {

int twice(int x) {
  return 2 * x;
}

/// CPython's class A: an object whose member is a pool.
struct holder {
  explicit holder(long n) : p(n) {
    // nop
  }

  actorpool::pool p;
};

/// CPython's global `problem`: constructed before main, so destroyed after
/// everything main started (the default actor system included).
std::unique_ptr<holder> problem;

/// Waits for an item that never comes.
void take_one(actorpool::event ready, actorpool::queue<int> q) {
  ready.set();
  q.get();
}

/// A queue and a process blocked on it.
struct process_holder {
  process_holder() : p(take_one, ready, q) {
    p.start();
  }

  actorpool::event ready;
  actorpool::queue<int> q;
  actorpool::process p;
};

std::unique_ptr<process_holder> process_problem;

} // namespace

// What the leaked modes leak: never destroyed, but reachable from here, so
// that the sanitized builds' leak checker does not report it (external
// linkage: the stores are not optimized away).
namespace leaked {

actorpool::pool* pool = nullptr;
void* processes = nullptr; // a process_holder

} // namespace leaked

namespace {

actorpool::pool& static_pool(long n) {
  static actorpool::pool instance{n};
  return instance;
}

/// The pool of a mode other than "wait", or null for an unknown mode.
actorpool::pool* make_pool(const std::string& mode, long n) {
  if (mode == "static")
    return &static_pool(n);
  if (mode == "global") {
    problem = std::make_unique<holder>(n);
    return &problem->p;
  }
  if (mode == "leaked")
    return leaked::pool = new actorpool::pool{n};
  return nullptr;
}

// Until stdin closes or a signal ends the program. It waits in poll(2), not
// read(2): ThreadSanitizer runs a signal handler only once the thread leaves
// its system call, and the kernel restarts a read (SA_RESTART) without
// leaving it; a poll lets it run at once.
void wait_for_stdin() {
  pollfd in{0, POLLIN, 0};
  char c;
  while (poll(&in, 1, -1) >= 0)
    if ((in.revents & (POLLIN | POLLHUP)) != 0 && read(0, &c, 1) <= 0)
      break;
}

} // namespace

ACTORPOOL_TASK(twice)
ACTORPOOL_TASK(take_one)

namespace {

/// The modes with a process: start it, print the ready line, leave main.
int run_process_mode(const std::string& mode) {
  process_holder* h = nullptr;
  if (mode == "global_process") {
    process_problem = std::make_unique<process_holder>();
    h = process_problem.get();
    h->ready.wait();
  } else {
    h = new process_holder;
    leaked::processes = h;
  }
  std::printf("ready %d %d\n", static_cast<int>(getpid()), *h->p.pid());
  std::fflush(stdout);
  return 0;
}

/// Python's `problem.pool.map(float, tuple(range(10)))`, then the ready line.
int use(actorpool::pool& p) {
  std::vector<int> xs{0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  if (p.map(twice, xs) != std::vector<int>{0, 2, 4, 6, 8, 10, 12, 14, 16, 18})
    return 1;
  std::printf("ready %d", static_cast<int>(getpid()));
  for (auto pid : p.stats().pids)
    std::printf(" %d", static_cast<int>(pid));
  std::printf("\n");
  std::fflush(stdout);
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  long n = argc > 1 ? std::atol(argv[1]) : 2;
  std::string mode = argc > 2 ? argv[2] : "wait";
  if (mode == "wait") {
    actorpool::pool p{n};
    if (use(p) != 0)
      return 1;
    wait_for_stdin();
    return 0;
  }
  if (mode == "global_process" || mode == "leaked_process")
    return run_process_mode(mode);
  auto p = make_pool(mode, n);
  if (p == nullptr) {
    std::fprintf(stderr, "unknown mode %s\n", mode.c_str());
    return 2;
  }
  return use(*p);
}
