// actorpool-queue-relay: what it shows and its options are in `help_text` below
// (printed by --help).

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include <actorpool/all.hpp>

#include "common/help.hpp"

namespace {

using link = std::vector<int>; // {the id received, the own id}

void relay(actorpool::queue<int> q, actorpool::queue<link> log, int me) {
  int got = q.get();
  log.put(link{got, me});
  q.put(me);
}

} // namespace

ACTORPOOL_TASK(relay)

namespace {

/// Prints the chain `next` records, from the parent (0) on; returns the
/// processes it visits (each once) and sets `at` to the last of them.
std::set<int> print_chain(std::map<int, int>& next, int& at) {
  std::set<int> visited;
  at = 0;
  std::printf("main");
  while (next.count(at) == 1 && visited.insert(next[at]).second) {
    at = next[at];
    std::printf(" -> %d", at);
  }
  std::printf("\n");
  return visited;
}

} // namespace

constexpr const char* help_text
  = "usage: actorpool-queue-relay [--processes N]\n"
    "\n"
    "A relay through ten processes sharing one multiprocessing.Queue:\n"
    "\n"
    "    def relay(q, log, me):\n"
    "        got = q.get()\n"
    "        log.put((got, me))\n"
    "        q.put(me)\n"
    "    q, log = Queue(), Queue()\n"
    "    ps = [Process(target=relay, args=(q, log, i)) for i in range(1, 11)]\n"
    "    for p in ps: p.start()\n"
    "    q.put(0)                      # the parent starts the relay\n"
    "    for p in ps: p.join()\n"
    "    last = q.get()                # the id of the last process\n"
    "\n"
    "Each process takes the value on the queue (the id of the process before\n"
    "it) and puts its own id. The parent rebuilds the chain from the log,\n"
    "prints it, and exits with 1 unless it runs through every process once "
    "and\n"
    "ends with the value left on the queue.\n";

int main(int argc, char** argv) {
  actorpool_apps::answer_help(argc, argv, help_text);
  int n = 10;
  if (argc == 3 && std::strcmp(argv[1], "--processes") == 0)
    n = std::atoi(argv[2]);
  actorpool::queue<int> q;
  actorpool::queue<link> log;
  std::vector<actorpool::process> ps;
  for (int i = 1; i <= n; ++i)
    ps.emplace_back(relay, q, log, i);
  for (auto& p : ps)
    p.start();
  q.put(0);
  int failures = 0;
  for (auto& p : ps) {
    p.join();
    failures += *p.exitcode() != 0;
  }
  std::map<int, int> next; // id received -> id of the process that got it
  for (int i = 0; i < n; ++i) {
    auto l = log.get(true, std::chrono::seconds{10});
    next[l[0]] = l[1];
  }
  int last = q.get(false);
  int at = 0;
  auto visited = print_chain(next, at);
  bool ok = failures == 0 && visited.size() == static_cast<size_t>(n)
            && at == last;
  std::printf("%zu processes relayed, last id on the queue %d: %s\n",
              visited.size(), last, ok ? "ok" : "WRONG");
  return ok ? 0 : 1;
}
