#include "actorpool/detail/chunking.hpp"

#include <gtest/gtest.h>

#include <list>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

// GCC 12 at -O2 reports a false -Wmaybe-uninitialized for the optional
// iterators of range_reader when the range is a vector reference.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include "actorpool/detail/range_reader.hpp"
#pragma GCC diagnostic pop
#include "support/test_tasks.hpp"

using actorpool::detail::auto_chunksize;
using actorpool::detail::encode_map;
using actorpool::detail::encoded_chunk;
using actorpool::test::throwing_range;

namespace {

using int_args = std::tuple<int>;
using pair_args = std::tuple<int, int>;

// Python's rule: chunksize, extra = divmod(len, 4 * workers); +1 if extra.
size_t python_chunksize(size_t items, size_t workers) {
  auto chunksize = items / (4 * workers);
  if (items % (4 * workers) != 0)
    ++chunksize;
  return chunksize;
}

std::vector<int> iota(int n) {
  std::vector<int> xs;
  for (int i = 0; i < n; ++i)
    xs.push_back(i);
  return xs;
}

template <class T>
std::vector<T> decode_chunk(const encoded_chunk& c) {
  actorpool::detail::decoder src{c.payload};
  std::vector<T> result(c.count);
  for (auto& x : result)
    src.read(x);
  src.expect_end();
  return result;
}

std::vector<std::pair<int, int>> decode_pairs(const encoded_chunk& c) {
  actorpool::detail::decoder src{c.payload};
  std::vector<std::pair<int, int>> result(c.count);
  for (auto& [a, b] : result)
    src.read(a, b);
  src.expect_end();
  return result;
}

std::vector<uint32_t> counts(const std::vector<encoded_chunk>& chunks) {
  std::vector<uint32_t> result;
  for (auto& c : chunks)
    result.push_back(c.count);
  return result;
}

std::vector<int> decode_all(const std::vector<encoded_chunk>& chunks) {
  std::vector<int> result;
  for (auto& c : chunks)
    for (auto x : decode_chunk<int>(c))
      result.push_back(x);
  return result;
}

template <class Range>
using int_reader = actorpool::detail::range_reader<Range, int_args, false>;

// Reads every chunk from `rd`.
template <class Reader>
std::vector<encoded_chunk> read_chunks(Reader& rd) {
  std::vector<encoded_chunk> result;
  encoded_chunk c;
  while (rd.next(c))
    result.push_back(c);
  return result;
}

} // namespace

TEST(chunking, auto_chunksize_matches_python) {
  for (size_t workers : {1, 2, 3, 4, 8})
    for (size_t items : {1, 3, 4, 7, 8, 9, 16, 17, 99, 100, 1000, 1001})
      EXPECT_EQ(auto_chunksize(items, workers),
                python_chunksize(items, workers))
        << items << " items, " << workers << " workers";
}

TEST(chunking, auto_chunksize_examples) {
  EXPECT_EQ(auto_chunksize(100, 4), 7u);
  EXPECT_EQ(auto_chunksize(16, 4), 1u);
  EXPECT_EQ(auto_chunksize(1000, 1), 250u);
}

TEST(chunking, auto_chunksize_is_never_zero) {
  EXPECT_EQ(auto_chunksize(0, 4), 1u);
}

