// Python's Pipe between a producer and a consumer process:
//
//     def producer(conn, n):
//         for i in range(1, n + 1):
//             conn.send(i)
//         conn.close()
//     def consumer(conn, n):
//         count = total = 0
//         while True:
//             try:
//                 x = conn.recv()
//             except EOFError:
//                 break
//             count, total = count + 1, total + x
//         print(count, total)
//     reader, writer = Pipe(duplex=False)
//     c = Process(target=consumer, args=(reader, n))
//     p = Process(target=producer, args=(writer, n))
//     c.start(); p.start(); p.join(); c.join()
//
// The producer sends 1..N and closes its end; the consumer receives until
// EOF, prints the count and the sum, and fails (exit code 1) unless it got
// all N items. The parent exits with 1 unless both processes succeeded.
//
// Usage: actorpool-pipe-producer-consumer [--items N]

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include <actorpool/all.hpp>

namespace {

void producer(actorpool::connection<long> conn, long n) {
  for (long i = 1; i <= n; ++i)
    conn.send(i);
  conn.close();
}

void consumer(actorpool::connection<long> conn, long n) {
  long count = 0;
  long total = 0;
  try {
    for (;;) {
      total += conn.recv();
      ++count;
    }
  } catch (const actorpool::eof_error&) {
    // the producer closed its end
  }
  std::printf("consumer received %ld items, sum %ld, then EOF\n", count, total);
  std::fflush(stdout);
  if (count != n || total != n * (n + 1) / 2)
    throw std::runtime_error("wrong count or sum");
}

} // namespace

ACTORPOOL_TASK(producer)
ACTORPOOL_TASK(consumer)

int main(int argc, char** argv) {
  long n = 1000;
  if (argc == 3 && std::strcmp(argv[1], "--items") == 0)
    n = std::atol(argv[2]);
  auto [reader, writer] = actorpool::pipe<long>(false);
  actorpool::process c{consumer, reader, n};
  actorpool::process p{producer, writer, n};
  c.start();
  p.start();
  p.join();
  c.join();
  std::printf("producer exited with %d, consumer with %d (expected sum %ld)\n",
              *p.exitcode(), *c.exitcode(), n * (n + 1) / 2);
  return *p.exitcode() == 0 && *c.exitcode() == 0 ? 0 : 1;
}
