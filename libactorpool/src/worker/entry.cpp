// Linked into every program that uses actorpool::actorpool, together with
// -Wl,--wrap=main: the C runtime then calls __wrap_main instead of main.
// Static initializers (and so every task registration) have run by now, and
// nothing of the program's main has.

#include "actorpool/entry.hpp"

extern "C" int __real_main(int argc, char** argv, char** envp);

extern "C" int __wrap_main(int argc, char** argv, char** envp) {
  int rc = actorpool::serve_if_worker();
  if (rc >= 0)
    return rc;
  return __real_main(argc, argv, envp);
}
