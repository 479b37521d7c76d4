#pragma once

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <caf/deserializer.hpp>
#include <caf/error.hpp>
#include <caf/serializer.hpp>

#include "actorpool/detail/not_a_task.hpp"
#include "actorpool/errc.hpp"

namespace actorpool::detail {

/// CAF serializer that appends to a byte container (`std::string` or
/// `std::vector<char>`). The layout is that of CAF's `binary_serializer`
/// (network byte order, 7-bit varint lengths) except for floating-point
/// numbers, which are stored bit for bit: CAF 0.17's float packing never
/// terminates on infinity and mangles NaN, subnormals and -0.0. No actor
/// system is needed: arguments and results never contain actor handles.
/// A derived sink may override how strings are stored (`piece_sink`).
template <class Container>
class basic_sink : public caf::serializer {
public:
  explicit basic_sink(Container& buf) : caf::serializer(nullptr), buf_(buf) {
    // nop
  }

  caf::error begin_object(uint16_t& nr, std::string& name) override {
    if (auto err = apply_impl(nr))
      return err;
    return nr == 0 ? apply_impl(name) : caf::none;
  }

  caf::error end_object() override {
    return caf::none;
  }

  caf::error begin_sequence(size_t& size) override {
    auto x = static_cast<uint32_t>(size);
    char tmp[5];
    size_t n = 0;
    while (x > 0x7f) {
      tmp[n++] = static_cast<char>((x & 0x7f) | 0x80);
      x >>= 7;
    }
    tmp[n++] = static_cast<char>(x);
    buf_.insert(buf_.end(), tmp, tmp + n);
    return caf::none;
  }

  caf::error end_sequence() override {
    return caf::none;
  }

  caf::error apply_raw(size_t num_bytes, void* data) override {
    auto p = static_cast<const char*>(data);
    buf_.insert(buf_.end(), p, p + num_bytes);
    return caf::none;
  }

protected:
  caf::error apply_impl(int8_t& x) override {
    return apply_raw(1, &x);
  }

  caf::error apply_impl(uint8_t& x) override {
    return apply_raw(1, &x);
  }

  caf::error apply_impl(int16_t& x) override {
    return put_int(static_cast<uint16_t>(x));
  }

  caf::error apply_impl(uint16_t& x) override {
    return put_int(x);
  }

  caf::error apply_impl(int32_t& x) override {
    return put_int(static_cast<uint32_t>(x));
  }

  caf::error apply_impl(uint32_t& x) override {
    return put_int(x);
  }

  caf::error apply_impl(int64_t& x) override {
    return put_int(static_cast<uint64_t>(x));
  }

  caf::error apply_impl(uint64_t& x) override {
    return put_int(x);
  }

  caf::error apply_impl(float& x) override {
    uint32_t bits;
    std::memcpy(&bits, &x, sizeof(bits));
    return put_int(bits);
  }

  caf::error apply_impl(double& x) override {
    uint64_t bits;
    std::memcpy(&bits, &x, sizeof(bits));
    return put_int(bits);
  }

  caf::error apply_impl(long double& x) override {
    auto text = long_double_to_string(x);
    return apply_impl(text);
  }

  caf::error apply_impl(std::string& x) override {
    auto n = x.size();
    begin_sequence(n);
    return apply_raw(n, x.data());
  }

  caf::error apply_impl(std::u16string& x) override {
    auto n = x.size();
    begin_sequence(n);
    for (auto c : x)
      put_int(static_cast<uint16_t>(c));
    return caf::none;
  }

  caf::error apply_impl(std::u32string& x) override {
    auto n = x.size();
    begin_sequence(n);
    for (auto c : x)
      put_int(static_cast<uint32_t>(c));
    return caf::none;
  }

private:
  template <class T>
  caf::error put_int(T x) {
    char tmp[sizeof(T)];
    for (size_t i = 0; i < sizeof(T); ++i)
      tmp[i] = static_cast<char>(x >> (8 * (sizeof(T) - 1 - i)));
    buf_.insert(buf_.end(), tmp, tmp + sizeof(T));
    return caf::none;
  }

  static std::string long_double_to_string(long double x);

  Container& buf_;
};

extern template class basic_sink<std::string>;
extern template class basic_sink<std::vector<char>>;

using string_sink = basic_sink<std::string>;

using buffer_sink = basic_sink<std::vector<char>>;

/// CAF deserializer for what `basic_sink` wrote. Every length is checked
/// against the bytes left before anything is allocated (a list cannot have
/// more elements than bytes remain, except the bits of a `std::vector<bool>`,
/// eight to a byte, whose bytes must follow), so forged lengths fail
/// cheaply.
class source final : public caf::deserializer {
public:
  source(const char* data, size_t size);

  caf::error begin_object(uint16_t& nr, std::string& name) override;

  caf::error end_object() override;

  caf::error begin_sequence(size_t& size) override;

  caf::error end_sequence() override;

