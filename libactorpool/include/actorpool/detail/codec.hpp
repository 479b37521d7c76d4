#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>

#include <caf/binary_deserializer.hpp>
#include <caf/serializer_impl.hpp>

#include "actorpool/errc.hpp"

namespace actorpool::detail {

/// Serializer that appends CAF's binary encoding to a `std::string`. No actor
/// system is needed: arguments and results never contain actor handles.
using string_sink = caf::serializer_impl<std::string>;

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
/// (leaving `out` at its original size).
template <class... Ts>
void encode_into(std::string& out, Ts&... xs) {
  auto old_size = out.size();
  string_sink sink{nullptr, out};
  if (auto err = sink(xs...)) {
    out.resize(old_size);
    throw codec_failure(errc::encoding_failed,
                        "cannot serialize value: " + caf::to_string(err));
  }
}

/// Appends the encoding of every element of tuple `xs` to `out`.
template <class Tuple>
void encode_tuple(std::string& out, Tuple& xs) {
  std::apply([&](auto&... ys) { encode_into(out, ys...); }, xs);
}

/// Reads values one after another from an encoded buffer.
class decoder {
public:
  decoder(const char* data, size_t size) : source_(nullptr, data, size) {
    // nop
  }

  explicit decoder(const std::string& buf) : decoder(buf.data(), buf.size()) {
    // nop
  }

  /// Decodes into `xs`; throws `codec_failure` on malformed input.
  template <class... Ts>
  void read(Ts&... xs) {
    if (auto err = source_(xs...))
      throw codec_failure(errc::decoding_failed,
                          "cannot deserialize value: " + caf::to_string(err));
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
  caf::binary_deserializer source_;
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

} // namespace actorpool::detail
