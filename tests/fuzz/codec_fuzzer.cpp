// libFuzzer target for the codec's decoding side: arguments and results of
// tasks (numbers, strings, containers, tuples, user types), the protocol
// messages carried in frame bodies and payloads, a worker invoking a task
// over encoded arguments, and a caller decoding the chunks of a `map`.
//
// The first input byte selects what to decode (see fuzz_values.hpp), the
// rest is the encoding. Malformed input must fail with `codec_failure`;
// anything else thrown, any sanitizer report, and any decoded value that
// does not survive encoding and decoding again is a finding.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "actorpool/async_result.hpp"
#include "actorpool/detail/codec.hpp"
#include "actorpool/task.hpp"
#include "fuzz/fuzz_values.hpp"

namespace actorpool::fuzz {
namespace {

using detail::codec_failure;
using detail::decoder;
using detail::encode_into;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "codec_fuzzer: %s\n", what);
  std::abort();
}

/// Decodes one `T` that must fill `[data, data + size)`; false if the
/// decoder rejects the input.
template <class T>
bool decode_exactly(const char* data, size_t size, T& out) {
  try {
    decoder src{data, size};
    src.read(out);
    src.expect_end();
    return true;
  } catch (const codec_failure& e) {
    if (e.code() != errc::decoding_failed)
      fail("codec_failure without errc::decoding_failed");
    return false;
  }
}

template <class T>
std::string encode_value(T& x) {
  std::string out;
  encode_into(out, x);
  return out;
}

/// Whatever decodes must encode again, and its encoding must decode to a
/// value with the same encoding: the decoder accepts nothing it cannot
/// represent, and encoding is deterministic.
template <class T>
void check_value(const char* data, size_t size) {
  T first{};
  if (!decode_exactly(data, size, first))
    return;
  auto once = encode_value(first);
  T second{};
  if (!decode_exactly(once.data(), once.size(), second))
    fail("a re-encoded value does not decode");
  if (encode_value(second) != once)
    fail("decode and encode are not stable");
}

template <size_t... Is>
void check_value_at(uint8_t index, const char* data, size_t size,
                    std::index_sequence<Is...>) {
  using check_fn = void (*)(const char*, size_t);
  static constexpr check_fn table[] = {
    &check_value<std::tuple_element_t<Is, value_types>>...};
  table[index](data, size);
}

// The tasks a worker could be asked to run.

int32_t wrapping_mul(int32_t x, int32_t y) {
  return static_cast<int32_t>(static_cast<uint32_t>(x)
                              * static_cast<uint32_t>(y));
}

test::point scale(test::point p, int32_t k) {
  p.x = wrapping_mul(p.x, k);
  p.y = wrapping_mul(p.y, k);
  return p;
}

std::string join(std::vector<std::string> xs, std::string sep) {
  std::string result;
  for (size_t i = 0; i < xs.size() && result.size() < 4096; ++i) {
    if (i > 0)
      result += sep;
    result += xs[i];
  }
  return result;
}

int32_t mul(int32_t x, int32_t y) {
  return wrapping_mul(x, y);
}

/// A worker running `count` invocations of `fn` over `[data, data + size)`,
/// as the task runner does with a `task_msg` (count and payload); the
/// results of a successful run must decode as `count` result values.
template <class F>
void check_invoke(F fn, const char* data, size_t size) {
  if (size == 0)
    return;
  // A task_msg comes from the parent, which sends at most a chunk of
  // arguments; a small count keeps the runs short.
  auto count = static_cast<uint32_t>(static_cast<uint8_t>(data[0]) % 16);
  detail::typed_invoker<F> invoker{fn};
  std::string out;
  try {
    invoker.invoke(data + 1, size - 1, count, out);
  } catch (const codec_failure& e) {
    if (e.code() != errc::decoding_failed)
      fail("invoke: codec_failure without errc::decoding_failed");
    return;
  }
  // Results decode as `count` values of the result type, like a `map`.
  using result_type = detail::result_of_t<F>;
  try {
    decoder src{out};
    for (uint32_t i = 0; i < count; ++i) {
      result_type r{};
      src.read(r);
    }
    src.expect_end();
  } catch (const codec_failure&) {
    fail("invoke: results of a successful invocation do not decode");
  }
}

/// A caller decoding the chunk payloads of a `map` into `V`, as
/// `async_result<V>::get()` does.
template <class V>
void check_map_results(const char* data, size_t size) {
  if (size == 0)
    return;
  size_t chunks = static_cast<uint8_t>(data[0]) % 8;
  size_t pos = 1;
  std::vector<std::string> payloads;
  std::vector<uint32_t> counts;
  for (size_t i = 0; i < chunks && pos + 2 <= size; ++i) {
    counts.push_back(static_cast<uint8_t>(data[pos]) % 32);
    size_t n = std::min<size_t>(static_cast<uint8_t>(data[pos + 1]),
                                size - pos - 2);
    payloads.emplace_back(data + pos + 2, n);
    pos += 2 + n;
  }
  try {
    auto xs = detail::decode_many<V>(payloads, counts);
    size_t total = 0;
    for (auto n : counts)
      total += n;
    if (xs.size() != total)
      fail("map: wrong number of results");
  } catch (const codec_failure& e) {
    if (e.code() != errc::decoding_failed)
      fail("map: codec_failure without errc::decoding_failed");
  }
}

void check_path(decode_path path, const char* data, size_t size) {
  switch (path) {
    case decode_path::invoke_scale:
      check_invoke(&scale, data, size);
      return;
    case decode_path::invoke_join:
      check_invoke(&join, data, size);
      return;
    case decode_path::invoke_mul:
      check_invoke(&mul, data, size);
      return;
    case decode_path::map_results:
      check_map_results<std::vector<int32_t>>(data, size);
      return;
    case decode_path::map_polygons:
      check_map_results<std::vector<polygon>>(data, size);
      return;
    case decode_path::service_error:
      check_value<std::tuple<uint8_t, std::string>>(data, size);
      return;
  }
}

} // namespace
} // namespace actorpool::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace actorpool::fuzz;
  if (size == 0)
    return 0;
  auto which = static_cast<uint8_t>(data[0]
                                    % (value_type_count + decode_path_count));
  auto body = reinterpret_cast<const char*>(data + 1);
  if (which < value_type_count)
    check_value_at(which, body, size - 1,
                   std::make_index_sequence<value_type_count>{});
  else
    check_path(static_cast<decode_path>(which - value_type_count), body,
               size - 1);
  return 0;
}