  caf::error apply_raw(size_t num_bytes, void* data) override;

  /// Bytes not consumed yet.
  size_t remaining() const noexcept {
    return static_cast<size_t>(end_ - pos_);
  }

protected:
  caf::error apply_impl(int8_t& x) override;
  caf::error apply_impl(uint8_t& x) override;
  caf::error apply_impl(int16_t& x) override;
  caf::error apply_impl(uint16_t& x) override;
  caf::error apply_impl(int32_t& x) override;
  caf::error apply_impl(uint32_t& x) override;
  caf::error apply_impl(int64_t& x) override;
  caf::error apply_impl(uint64_t& x) override;
  caf::error apply_impl(float& x) override;
  caf::error apply_impl(double& x) override;
  caf::error apply_impl(long double& x) override;
  caf::error apply_impl(std::string& x) override;
  caf::error apply_impl(std::u16string& x) override;
  caf::error apply_impl(std::u32string& x) override;

private:
  template <class T>
  caf::error get_int(T& x);

  const char* pos_;
  const char* end_;
};

/// Thrown by the codec helpers when a value cannot be encoded or decoded.
/// Carries `errc::encoding_failed` or `errc::decoding_failed`.
class codec_failure : public std::runtime_error {
public:
  codec_failure(errc code, const std::string& what)
    : std::runtime_error(what), code_(code) {
    // nop
  }

  errc code() const noexcept {
    return code_;
  }

private:
  errc code_;
};

/// Appends the encodings of `xs` to `out`; throws `codec_failure` on error
/// (leaving `out` at its original size), also when an `inspect` overload
/// throws a `std::exception` instead of returning an error (Python: a
/// `__reduce__` that raises).
template <class... Ts>
void encode_into(std::string& out, Ts&... xs) {
  auto old_size = out.size();
  caf::error err;
  try {
    string_sink sink{out};
    err = sink(xs...);
  } catch (const std::exception& e) {
    out.resize(old_size);
    throw codec_failure(errc::encoding_failed,
                        std::string{"cannot serialize value: "} + e.what());
  }
  if (err) {
    out.resize(old_size);
    throw codec_failure(errc::encoding_failed,
                        "cannot serialize value: " + caf::to_string(err));
  }
}

/// The encodings of `xs` one after another, in a new string (a call's
/// payload, a reply, a stored item); throws `codec_failure` on error.
/// Serialization only reads the values, hence the casts.
template <class... Ts>
std::string encode(const Ts&... xs) {
  std::string out;
  if constexpr (sizeof...(Ts) > 0)
    encode_into(out, const_cast<Ts&>(xs)...);
  return out;
}

/// Appends the encoding of every element of tuple `xs` to `out`.
template <class Tuple>
void encode_tuple(std::string& out, Tuple& xs) {
  std::apply([&](auto&... ys) { encode_into(out, ys...); }, xs);
}

/// Reads values one after another from an encoded buffer.
class decoder {
public:
  decoder(const char* data, size_t size) : source_(data, size) {
    // nop
  }

  explicit decoder(const std::string& buf) : decoder(buf.data(), buf.size()) {
    // nop
  }

  /// Decodes into `xs`; throws `codec_failure` on malformed input. Reads
  /// nothing into a `not_a_task` (compilation has failed already).
  template <class... Ts>
  void read(Ts&... xs) {
    if constexpr (!(std::is_same_v<Ts, not_a_task> || ...)) {
      if (auto err = source_(xs...))
        throw codec_failure(errc::decoding_failed,
                            "cannot deserialize value: " + caf::to_string(err));
    }
  }

  /// Decodes every element of tuple `xs`.
  template <class Tuple>
  void read_tuple(Tuple& xs) {
    std::apply([&](auto&... ys) { read(ys...); }, xs);
  }

  /// Bytes not consumed yet.
  size_t remaining() const noexcept {
    return source_.remaining();
  }

  /// Throws unless the whole buffer was consumed.
  void expect_end() const {
    if (remaining() != 0)
      throw codec_failure(errc::decoding_failed,
                          "trailing bytes after the last value");
  }

private:
  source source_;
};

/// Decodes one `T` from `buf`, requiring that nothing follows it.
template <class T>
T decode_one(const std::string& buf) {
  T result{};
  decoder src{buf};
  src.read(result);
  src.expect_end();
  return result;
}

/// The encoding of every element of `xs`, each on its own.
template <class Range>
std::vector<std::string> encode_each(const Range& xs) {
  std::vector<std::string> result;
  for (auto& x : xs)
    result.push_back(encode(x));
  return result;
}

/// Every element of `xs` decoded as a `T` (see `decode_one`).
template <class T>
std::vector<T> decode_each(const std::vector<std::string>& xs) {
  std::vector<T> result;
  result.reserve(xs.size());
  for (auto& x : xs)
    result.push_back(decode_one<T>(x));
  return result;
}

} // namespace actorpool::detail
