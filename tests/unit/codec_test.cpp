#include "actorpool/detail/codec.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "support/test_tasks.hpp"

using actorpool::errc;
using actorpool::detail::codec_failure;
using actorpool::detail::decode_one;
using actorpool::detail::decoder;
using actorpool::detail::encode_into;
using actorpool::detail::encode_tuple;

namespace {

template <class T>
std::string encode(T x) {
  std::string buf;
  encode_into(buf, x);
  return buf;
}

template <class T>
T round_trip(T x) {
  return decode_one<T>(encode(std::move(x)));
}

// Returns the code of the codec_failure that `fn` throws.
template <class F>
errc failure_code(F fn) {
  try {
    fn();
  } catch (const codec_failure& e) {
    return e.code();
  }
  ADD_FAILURE() << "no codec_failure thrown";
  return errc{};
}

// A buffer that announces a sequence of `n` elements but holds none.
std::string forged_length(size_t n) {
  std::string buf;
  actorpool::detail::string_sink sink{buf};
  EXPECT_FALSE(sink.begin_sequence(n));
  return buf;
}

} // namespace

TEST(codec, round_trips_integers) {
  EXPECT_EQ(round_trip(int32_t{-42}), -42);
  EXPECT_EQ(round_trip(std::numeric_limits<int64_t>::min()),
            std::numeric_limits<int64_t>::min());
  EXPECT_EQ(round_trip(std::numeric_limits<uint64_t>::max()),
            std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(round_trip(uint8_t{255}), 255);
}

TEST(codec, round_trips_doubles) {
  EXPECT_EQ(round_trip(3.25), 3.25);
  EXPECT_EQ(round_trip(-0.1), -0.1);
  EXPECT_EQ(round_trip(1.0 / 3), 1.0 / 3);
  EXPECT_EQ(round_trip(std::numeric_limits<double>::max()),
            std::numeric_limits<double>::max());
  EXPECT_EQ(round_trip(std::numeric_limits<double>::min()),
            std::numeric_limits<double>::min());
  EXPECT_EQ(round_trip(2.5f), 2.5f);
}

TEST(codec, round_trips_infinity) {
  // CAF 0.17.6's own binary serializer (pack754) never returns for an
  // infinite double; the codec stores floating-point numbers bit for bit.
  auto inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(round_trip(inf), inf);
  EXPECT_EQ(round_trip(-inf), -inf);
}

TEST(codec, round_trips_nan) {
  // CAF 0.17.6's pack754 turns NaN into -1.0.
  EXPECT_TRUE(std::isnan(round_trip(std::nan(""))));
}

TEST(codec, round_trips_subnormal_doubles) {
  // CAF 0.17.6's pack754/unpack754 turn subnormals into huge negative
  // numbers (denorm_min came back as about -1.6e293).
  auto tiny = std::numeric_limits<double>::denorm_min();
  EXPECT_EQ(round_trip(tiny), tiny);
  EXPECT_EQ(round_trip(1e-310), 1e-310);
}

TEST(codec, round_trips_negative_zero) {
  // CAF 0.17.6's pack754 loses the sign of -0.0.
  EXPECT_TRUE(std::signbit(round_trip(-0.0)));
}

TEST(codec, round_trips_strings) {
  EXPECT_EQ(round_trip(std::string{}), "");
  EXPECT_EQ(round_trip(std::string{"hello"}), "hello");
  std::string binary{"a\0b\xff", 4};
  EXPECT_EQ(round_trip(binary), binary);
  std::string big(100000, 'x');
  EXPECT_EQ(round_trip(big), big);
}

TEST(codec, round_trips_vectors) {
  std::vector<int> xs{1, 2, 3, -4};
  EXPECT_EQ(round_trip(xs), xs);
  std::vector<std::string> ys{"a", "", "ccc"};
  EXPECT_EQ(round_trip(ys), ys);
  std::vector<std::vector<int>> zs{{1}, {}, {2, 3}};
  EXPECT_EQ(round_trip(zs), zs);
}

TEST(codec, round_trips_bool_vectors) {
  // Eight bits to a byte: the list has more elements than bytes follow it.
  for (size_t n : {0, 1, 7, 8, 9, 17, 64, 100, 1000}) {
    std::vector<bool> xs(n);
    for (size_t i = 0; i < n; ++i)
      xs[i] = i % 3 == 0;
    EXPECT_EQ(round_trip(xs), xs) << n << " bits";
  }
}

TEST(codec, string_with_bit_vector_shaped_length_fails) {
  // A length of 16 followed by what looks like the byte list of 16 bits:
  // accepted as a list length, but a string needs its 16 bytes.
  std::string buf{"\x10\x02\xff\xff", 4};
  auto code = failure_code([&] { decode_one<std::string>(buf); });
  EXPECT_EQ(code, errc::decoding_failed);
}

TEST(codec, round_trips_user_struct) {
  auto p = round_trip(actorpool::test::point{3, -4, "p"});
  EXPECT_EQ(p.x, 3);
  EXPECT_EQ(p.y, -4);
  EXPECT_EQ(p.label, "p");
}

TEST(codec, round_trips_nested_user_structs) {
  std::vector<actorpool::test::point> ps{{1, 2, "a"}, {3, 4, "b"}};
  auto result = round_trip(ps);
  ASSERT_EQ(result.size(), 2u);
  EXPECT_EQ(result[1].x, 3);
  EXPECT_EQ(result[1].label, "b");
}

TEST(codec, round_trips_tuples) {
  std::tuple<int, std::string, double> in{7, "seven", 7.5};
  std::string buf;
  encode_tuple(buf, in);
  std::tuple<int, std::string, double> out;
  decoder src{buf};
  src.read_tuple(out);
  src.expect_end();
  EXPECT_EQ(out, in);
}

TEST(codec, tuple_encoding_is_element_encodings_back_to_back) {
  std::tuple<int, std::string> in{1, "x"};
  std::string a;
  encode_tuple(a, in);
  int i = 1;
  std::string s = "x";
  std::string b;
  encode_into(b, i, s);
  EXPECT_EQ(a, b);
}

TEST(codec, encode_into_appends) {
  std::string buf = encode(int32_t{1});
  auto first = buf.size();
  int32_t two = 2;
  encode_into(buf, two);
  EXPECT_EQ(buf.size(), 2 * first);
  decoder src{buf};
  int32_t x = 0;
  int32_t y = 0;
  src.read(x, y);
  EXPECT_EQ(x, 1);
  EXPECT_EQ(y, 2);
  EXPECT_EQ(src.remaining(), 0u);
}

TEST(codec, unsendable_fails_with_encoding_failed) {
  std::string buf;
  actorpool::test::unsendable u{1};
  EXPECT_EQ(failure_code([&] { encode_into(buf, u); }), errc::encoding_failed);
}

namespace {

// A type whose inspect throws while serializing instead of returning an
// error.
struct throws_on_save {
  int value = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, throws_on_save& x) {
  if constexpr (Inspector::reads_state)
    throw std::runtime_error("no way");
  return f(x.value);
}

} // namespace

TEST(codec, an_inspect_that_throws_fails_with_encoding_failed) {
  std::string buf = "prefix";
  int before = 5;
  throws_on_save t{1};
  EXPECT_EQ(failure_code([&] { encode_into(buf, before, t); }),
            errc::encoding_failed);
  EXPECT_EQ(buf, "prefix");
  try {
    encode_into(buf, t);
  } catch (const codec_failure& e) {
    EXPECT_NE(std::string{e.what()}.find("no way"), std::string::npos);
  }
}

TEST(codec, failed_encoding_leaves_buffer_unchanged) {
  std::string buf = "prefix";
  int before = 5;
  actorpool::test::unsendable u{1};
  EXPECT_THROW(encode_into(buf, before, u), codec_failure);
  EXPECT_EQ(buf, "prefix");
}

TEST(codec, unsendable_can_be_decoded) {
  std::string buf = encode(int32_t{9});
  EXPECT_EQ(decode_one<actorpool::test::unsendable>(buf).value, 9);
}

TEST(codec, truncated_buffer_fails) {
  auto buf = encode(std::string{"hello world"});
  buf.pop_back();
  auto code = failure_code([&] { decode_one<std::string>(buf); });
  EXPECT_EQ(code, errc::decoding_failed);
}

TEST(codec, empty_buffer_fails) {
  auto code = failure_code([] { decode_one<int32_t>(std::string{}); });
  EXPECT_EQ(code, errc::decoding_failed);
}

TEST(codec, truncated_struct_fails) {
  auto buf = encode(actorpool::test::point{1, 2, "label"});
  buf.resize(6);
  auto code = failure_code([&] { decode_one<actorpool::test::point>(buf); });
  EXPECT_EQ(code, errc::decoding_failed);
}

TEST(codec, trailing_bytes_fail) {
  auto buf = encode(int32_t{1});
  buf.push_back('\0');
  auto code = failure_code([&] { decode_one<int32_t>(buf); });
  EXPECT_EQ(code, errc::decoding_failed);
}

TEST(codec, expect_end_reports_remaining_bytes) {
  auto buf = encode(int32_t{1}) + encode(int32_t{2});
  decoder src{buf};
  int32_t x = 0;
  src.read(x);
  EXPECT_EQ(src.remaining(), 4u);
  EXPECT_EQ(failure_code([&] { src.expect_end(); }), errc::decoding_failed);
}

TEST(codec, forged_huge_string_length_fails) {
  // Four gigabytes announced, none present: must fail on the range check,
  // not try to allocate (which would throw std::bad_alloc or length_error).
  auto buf = forged_length(std::numeric_limits<uint32_t>::max());
  auto code = failure_code([&] { decode_one<std::string>(buf); });
  EXPECT_EQ(code, errc::decoding_failed);
}

TEST(codec, forged_huge_vector_length_fails) {
  auto buf = forged_length(std::numeric_limits<uint32_t>::max());
  using strings = std::vector<std::string>;
  auto code = failure_code([&] { decode_one<strings>(buf); });
  EXPECT_EQ(code, errc::decoding_failed);
}

TEST(codec, decoding_wrong_type_fails_at_end) {
  auto buf = encode(int64_t{1});
  auto code = failure_code([&] { decode_one<int32_t>(buf); });
  EXPECT_EQ(code, errc::decoding_failed);
}
