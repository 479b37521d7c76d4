#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>

#include "worker/worker_channel.hpp"

namespace actorpool::detail {

void worker_channel::fail(const char* why) {
  if (why != nullptr)
    fprintf(stderr, "actorpool worker %d: %s\n", static_cast<int>(getpid()),
            why);
  _exit(why == nullptr ? 0 : 70);
}

void worker_channel::send_all() {
  auto p = buf_.data();
  auto left = buf_.size();
  while (left > 0) {
    auto n = send(fd_, p, left, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      fail(nullptr); // EPIPE and the like: the parent is gone
    p += n;
    left -= static_cast<size_t>(n);
  }
}

} // namespace actorpool::detail
