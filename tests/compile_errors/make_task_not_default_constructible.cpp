// make_task of a lambda whose parameter type has no default constructor.
// expect: actorpool: a task parameter or result type has no default constructor
#include <actorpool/all.hpp>

struct meters {
  explicit meters(double v) : value(v) {
  }
  double value;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, meters& x) {
  return f(x.value);
}

inline const auto to_feet = actorpool::make_task("to_feet", [](meters m) {
  return m.value * 3.28084;
});

int main() {
  actorpool::pool p{2};
  return p.apply(to_feet, meters{2.0}) > 6 ? 0 : 1;
}
