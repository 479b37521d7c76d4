#pragma once

// Every app answers `--help` (or `-h`) with what it does and its options,
// and exits before it starts any work.

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace actorpool_apps {

/// Prints `text` and exits with status 0 if any argument is `--help` or
/// `-h`; otherwise returns at once.
inline void answer_help(int argc, char** argv, const char* text) {
  for (int i = 1; i < argc; ++i)
    if (std::strcmp(argv[i], "--help") == 0
        || std::strcmp(argv[i], "-h") == 0) {
      std::fputs(text, stdout);
      std::exit(0);
    }
}

} // namespace actorpool_apps
