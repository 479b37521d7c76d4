// A task (made with make_task) returning a std::unique_ptr.
// expect: actorpool: a task parameter or result type cannot be copied
#include <actorpool/all.hpp>

#include <memory>

inline const auto make_box = actorpool::make_task("make_box", [](int x) {
  return std::make_unique<int>(x);
});

int main() {
  actorpool::pool p{2};
  auto box = p.apply(make_box, 3);
  return *box == 3 ? 0 : 1;
}
