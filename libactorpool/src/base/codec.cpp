#include "actorpool/detail/codec.hpp"

#include <cstdio>
#include <cstdlib>

#include <caf/sec.hpp>

namespace actorpool::detail {

namespace {

caf::error truncated() {
  return caf::make_error(caf::sec::end_of_stream, "input ends too early");
}

enum class length_status { ok, truncated, malformed };

// Reads a 7-bit varint length (at most five bytes) at `pos`, advancing it.
length_status read_length(const char*& pos, const char* end, uint32_t& x) {
  x = 0;
  for (int shift = 0; shift < 35; shift += 7) {
    if (pos == end)
      return length_status::truncated;
    auto byte = static_cast<uint8_t>(*pos++);
    x |= static_cast<uint32_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0)
      return length_status::ok;
  }
  return length_status::malformed;
}

// CAF writes a std::vector<bool> as its number of bits followed by a list of
// its (bits + 7) / 8 bytes: the one list that may have more elements than
// bytes remain. True if `[pos, end)` starts with such a byte list for `bits`.
bool is_packed_bits(const char* pos, const char* end, uint32_t bits) {
  uint32_t bytes = 0;
  return read_length(pos, end, bytes) == length_status::ok
         && bytes == (uint64_t{bits} + 7) / 8
         && bytes <= static_cast<size_t>(end - pos);
}

} // namespace

// Hexadecimal floating point keeps every bit; strtold reads it back, along
// with "inf" and "nan".
template <class Container>
std::string basic_sink<Container>::long_double_to_string(long double x) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%La", x);
  return buf;
}

template class basic_sink<std::string>;
template class basic_sink<std::vector<char>>;

source::source(const char* data, size_t size)
  : caf::deserializer(nullptr), pos_(data), end_(data + size) {
  // nop
}

caf::error source::begin_object(uint16_t& nr, std::string& name) {
  if (auto err = apply_impl(nr))
    return err;
  return nr == 0 ? apply_impl(name) : caf::none;
}

caf::error source::end_object() {
  return caf::none;
}

caf::error source::begin_sequence(size_t& size) {
  uint32_t x = 0;
  switch (read_length(pos_, end_, x)) {
    case length_status::ok:
      break;
    case length_status::truncated:
      return truncated();
    case length_status::malformed:
      return caf::make_error(caf::sec::end_of_stream, "malformed length");
  }
  if (x > remaining() && !is_packed_bits(pos_, end_, x))
    return caf::make_error(caf::sec::end_of_stream,
                           "sequence length exceeds the input");
  size = x;
  return caf::none;
}

caf::error source::end_sequence() {
  return caf::none;
}

caf::error source::apply_raw(size_t num_bytes, void* data) {
  if (num_bytes > remaining())
    return truncated();
  std::memcpy(data, pos_, num_bytes);
  pos_ += num_bytes;
  return caf::none;
}

template <class T>
caf::error source::get_int(T& x) {
  if (remaining() < sizeof(T))
    return truncated();
  T result = 0;
  for (size_t i = 0; i < sizeof(T); ++i)
    result = static_cast<T>((result << 8) | static_cast<uint8_t>(pos_[i]));
  pos_ += sizeof(T);
  x = result;
  return caf::none;
}

caf::error source::apply_impl(int8_t& x) {
  return apply_raw(1, &x);
}

caf::error source::apply_impl(uint8_t& x) {
  return apply_raw(1, &x);
}

caf::error source::apply_impl(int16_t& x) {
  uint16_t u = 0;
  auto err = get_int(u);
  x = static_cast<int16_t>(u);
  return err;
}

caf::error source::apply_impl(uint16_t& x) {
  return get_int(x);
}

caf::error source::apply_impl(int32_t& x) {
  uint32_t u = 0;
  auto err = get_int(u);
  x = static_cast<int32_t>(u);
  return err;
}

caf::error source::apply_impl(uint32_t& x) {
  return get_int(x);
}

caf::error source::apply_impl(int64_t& x) {
  uint64_t u = 0;
  auto err = get_int(u);
  x = static_cast<int64_t>(u);
  return err;
}

caf::error source::apply_impl(uint64_t& x) {
  return get_int(x);
}

caf::error source::apply_impl(float& x) {
  uint32_t bits = 0;
  if (auto err = get_int(bits))
    return err;
  std::memcpy(&x, &bits, sizeof(x));
  return caf::none;
}

caf::error source::apply_impl(double& x) {
  uint64_t bits = 0;
  if (auto err = get_int(bits))
    return err;
  std::memcpy(&x, &bits, sizeof(x));
  return caf::none;
}

caf::error source::apply_impl(long double& x) {
  std::string text;
  if (auto err = apply_impl(text))
    return err;
  char* end = nullptr;
  x = std::strtold(text.c_str(), &end);
  if (end == text.c_str() || *end != '\0')
    return caf::make_error(caf::sec::invalid_argument, "malformed long double");
  return caf::none;
}

caf::error source::apply_impl(std::string& x) {
  size_t n = 0;
  if (auto err = begin_sequence(n))
    return err;
  if (n > remaining())
    return truncated();
  x.assign(pos_, n);
  pos_ += n;
  return caf::none;
}

caf::error source::apply_impl(std::u16string& x) {
  size_t n = 0;
  if (auto err = begin_sequence(n))
    return err;
  x.clear();
  for (size_t i = 0; i < n; ++i) {
    uint16_t c = 0;
    if (auto err = get_int(c))
      return err;
    x.push_back(static_cast<char16_t>(c));
  }
  return caf::none;
}

caf::error source::apply_impl(std::u32string& x) {
  size_t n = 0;
  if (auto err = begin_sequence(n))
    return err;
  x.clear();
  for (size_t i = 0; i < n; ++i) {
    uint32_t c = 0;
    if (auto err = get_int(c))
      return err;
    x.push_back(static_cast<char32_t>(c));
  }
  return caf::none;
}

} // namespace actorpool::detail
