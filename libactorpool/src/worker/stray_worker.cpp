// A program started as a worker that runs `main` instead of serving would
// create its own pool there, whose workers do the same: it must stop before
// it starts anything, and say how to fix the build.

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "base/this_process.hpp"
#include "os/spawn.hpp"
#include "worker/stray_worker.hpp"
#include "worker/worker_channel.hpp"

// Defined by the entry object (entry.cpp), when it is linked.
extern "C" int __wrap_main(int argc, char** argv, char** envp)
  __attribute__((weak));

namespace actorpool::detail {

namespace {

/// EX_CONFIG: the program is built or set up the wrong way.
constexpr int refusal_exit_code = 78;

std::string refusal_reason() {
  if (__wrap_main != nullptr) // serve_if_worker runs before main
    return "the program was started as a pool worker and creates a pool or "
           "process before it serves (in a static initializer?): create "
           "them in main()";
  return "the program was started as a pool worker but ran main() instead of "
         "serving tasks, because it was linked without the entry object: "
         "link actorpool::actorpool with CMake, or link libactorpool_entry.a "
         "with -Wl,--wrap=main -Wl,-u,main, or make "
         "'if (int rc = actorpool::serve_if_worker(); rc >= 0) return rc;' "
         "the first line of main()";
}

/// Reads `"<fd>,<parent pid>"`, the value of `worker_env_var`.
bool parse_worker_var(const char* value, int& fd, int& parent) {
  char* end = nullptr;
  fd = static_cast<int>(std::strtol(value, &end, 10));
  if (end == value || *end != ',')
    return false;
  parent = std::atoi(end + 1);
  return fd >= 0 && parent > 0;
}

bool is_socket(int fd) {
  struct stat st;
  return fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode);
}

[[noreturn]] void refuse(int fd) {
  auto why = refusal_reason();
  std::fprintf(stderr, "actorpool: process %d: %s\n",
               static_cast<int>(getpid()), why.c_str());
  if (is_socket(fd)) {
    worker_channel out{fd,
                       default_max_frame_size}; // exits if the parent is gone
    out.write(frame_kind::refusal, why);
  }
  _exit(refusal_exit_code);
}

} // namespace

void stop_if_stray_worker() {
  if (this_worker() != nullptr)
    return;
  auto value = getenv(worker_env_var);
  if (value == nullptr)
    return;
  int fd = -1;
  int parent = 0;
  if (parse_worker_var(value, fd, parent) && parent == getppid())
    refuse(fd);
  // Not set by our parent (inherited from elsewhere): not ours to act on, and
  // not to be mistaken for our own workers' settings.
  for (auto name : {worker_env_var, worker_name_env_var, parent_name_env_var,
                    daemon_env_var, max_frame_env_var})
    unsetenv(name);
}

} // namespace actorpool::detail