TEST(chunking, encode_map_explicit_chunksize) {
  auto chunks = encode_map<int_args, false>(iota(10), 3, 1);
  EXPECT_EQ(counts(chunks), (std::vector<uint32_t>{3, 3, 3, 1}));
  EXPECT_EQ(decode_chunk<int>(chunks[0]), (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(decode_chunk<int>(chunks[3]), (std::vector<int>{9}));
}

TEST(chunking, encode_map_automatic_chunksize) {
  auto chunks = encode_map<int_args, false>(iota(100), 0, 4);
  ASSERT_EQ(chunks.size(), 15u); // 14 chunks of 7, one of 2
  EXPECT_EQ(chunks.front().count, 7u);
  EXPECT_EQ(chunks.back().count, 2u);
  EXPECT_EQ(decode_all(chunks), iota(100));
}

TEST(chunking, encode_map_exact_multiple) {
  auto chunks = encode_map<int_args, false>(iota(8), 4, 1);
  EXPECT_EQ(counts(chunks), (std::vector<uint32_t>{4, 4}));
}

TEST(chunking, encode_map_empty_range) {
  EXPECT_TRUE((encode_map<int_args, false>(std::vector<int>{}, 0, 2).empty()));
  EXPECT_TRUE((encode_map<int_args, false>(std::vector<int>{}, 5, 2).empty()));
}

TEST(chunking, encode_map_forward_range) {
  std::list<int> xs{5, 6, 7, 8, 9};
  auto chunks = encode_map<int_args, false>(xs, 2, 1);
  EXPECT_EQ(counts(chunks), (std::vector<uint32_t>{2, 2, 1}));
  EXPECT_EQ(decode_all(chunks), (std::vector<int>{5, 6, 7, 8, 9}));
}

TEST(chunking, encode_map_input_range) {
  throwing_range xs{7, -2}; // input iterators, never throws
  auto chunks = encode_map<int_args, false>(xs, 0, 1);
  // Seven items, one worker: chunksize 2 (divmod(7, 4) = (1, 3)).
  EXPECT_EQ(counts(chunks), (std::vector<uint32_t>{2, 2, 2, 1}));
  EXPECT_EQ(decode_all(chunks), iota(7));
}

TEST(chunking, encode_map_input_range_that_throws) {
  throwing_range xs{7, 3};
  EXPECT_THROW((encode_map<int_args, false>(xs, 2, 1)),
               actorpool::test::say_when_error);
}

TEST(chunking, encode_map_converts_items) {
  std::vector<short> xs{1, 2};
  auto chunks = encode_map<std::tuple<int64_t>, false>(xs, 5, 1);
  ASSERT_EQ(chunks.size(), 1u);
  EXPECT_EQ(decode_chunk<int64_t>(chunks[0]), (std::vector<int64_t>{1, 2}));
}

TEST(chunking, starmap_over_tuples) {
  std::vector<std::tuple<int, int>> xs{{1, 2}, {3, 4}, {5, 6}};
  auto chunks = encode_map<pair_args, true>(xs, 2, 1);
  ASSERT_EQ(counts(chunks), (std::vector<uint32_t>{2, 1}));
  using pairs = std::vector<std::pair<int, int>>;
  EXPECT_EQ(decode_pairs(chunks[0]), (pairs{{1, 2}, {3, 4}}));
  EXPECT_EQ(decode_pairs(chunks[1]), (pairs{{5, 6}}));
}

TEST(chunking, starmap_over_pairs) {
  std::vector<std::pair<int, int>> xs{{7, 8}};
  auto chunks = encode_map<pair_args, true>(xs, 0, 2);
  ASSERT_EQ(chunks.size(), 1u);
  using pairs = std::vector<std::pair<int, int>>;
  EXPECT_EQ(decode_pairs(chunks[0]), (pairs{{7, 8}}));
}

TEST(chunking, encode_call_is_one_item) {
  auto c = actorpool::detail::encode_call<pair_args>(3, 4);
  EXPECT_EQ(c.count, 1u);
  using pairs = std::vector<std::pair<int, int>>;
  EXPECT_EQ(decode_pairs(c), (pairs{{3, 4}}));
}

TEST(chunking, unencodable_item_is_encoding_error) {
  std::vector<actorpool::test::unsendable> xs(3);
  using args = std::tuple<actorpool::test::unsendable>;
  try {
    encode_map<args, false>(xs, 1, 1);
    FAIL() << "encode_map returned";
  } catch (const actorpool::encoding_error& e) {
    EXPECT_EQ(e.code(), actorpool::errc::encoding_failed);
  }
}

TEST(chunking, range_reader_chunks) {
  std::vector<int> xs = iota(7);
  int_reader<std::vector<int>&> rd{xs, 3};
  auto chunks = read_chunks(rd);
  EXPECT_EQ(counts(chunks), (std::vector<uint32_t>{3, 3, 1}));
  EXPECT_EQ(decode_all(chunks), iota(7));
}

TEST(chunking, range_reader_stays_at_end) {
  int_reader<std::vector<int>> rd{iota(2), 5};
  encoded_chunk c;
  EXPECT_TRUE(rd.next(c));
  EXPECT_EQ(c.count, 2u);
  EXPECT_FALSE(rd.next(c));
  EXPECT_EQ(c.count, 0u);
  EXPECT_TRUE(c.payload.empty());
  EXPECT_FALSE(rd.next(c));
}

TEST(chunking, range_reader_empty_input) {
  int_reader<std::vector<int>> rd{std::vector<int>{}, 1};
  encoded_chunk c;
  EXPECT_FALSE(rd.next(c));
}

TEST(chunking, range_reader_chunksize_zero_means_one) {
  int_reader<std::vector<int>> rd{iota(3), 0};
  auto chunks = read_chunks(rd);
  EXPECT_EQ(counts(chunks), (std::vector<uint32_t>{1, 1, 1}));
}

TEST(chunking, range_reader_starmap) {
  using items = std::vector<std::tuple<int, int>>;
  using reader = actorpool::detail::range_reader<items, pair_args, true>;
  reader rd{items{{1, 2}, {3, 4}, {5, 6}}, 2};
  auto chunks = read_chunks(rd);
  ASSERT_EQ(chunks.size(), 2u);
  using pairs = std::vector<std::pair<int, int>>;
  EXPECT_EQ(decode_pairs(chunks[1]), (pairs{{5, 6}}));
}

TEST(chunking, range_reader_input_range) {
  int_reader<throwing_range> rd{throwing_range{5, -2}, 2};
  auto chunks = read_chunks(rd);
  EXPECT_EQ(counts(chunks), (std::vector<uint32_t>{2, 2, 1}));
  EXPECT_EQ(decode_all(chunks), iota(5));
}

TEST(chunking, range_reader_keeps_complete_chunk_when_advancing_throws) {
  // Advancing from item 2 to item 3 throws. The chunk {0, 1, 2} is complete
  // before that and must come out; the next call throws.
  int_reader<throwing_range> rd{throwing_range{10, 3}, 3};
  encoded_chunk c;
  ASSERT_TRUE(rd.next(c));
  EXPECT_EQ(decode_chunk<int>(c), (std::vector<int>{0, 1, 2}));
  EXPECT_THROW(rd.next(c), actorpool::test::say_when_error);
}

TEST(chunking, range_reader_throws_inside_a_chunk) {
  int_reader<throwing_range> rd{throwing_range{10, 3}, 2};
  encoded_chunk c;
  ASSERT_TRUE(rd.next(c));
  EXPECT_EQ(decode_chunk<int>(c), (std::vector<int>{0, 1}));
  EXPECT_THROW(rd.next(c), actorpool::test::say_when_error);
}

TEST(chunking, range_reader_throws_at_begin) {
  int_reader<throwing_range> rd{throwing_range{10, -1}, 2};
  encoded_chunk c;
  EXPECT_THROW(rd.next(c), actorpool::test::say_when_error);
}

TEST(chunking, range_reader_throws_on_first_item) {
  int_reader<throwing_range> rd{throwing_range{10, 0}, 2};
  encoded_chunk c;
  EXPECT_THROW(rd.next(c), actorpool::test::say_when_error);
}

TEST(chunking, range_reader_last_item_before_throw) {
  // The input throws when advancing past its last real item (item 4 of 5
  // would be next): all items before come out in full chunks.
  int_reader<throwing_range> rd{throwing_range{10, 4}, 2};
  encoded_chunk c;
  ASSERT_TRUE(rd.next(c));
  ASSERT_TRUE(rd.next(c));
  EXPECT_EQ(decode_chunk<int>(c), (std::vector<int>{2, 3}));
  EXPECT_THROW(rd.next(c), actorpool::test::say_when_error);
}

TEST(chunking, range_reader_huge_chunksize) {
  // The chunk size is stored as uint32_t; 2^32 must not truncate to 0 and
  // end the stream without any result.
  int_reader<std::vector<int>> rd{iota(3), size_t{1} << 32};
  encoded_chunk c;
  ASSERT_TRUE(rd.next(c));
  EXPECT_EQ(c.count, 3u);
}
