// make_task of a function object whose parameter type has no inspect
// overload.
// expect: actorpool: CAF cannot serialize a task parameter or result type
#include <actorpool/all.hpp>

#include <string>

struct user {
  std::string name;
  int age = 0;
};

struct greeter {
  std::string operator()(const user& u) const {
    return "hello " + u.name;
  }
};

inline const auto greet = actorpool::make_task("greet", greeter{});

int main() {
  actorpool::pool p{2};
  std::string s = p.apply(greet, user{"ann", 3});
  return s.empty() ? 1 : 0;
}
