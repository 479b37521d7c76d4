// actorpool-pipe-producer-consumer: what it shows and its options are in
// `help_text` below (printed by --help).

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include <actorpool/all.hpp>

#include "common/help.hpp"

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

constexpr const char* help_text
  = "usage: actorpool-pipe-producer-consumer [--items N]\n"
    "\n"
    "Python's Pipe between a producer and a consumer process:\n"
    "\n"
    "    def producer(conn, n):\n"
    "        for i in range(1, n + 1):\n"
    "            conn.send(i)\n"
    "        conn.close()\n"
    "    def consumer(conn, n):\n"
    "        count = total = 0\n"
    "        while True:\n"
    "            try:\n"
    "                x = conn.recv()\n"
    "            except EOFError:\n"
    "                break\n"
    "            count, total = count + 1, total + x\n"
    "        print(count, total)\n"
    "    reader, writer = Pipe(duplex=False)\n"
    "    c = Process(target=consumer, args=(reader, n))\n"
    "    p = Process(target=producer, args=(writer, n))\n"
    "    c.start(); p.start(); p.join(); c.join()\n"
    "\n"
    "The producer sends 1..N and closes its end; the consumer receives until\n"
    "EOF, prints the count and the sum, and fails (exit code 1) unless it got\n"
    "all N items. The parent exits with 1 unless both processes succeeded.\n";

int main(int argc, char** argv) {
  actorpool_apps::answer_help(argc, argv, help_text);
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
