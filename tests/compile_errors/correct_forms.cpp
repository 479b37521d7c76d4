// The correct forms of everything the other files in this directory get
// wrong: this file must compile, which shows that the checks accept what
// they should and that the compiler command of the tests works.
#include <actorpool/all.hpp>

#include <functional>
#include <map>
#include <string>
#include <tuple>
#include <vector>

struct point {
  int x = 0;
  int y = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, point& p) {
  return f(p.x, p.y);
}

int square(int x) {
  return x * x;
}
ACTORPOOL_TASK(square)

int norm1(const point& p) {
  return p.x + p.y;
}
ACTORPOOL_TASK(norm1)

std::vector<int> appended(std::vector<int> xs, int x) {
  xs.push_back(x);
  return xs;
}
ACTORPOOL_TASK(appended)

std::string shout(std::string&& s) {
  return s + "!";
}
ACTORPOOL_TASK(shout)

void log_value(int) {
}
ACTORPOOL_TASK(log_value)

int twice(int x) {
  return 2 * x;
}
std::string twice(std::string s) {
  return s + s;
}
ACTORPOOL_TASK_AS("twice_string",
                  static_cast<std::string (*)(std::string)>(twice))

namespace geo {
int area(int w, int h) {
  return w * h;
}
} // namespace geo
ACTORPOOL_TASK(geo::area)

inline const auto cube = actorpool::make_task("cube",
                                              [](int x) { return x * x * x; });

struct squarer {
  int operator()(int x) const {
    return x * x;
  }
};
inline const auto square_object = actorpool::make_task("square_object",
                                                       squarer{});

inline const auto plus_one = actorpool::make_task("plus_one",
                                                  std::function<int(int)>(
                                                    [](int x) {
                                                      return x + 1;
                                                    }));

inline const auto word_counts = actorpool::
  make_task("word_counts", [](const std::vector<std::string>& words) {
    std::map<std::string, int> counts;
    for (auto& w : words)
      ++counts[w];
    return counts;
  });

int main() {
  actorpool::pool p{2};
  int sum = p.apply(square, 7) + p.apply(norm1, point{1, 2});
  sum += p.apply(cube, 2) + p.apply(square_object, 3) + p.apply(plus_one, 1);
  std::vector<int> xs{1, 2, 3};
  std::vector<int> ys = p.map(square, xs);
  std::vector<int> zs = p.map(cube, xs);
  for (int y : p.imap(plus_one, xs))
    sum += y;
  auto r = p.apply_async(cube, 3);
  sum += r.get();
  std::vector<std::tuple<int, int>> sizes{{1, 2}, {3, 4}};
  std::vector<int> areas = p.starmap(geo::area, sizes);
  auto hit = p.find_first(square, xs, [](int y) { return y > 3; });
  auto s = p.stream(cube);
  s.put(2);
  s.close();
  for (int y : s)
    sum += y;
  p.apply(log_value, 1);
  using string_fn = std::string (*)(std::string);
  std::string aa = p.apply(static_cast<string_fn>(twice), std::string{"a"});
  std::vector<int> longer = p.apply(appended, xs, 4);
  auto counts = p.apply(word_counts, std::vector<std::string>{"a", "b", "a"});
  std::string loud = p.apply(shout, std::string{"hi"});
  return sum
         + static_cast<int>(ys.size() + zs.size() + areas.size() + longer.size()
                            + counts.size() + loud.size() + aa.size())
         + (hit.found() ? 1 : 0);
}
