// A task returning a type without a default constructor: the worker's
// decoder creates values before reading into them.
// expect: actorpool: a task parameter or result type has no default constructor
#include <actorpool/all.hpp>

#include <string>

struct name_tag {
  explicit name_tag(std::string s) : text(std::move(s)) {
  }
  std::string text;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, name_tag& x) {
  return f(x.text);
}

name_tag tag(int n) {
  return name_tag{std::to_string(n)};
}
ACTORPOOL_TASK(tag)

int main() {
  actorpool::pool p{2};
  return p.apply(tag, 3).text == "3" ? 0 : 1;
}
