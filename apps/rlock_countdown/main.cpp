// Python's RLock-protected countdown:
//
//     def count_down(lock, counter):
//         with lock:
//             with lock:  # an RLock may be taken again by its owner
//                 counter.value -= 1
//                 print(counter.value)
//     lock, counter = RLock(), Value('i', 10)
//     ps = [Process(target=count_down, args=(lock, counter))
//           for _ in range(10)]
//     for p in ps: p.start()
//     for p in ps: p.join()
//
// Ten processes count a shared value down from 10 to 0, each holding the
// rlock (twice) while it decrements and prints, so the lines go 10 -> 9,
// 9 -> 8, ..., 1 -> 0, whichever process comes first; the parent prints 0.
//
// Usage: actorpool-rlock-countdown [--processes N]

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include <actorpool/all.hpp>

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

int main(int argc, char** argv) {
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
