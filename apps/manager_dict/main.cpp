// actorpool-manager-dict: what it shows and its options are in `help_text`
// below (printed by --help).

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <vector>

#include <actorpool/all.hpp>

#include "common/help.hpp"

namespace {

void f(actorpool::dict<int, int> d, int i) {
  d.set(i, i * i);
}

/// Prints `items` as Python prints a dict: {0: 0, 1: 1, ...}.
void print_dict(const std::map<int, int>& items) {
  std::printf("{");
  for (auto& [k, v] : items)
    std::printf(k == items.begin()->first ? "%d: %d" : ", %d: %d", k, v);
  std::printf("}\n");
}

} // namespace

ACTORPOOL_TASK(f)

constexpr const char* help_text
  = "usage: actorpool-manager-dict [--processes N]\n"
    "\n"
    "Python's Manager().dict() written by ten processes:\n"
    "\n"
    "    def f(d, i):\n"
    "        d[i] = i * i\n"
    "    with Manager() as manager:\n"
    "        d = manager.dict()\n"
    "        ps = [Process(target=f, args=(d, i)) for i in range(10)]\n"
    "        for p in ps: p.start()\n"
    "        for p in ps: p.join()\n"
    "        print(sorted(d.items()))\n"
    "\n"
    "Each process sets its own key; the parent prints the dict, sorted, and\n"
    "exits with 1 unless it holds the ten expected entries.\n";

int main(int argc, char** argv) {
  actorpool_apps::answer_help(argc, argv, help_text);
  int n = 10;
  if (argc == 3 && std::strcmp(argv[1], "--processes") == 0)
    n = std::atoi(argv[2]);
  actorpool::manager manager;
  auto d = manager.dict<int, int>();
  std::vector<actorpool::process> ps;
  for (int i = 0; i < n; ++i)
    ps.emplace_back(f, d, i);
  for (auto& p : ps)
    p.start();
  int failures = 0;
  for (auto& p : ps) {
    p.join();
    failures += *p.exitcode() != 0;
  }
  auto items = d.to_map(); // sorted by key
  print_dict(items);
  bool ok = failures == 0 && items.size() == static_cast<size_t>(n);
  for (int i = 0; ok && i < n; ++i)
    ok = items.count(i) == 1 && items[i] == i * i;
  std::printf("%d processes each set d[i] = i * i: %zu entries, %s\n", n,
              items.size(), ok ? "ok" : "WRONG");
  manager.shutdown();
  return ok ? 0 : 1;
}
