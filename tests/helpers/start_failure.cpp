// A program whose pool cannot start its workers: once its actor system
// runs, it uses up every descriptor its RLIMIT_NOFILE allows, so that the
// pool's `socketpair` fails with EMFILE, a real failure of the system call.
// Prints what the pool constructor threw, as "<kind>: <what>", and exits
// with 0 for `start_error`, 1 for no exception, 2 for any other.
//
// Usage: actorpool-start-failure <workers>

#include <dirent.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <typeinfo>

#include <actorpool/exceptions.hpp>
#include <actorpool/pool.hpp>
#include <actorpool/runtime.hpp>

namespace {

int highest_open_fd() {
  int highest = 2;
  auto dir = opendir("/proc/self/fd");
  if (dir == nullptr)
    return -1;
  while (auto entry = readdir(dir))
    highest = std::max(highest, std::atoi(entry->d_name));
  closedir(dir);
  return highest;
}

// Lowers the soft limit to the descriptors in use, then fills the gaps below
// it: no further descriptor can be made.
bool use_up_descriptors() {
  auto highest = highest_open_fd();
  rlimit lim{};
  if (highest < 0 || getrlimit(RLIMIT_NOFILE, &lim) != 0)
    return false;
  lim.rlim_cur = static_cast<rlim_t>(highest + 2);
  if (setrlimit(RLIMIT_NOFILE, &lim) != 0)
    return false;
  while (open("/dev/null", O_RDONLY | O_CLOEXEC) >= 0)
    ; // nop
  return errno == EMFILE;
}

} // namespace

int main(int argc, char** argv) {
  long n = argc > 1 ? std::atol(argv[1]) : 2;
  actorpool::default_system(); // its threads and descriptors come first
  if (!use_up_descriptors()) {
    std::printf("setup: cannot use up descriptors: %s\n", strerror(errno));
    return 3;
  }
  try {
    actorpool::pool p{n};
    std::printf("started\n");
    return 1;
  } catch (const actorpool::start_error& e) {
    std::printf("start_error: %s\n", e.what());
    return 0;
  } catch (const std::exception& e) {
    std::printf("%s: %s\n",
                actorpool::detail::demangle(typeid(e).name()).c_str(),
                e.what());
    return 2;
  }
}
