// make_task of a generic lambda: its parameter types are not known, so the
// worker cannot decode its arguments.
// expect: actorpool: a task needs fixed parameter types
#include <actorpool/all.hpp>

inline const auto twice = actorpool::make_task("twice",
                                               [](auto x) { return 2 * x; });

int main() {
  actorpool::pool p{2};
  return p.apply(twice, 3) == 6 ? 0 : 1;
}
