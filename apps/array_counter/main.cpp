// actorpool-array-counter: what it shows and its options are in `help_text`
// below (printed by --help).

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include <actorpool/all.hpp>

#include "common/help.hpp"

namespace {

void add_100(actorpool::array<int> temp) {
  temp.fetch_add(0, 100);
}

void add_100_locked(actorpool::array<int> temp) {
  auto l = temp.get_lock();
  actorpool::lock_guard<actorpool::lock> guard{l};
  temp.set(0, temp.get(0) + 100);
}

struct options {
  int processes = 10;
  bool with_lock = false;
};

options parse(int argc, char** argv) {
  options opts;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--processes") == 0 && i + 1 < argc)
      opts.processes = std::atoi(argv[++i]);
    else if (std::strcmp(argv[i], "--with-lock") == 0)
      opts.with_lock = true;
  }
  return opts;
}

} // namespace

ACTORPOOL_TASK(add_100)
ACTORPOOL_TASK(add_100_locked)

constexpr const char* help_text
  = "usage: actorpool-array-counter [--processes N] [--with-lock]\n"
    "\n"
    "Python's shared Array counter:\n"
    "\n"
    "    def add_100(temp):\n"
    "        with temp.get_lock():\n"
    "            temp[0] += 100\n"
    "    arr = Array('i', [1])\n"
    "    ps = [Process(target=add_100, args=(arr,)) for _ in range(10)]\n"
    "    for p in ps: p.start()\n"
    "    for p in ps: p.join()\n"
    "    print(arr[0])  # 1001\n"
    "\n"
    "Here `temp[0] += 100` is one message, `fetch_add(0, 100)`, applied by "
    "the\n"
    "array's actor: atomic without taking the lock. With --with-lock each\n"
    "process instead reads and writes under `get_lock()`, as in Python. "
    "Either\n"
    "way the output ends with 1001; the exit status is 1 otherwise.\n";

int main(int argc, char** argv) {
  actorpool_apps::answer_help(argc, argv, help_text);
  auto opts = parse(argc, argv);
  actorpool::array<int> temp{std::vector<int>{1}};
  std::vector<actorpool::process> ps;
  for (int i = 0; i < opts.processes; ++i) {
    if (opts.with_lock)
      ps.emplace_back(add_100_locked, temp);
    else
      ps.emplace_back(add_100, temp);
  }
  for (auto& p : ps)
    p.start();
  for (auto& p : ps)
    p.join();
  int result = temp.get(0);
  int expected = 1 + 100 * opts.processes;
  std::printf("%d processes each added 100 to temp[0] (starting at 1)%s: "
              "%d (expected %d)\n",
              opts.processes, opts.with_lock ? " under get_lock()" : "", result,
              expected);
  return result == expected ? 0 : 1;
}
