#pragma once

#include <cstddef>
#include <iterator>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "actorpool/detail/codec.hpp"
#include "actorpool/detail/item_codec.hpp"
#include "actorpool/detail/job.hpp"
#include "actorpool/detail/task_checks.hpp"
#include "actorpool/exceptions.hpp"

namespace actorpool::detail {

template <class T>
struct is_vector : std::false_type {};

template <class T, class A>
struct is_vector<std::vector<T, A>> : std::true_type {};

/// Python's automatic `map` chunk size: about four chunks per worker.
inline size_t auto_chunksize(size_t items, size_t processes) {
  auto per = processes * 4;
  auto n = items / per;
  return items % per != 0 ? n + 1 : std::max<size_t>(n, 1);
}

/// Converts `xs` to the task's argument tuple and appends its encoding.
/// Arguments that do not fit the task are reported by the compiler
/// (`check_arguments`); so is a stand-in tuple's task, and nothing is
/// encoded for it.
template <class ArgsTuple, class... Ts>
void append_args(std::string& out, Ts&&... xs) {
  if constexpr (check_arguments<ArgsTuple, Ts...>()) {
    ArgsTuple args(std::forward<Ts>(xs)...);
    translate_codec_errors([&] { encode_tuple(out, args); });
  }
}

/// Appends the arguments of one input item: the item itself for `map`, its
/// elements for `starmap` (`star`).
template <class ArgsTuple, bool Star, class Item>
void append_item(std::string& out, Item&& item) {
  if constexpr (Star)
    std::apply([&](auto&&... xs) { append_args<ArgsTuple>(out, xs...); },
               std::forward<Item>(item));
  else
    append_args<ArgsTuple>(out, std::forward<Item>(item));
}

/// One chunk holding a single call.
template <class ArgsTuple, class... Ts>
encoded_chunk encode_call(Ts&&... xs) {
  encoded_chunk result;
  append_args<ArgsTuple>(result.payload, std::forward<Ts>(xs)...);
  return result;
}

/// Encodes the items `[first, last)` (`n` of them) into chunks of
/// `chunksize` items (0: automatic for `processes` workers).
template <class ArgsTuple, bool Star, class Iter>
std::vector<encoded_chunk> encode_items(Iter first, Iter last, size_t n,
                                        size_t chunksize, size_t processes) {
  if (chunksize == 0)
    chunksize = auto_chunksize(n, processes);
  std::vector<encoded_chunk> chunks;
  chunks.reserve(n / chunksize + 1);
  for (; first != last; ++first) {
    if (chunks.empty() || chunks.back().count == chunksize)
      chunks.emplace_back().count = 0;
    append_item<ArgsTuple, Star>(chunks.back().payload, *first);
    ++chunks.back().count;
  }
  return chunks;
}

/// Encodes a whole input range (read exactly once) into chunks; `Star`
/// unpacks each item into the arguments (`starmap`).
template <class ArgsTuple, bool Star, class Range>
std::vector<encoded_chunk>
encode_map(const Range& xs, size_t chunksize, size_t processes) {
  using std::begin;
  using std::end;
  using iter = decltype(begin(xs));
  using category = typename std::iterator_traits<iter>::iterator_category;
  if constexpr (!std::is_base_of_v<std::forward_iterator_tag, category>) {
    // Single-pass input: materialize it to learn its length (as Python's
    // map does with list(iterable)).
    using value_type = typename std::iterator_traits<iter>::value_type;
    std::vector<value_type> items(begin(xs), end(xs));
    return encode_map<ArgsTuple, Star>(items, chunksize, processes);
  } else {
    auto n = static_cast<size_t>(std::distance(begin(xs), end(xs)));
    return encode_items<ArgsTuple, Star>(begin(xs), end(xs), n, chunksize,
                                         processes);
  }
}

} // namespace actorpool::detail
