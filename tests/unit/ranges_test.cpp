#include "actorpool/ranges.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <vector>

#include "actorpool/detail/range_reader.hpp"

using namespace actorpool;

TEST(irange, counts_from_first_to_last) {
  std::vector<int> xs;
  for (auto x : irange(3, 7))
    xs.push_back(x);
  EXPECT_EQ(xs, (std::vector<int>{3, 4, 5, 6}));
  EXPECT_EQ(irange(3, 7).size(), 4u);
}

TEST(irange, is_empty_when_last_is_not_after_first) {
  EXPECT_EQ(irange(5, 5).size(), 0u);
  EXPECT_EQ(irange(5, 2).size(), 0u);
  EXPECT_TRUE(irange(5, 2).begin() == irange(5, 2).end());
}

TEST(irange, is_sized_for_searches) {
  EXPECT_EQ(detail::size_of(irange(int64_t{0}, int64_t{50'000'000})),
            std::optional<uint64_t>{50'000'000});
}

TEST(generate, yields_until_the_generator_says_stop) {
  int n = 0;
  auto g = generate([&]() -> std::optional<int> {
    if (n == 3)
      return std::nullopt;
    return n++ * 10;
  });
  std::vector<int> xs;
  for (auto x : g)
    xs.push_back(x);
  EXPECT_EQ(xs, (std::vector<int>{0, 10, 20}));
  EXPECT_EQ(detail::size_of(g), std::nullopt);
}

TEST(generate, an_unbounded_generator_is_read_only_on_demand) {
  int calls = 0;
  auto g = generate([&]() -> std::optional<int> { return calls++; });
  auto it = g.begin();
  ++it;
  ++it;
  EXPECT_EQ(*it, 2);
  EXPECT_EQ(calls, 3);
}
