// actorpool-rlock-countdown: what it shows and its options are in `help_text`
// below (printed by --help).

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include <actorpool/all.hpp>

#include "common/help.hpp"

namespace {

void count_down(actorpool::rlock l, actorpool::value<int> counter) {
  actorpool::lock_guard<actorpool::rlock> outer{l};
  actorpool::lock_guard<actorpool::rlock> inner{l};
  int left = counter.get() - 1;
  counter.set(left);
  std::printf("%s (pid %d) holds the rlock twice: %d -> %d\n",
              actorpool::current_process().name.c_str(),
              static_cast<int>(getpid()), left + 1, left);
  std::fflush(stdout);
}

} // namespace

ACTORPOOL_TASK(count_down)

constexpr const char* help_text
  = "usage: actorpool-rlock-countdown [--processes N]\n"
    "\n"
    "Python's RLock-protected countdown:\n"
    "\n"
    "    def count_down(lock, counter):\n"
    "        with lock:\n"
    "            with lock:  # an RLock may be taken again by its owner\n"
    "                counter.value -= 1\n"
    "                print(counter.value)\n"
    "    lock, counter = RLock(), Value('i', 10)\n"
    "    ps = [Process(target=count_down, args=(lock, counter))\n"
    "          for _ in range(10)]\n"
    "    for p in ps: p.start()\n"
    "    for p in ps: p.join()\n"
    "\n"
    "Ten processes count a shared value down from 10 to 0, each holding the\n"
    "rlock (twice) while it decrements and prints, so the lines go 10 -> 9,\n"
    "9 -> 8, ..., 1 -> 0, whichever process comes first; the parent prints "
    "0.\n";

int main(int argc, char** argv) {
  actorpool_apps::answer_help(argc, argv, help_text);
  int n = 10;
  if (argc == 3 && std::strcmp(argv[1], "--processes") == 0)
    n = std::atoi(argv[2]);
  actorpool::rlock l;
  actorpool::value<int> counter{n};
  std::vector<actorpool::process> ps;
  for (int i = 0; i < n; ++i)
    ps.emplace_back(count_down, l, counter);
  for (auto& p : ps)
    p.start();
  for (auto& p : ps)
    p.join();
  int left = counter.get();
  std::printf("%d processes counted %d down under one rlock: %d "
              "(expected 0)\n",
              n, n, left);
  return left == 0 ? 0 : 1;
}
