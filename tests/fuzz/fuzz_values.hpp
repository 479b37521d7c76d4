#pragma once

// What the codec fuzzer decodes, shared with the seed corpus generator so
// that both agree on the meaning of an input's first byte.

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include <caf/meta/type_name.hpp>

#include "support/test_tasks.hpp"
#include "transport/messages.hpp"

namespace actorpool::fuzz {

/// A user type that nests another user type, containers and a bool.
struct polygon {
  std::string name;
  std::vector<test::point> vertices;
  std::map<std::string, double> attributes;
  bool closed = false;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, polygon& x) {
  return f(caf::meta::type_name("polygon"), x.name, x.vertices, x.attributes,
           x.closed);
}

/// The value types of the codec fuzzer: an input whose first byte is `i`
/// (below `std::tuple_size_v<value_types>`) is decoded as one value of type
/// `i`. Arguments and results of typical tasks, then the protocol messages.
using value_types = std::tuple<
  // scalars
  int32_t, uint64_t, int8_t, int16_t, bool, float, double, long double,
  // strings
  std::string, std::u16string, std::u32string,
  // containers and tuples
  std::vector<int32_t>, std::vector<double>, std::vector<std::string>,
  std::vector<bool>, std::vector<char>, std::vector<std::vector<int32_t>>,
  std::array<int32_t, 3>, std::set<int64_t>, std::map<std::string, int32_t>,
  std::pair<int32_t, std::string>, std::tuple<int32_t, double, std::string>,
  std::vector<std::tuple<int32_t, int32_t>>,
  // user types
  test::point, std::vector<test::point>, polygon,
  // what travels inside frame bodies and payloads
  detail::hello_msg, detail::task_msg, detail::result_msg, detail::failure_msg,
  detail::service_call_msg, detail::service_reply_msg,
  std::vector<detail::task_msg>, std::vector<detail::result_msg>>;

constexpr uint8_t value_type_count = std::tuple_size_v<value_types>;

/// Decoding paths of the library beyond "one value of a type", selected by
/// a first byte of `value_type_count + path`.
enum class decode_path : uint8_t {
  /// A worker running `count` invocations of `point scale(point, int)`.
  /// Input: `u8 count | arguments`.
  invoke_scale,
  /// The same for `std::string join(std::vector<std::string>, std::string)`.
  invoke_join,
  /// The same for `int32_t mul(int32_t, int32_t)`.
  invoke_mul,
  /// The caller decoding a `map` result: chunks of `std::vector<int32_t>`
  /// results. Input: `u8 chunks | (u8 count | u8 size | bytes)...`.
  map_results,
  /// The same for `std::vector<polygon>`.
  map_polygons,
  /// The error half of a service reply: `(uint8_t errc, std::string)`.
  service_error,
};

constexpr uint8_t decode_path_count = 6;

/// Index of `T` in `value_types`.
template <class T, class Tuple = value_types>
struct index_of;

template <class T, class... Ts>
struct index_of<T, std::tuple<T, Ts...>> : std::integral_constant<uint8_t, 0> {
};

template <class T, class U, class... Ts>
struct index_of<T, std::tuple<U, Ts...>>
  : std::integral_constant<uint8_t, 1 + index_of<T, std::tuple<Ts...>>::value> {
};

/// First byte of an input that takes decoding path `p`.
constexpr uint8_t selector(decode_path p) {
  return static_cast<uint8_t>(value_type_count + static_cast<uint8_t>(p));
}

} // namespace actorpool::fuzz
