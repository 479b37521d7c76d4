// actorpool-process-start-join: what it shows and its options are in
// `help_text` below (printed by --help).

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include <actorpool/all.hpp>

#include "common/help.hpp"

namespace {

void greet(int i) {
  auto me = actorpool::current_process();
  std::printf("hello from %s (pid %d), number %d, child of %d\n",
              me.name.c_str(), me.pid, i, actorpool::parent_process()->pid);
  std::fflush(stdout);
}

} // namespace

ACTORPOOL_TASK(greet)

constexpr const char* help_text
  = "usage: actorpool-process-start-join [--processes N]\n"
    "\n"
    "Python's Process start and join:\n"
    "\n"
    "    def greet(i):\n"
    "        print('hello from', current_process().name, os.getpid())\n"
    "    ps = [Process(target=greet, args=(i,)) for i in range(4)]\n"
    "    for p in ps: p.start()\n"
    "    for p in ps: p.join()\n"
    "\n"
    "Four processes start, each prints a greeting, and the parent joins them\n"
    "and prints their exit codes.\n";

int main(int argc, char** argv) {
  actorpool_apps::answer_help(argc, argv, help_text);
  int n = 4;
  if (argc == 3 && std::strcmp(argv[1], "--processes") == 0)
    n = std::atoi(argv[2]);
  std::printf("main process %d starts %d processes\n",
              static_cast<int>(getpid()), n);
  std::fflush(stdout);
  std::vector<actorpool::process> ps;
  for (int i = 0; i < n; ++i)
    ps.emplace_back(greet, i);
  for (auto& p : ps)
    p.start();
  int failures = 0;
  for (auto& p : ps) {
    p.join();
    std::printf("%s (pid %d) exited with code %d\n", p.name().c_str(), *p.pid(),
                *p.exitcode());
    failures += *p.exitcode() != 0;
  }
  std::printf("%d processes started and joined, %d failed\n", n, failures);
  return failures == 0 ? 0 : 1;
}
